// Whether two physical lines of one stream were written too far apart to be one record. A
// multi-line record is one write by the kubelet, so its lines reach journald or rsyslog within the
// same moment; a header-less line minutes later (a Go crash after a quiet spell) is new output,
// not the rest of the record before it. Only the transport's own times are compared: the klog
// header time of a continuation line does not exist.
import type { WallClock } from './envelope/index.js';

/** Lines further apart than this are never one record (journald stamps each line on receipt). */
export const JOIN_GAP_US = 5_000_000;

const YEAR_US = 366 * 86_400_000_000;

interface Stamped {
  transport?: { timeUs?: number };
  /** RFC 3164 wall clock (no year, no zone). */
  clock?: WallClock;
}

/** True when both lines carry transport times and these differ by more than JOIN_GAP_US. */
export function farApart(a: Stamped, b: Stamped): boolean {
  if (a.clock && b.clock) {
    // same zone, unknown year: the distance within a year, either way round
    let us = Math.abs(wallUs(a.clock) - wallUs(b.clock));
    if (us > YEAR_US / 2) us = YEAR_US - us;
    return us > JOIN_GAP_US;
  }
  const ta = a.transport?.timeUs;
  const tb = b.transport?.timeUs;
  return ta !== undefined && tb !== undefined && Math.abs(ta - tb) > JOIN_GAP_US;
}

/** In a leap year, so that Feb 29 exists. */
const wallUs = (c: WallClock): number => Date.UTC(2000, c.month - 1, c.day, c.hour, c.minute, c.second) * 1000 + c.micros;
