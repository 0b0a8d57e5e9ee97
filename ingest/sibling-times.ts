// Inputs of one node read in one run date each other. A file whose lines state no year or zone
// (rsyslog, `journalctl` short, bare klog) takes them from another file of the same node that
// states them (a journal's `-- Logs begin at … UTC` marker, ISO times, a klog file header) rather
// than from its own modification time (which a copy, an upload or a download resets to today) and
// UTC by default.
import path from 'node:path';
import type { YearSource, ZoneSource } from '../parser/index.js';

export interface DatedHead {
  path: string;
  host?: string;
  /** The first record's time, dated as the head alone allows. */
  firstTimeUs?: number;
  /** What dated the head's yearless times, and placed its zoneless ones. */
  year?: { value: number; from: YearSource };
  zone?: { value: string; from: ZoneSource };
}

/** What another input states, and which one: `evidence` for people. */
export interface Shared<T> {
  value: T;
  evidence: string;
}

export interface SiblingTimes {
  year?: Shared<number>;
  zone?: Shared<string>;
}

const STATED: Partial<Record<YearSource | ZoneSource, string>> = {
  content: 'whose lines state it',
  'journal-marker': 'whose journal marker states it',
  'klog-file-header': 'whose klog file header states it',
};
const GUESSED_YEAR: ReadonlySet<YearSource | undefined> = new Set<YearSource | undefined>(['mtime', 'clock']);

const US_PER_MS = 1000;

/** The year that puts `us`'s wall clock nearest to `anchorUs`: the anchor's year or one either side (New Year between them). */
function nearestYear(us: number, anchorUs: number): { year: number; distance: number } {
  const anchorYear = new Date(anchorUs / US_PER_MS).getUTCFullYear();
  let best = { year: anchorYear, distance: Infinity };
  for (const year of [anchorYear - 1, anchorYear, anchorYear + 1]) {
    const d = new Date(us / US_PER_MS);
    d.setUTCFullYear(year);
    const distance = Math.abs(d.getTime() * US_PER_MS - anchorUs);
    if (distance < best.distance) best = { year, distance };
  }
  return best;
}

const evidenceOf = (from: DatedHead, source: YearSource | ZoneSource): string => `${path.basename(from.path)}, ${STATED[source]!}`;

/**
 * For each head whose year or zone was only guessed, what its node's other inputs state (the one
 * nearest in time), if one does. `oneNode`: every input is of the same node (`--node`); otherwise
 * inputs are of one node when their lines name the same host.
 */
export function siblingTimes(heads: readonly DatedHead[], oneNode: boolean): Map<DatedHead, SiblingTimes> {
  const out = new Map<DatedHead, SiblingTimes>();
  for (const h of heads) {
    if (h.firstTimeUs === undefined) continue;
    const kin = heads.filter((s) => s !== h && s.firstTimeUs !== undefined && (oneNode || (h.host !== undefined && h.host === s.host)));
    const found: SiblingTimes = {};
    if (GUESSED_YEAR.has(h.year?.from)) {
      let best: { year: number; distance: number; from: DatedHead } | undefined;
      for (const s of kin) {
        if (s.year === undefined || STATED[s.year.from] === undefined) continue;
        const n = nearestYear(h.firstTimeUs, s.firstTimeUs!);
        if (!best || n.distance < best.distance) best = { ...n, from: s };
      }
      if (best) found.year = { value: best.year, evidence: evidenceOf(best.from, best.from.year!.from) };
    }
    if (h.zone?.from === 'default') {
      const nearest = kin
        .filter((s) => s.zone !== undefined && STATED[s.zone.from] !== undefined)
        .sort((a, b) => Math.abs(a.firstTimeUs! - h.firstTimeUs!) - Math.abs(b.firstTimeUs! - h.firstTimeUs!))[0];
      if (nearest) found.zone = { value: nearest.zone!.value, evidence: evidenceOf(nearest, nearest.zone!.from) };
    }
    if (found.year || found.zone) out.set(h, found);
  }
  return out;
}
