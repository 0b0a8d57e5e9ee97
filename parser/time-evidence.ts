// Times a line states about itself: absolute timestamps inside its text, which tell the year and
// zone that a yearless, zoneless envelope (RFC 3164 syslog, journalctl short, bare klog) leaves out.
//
// What counts (each is a found time with its kind):
// - RFC 3339 with `Z` or an offset, anywhere (`"lastTransitionTime":"2025-03-16T04:31:21Z"`,
//   escaped inside a quoted value, `startTime\":\"2024-08-15T14:24:53Z`);
// - Go's time.Time.String(): `2024-04-17 19:46:19 +0800 CST`, `… +0000 UTC m=+465268.89`;
// - another daemon's own timestamp (`time="2024-11-29T18:13:11.682692569Z"` from containerd or
//   dockerd logfmt, `"time":"…"` from their JSON): the moment that line was written;
// - a date-time with no zone (`2020-05-19 11:22:19`): a wall time, good for the year only;
// - version-1 UUIDs (old pod UIDs, PVC names), which embed their creation time: the year only.
// Not counted: times that point into the future (certificate expiry, rotation deadlines, `No
// retries permitted until …`), recognised by the words just before them, since a certificate
// valid for a year would otherwise vote for the next year. Go's zero time (year 1) and times
// outside 1970–2199 are dropped.
// Whether a found time is about the line's own moment, and what that says, is decided by the
// caller (parser/resolve-time.ts), which knows the line's wall clock.

import { daysFromCivil } from './time.js';

export type EvidenceKind = 'rfc3339' | 'go-time' | 'daemon-time' | 'wall-date' | 'uuid-v1' | 'json-ts';

export interface FoundTime {
  /** Epoch µs (UTC) when `absolute`; otherwise the zone-less wall time read as if it were UTC. */
  us: number;
  absolute: boolean;
  kind: EvidenceKind;
  /** The time as written, for reports (at most 48 characters). */
  text: string;
}

const US_PER_SECOND = 1_000_000;
const MIN_US = 0; // 1970
const MAX_US = 7_258_118_400_000_000; // 2200-01-01

// `[12]` first and fixed separators: irregexp skips most of a line at its first character.
const DATE_TIME = /[12]\d{3}-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d:[0-6]\d/g;
/** The zone after a date-time (sticky, at its end): fraction, then `Z`, `+08:00`, `+0800`, ` +0800 CST`, ` UTC`. */
const ZONE_AFTER = /(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d\d):?(\d\d)| ([+-])(\d\d)(\d\d)(?: [A-Z][A-Za-z]{1,5}\b)?(?!\d)| (?:UTC|GMT)\b)?/y;
/** Words that make a time a deadline or an expiry, not a moment of the line. */
const FUTURE_WORDS = /expir|deadline|until|not ?after|rotat|renew|retry|backoff|next /i;
const FUTURE_LOOKBACK = 40;
/** A version-1 UUID: its third group starts with 1, its fourth with 8, 9, a or b. */
const UUID_V1 = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-1[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}/g;
/** Cheap gate for UUID_V1 (most lines hold version-4 UIDs only). */
const UUID_V1_GATE = /-1[0-9a-fA-F]{3}-[89abAB]/;
/** 100-ns intervals between the UUID epoch (1582-10-15) and 1970-01-01. */
const UUID_EPOCH_OFFSET_US = 12_219_292_800_000_000;

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

/**
 * Append the times found in `text` to `out`. `withUuids`: also read version-1 UUIDs (slower; the
 * caller asks only while it still decides). Never throws.
 */
export function findTimes(text: string, withUuids: boolean, out: FoundTime[]): void {
  DATE_TIME.lastIndex = 0;
  for (let m = DATE_TIME.exec(text); m !== null; m = DATE_TIME.exec(text)) {
    const at = m.index;
    // part of a longer number (`12024-…`) is not a date
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    if (before >= 48 && before <= 57) continue;
    const month = num(text, at + 5, 2);
    const day = num(text, at + 8, 2);
    const hour = num(text, at + 11, 2);
    const second = num(text, at + 17, 2);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || second > 60) continue;
    ZONE_AFTER.lastIndex = at + 19;
    const z = ZONE_AFTER.exec(text)!; // every part is optional: always matches
    const end = at + 19 + z[0].length;
    DATE_TIME.lastIndex = end;
    if (isFutureTime(text, at)) continue;
    const frac = z[1];
    let micros = 0;
    if (frac !== undefined) for (let i = 0; i < 6; i++) micros = micros * 10 + (i < frac.length ? frac.charCodeAt(i) - 48 : 0);
    const wall =
      (daysFromCivil(num(text, at, 4), month, day) * 86_400 + (hour * 60 + num(text, at + 14, 2)) * 60 + second) * US_PER_SECOND + micros;
    let offset: number | undefined;
    let kind: EvidenceKind = 'rfc3339';
    if (z[2] !== undefined) offset = 0;
    else if (z[3] !== undefined) offset = (z[3] === '-' ? -1 : 1) * (Number(z[4]) * 60 + Number(z[5]));
    else if (z[6] !== undefined) {
      offset = (z[6] === '-' ? -1 : 1) * (Number(z[7]) * 60 + Number(z[8]));
      kind = 'go-time';
    } else if (z[0].endsWith('UTC') || z[0].endsWith('GMT')) {
      offset = 0;
      kind = 'go-time';
    }
    if (offset !== undefined && Math.abs(offset) > 18 * 60) continue;
    const absolute = offset !== undefined;
    if (!absolute) kind = 'wall-date';
    else if (isDaemonTimeKey(text, at)) kind = 'daemon-time';
    const us = wall - (offset ?? 0) * 60 * US_PER_SECOND;
    if (us < MIN_US || us >= MAX_US) continue;
    out.push({ us, absolute, kind, text: text.slice(at, Math.min(end, at + 48)) });
  }
  if (withUuids && UUID_V1_GATE.test(text)) findUuidTimes(text, out);
}

function findUuidTimes(text: string, out: FoundTime[]): void {
  UUID_V1.lastIndex = 0;
  for (let m = UUID_V1.exec(text); m !== null; m = UUID_V1.exec(text)) {
    const u = m[0];
    // 60-bit count of 100-ns intervals: hi (12 bits) · 2^48 + mid · 2^32 + low. A double keeps it to
    // about 26 µs, plenty for a year.
    const intervals = parseInt(u.slice(15, 18), 16) * 2 ** 48 + parseInt(u.slice(9, 13), 16) * 2 ** 32 + parseInt(u.slice(0, 8), 16);
    const us = Math.floor(intervals / 10) - UUID_EPOCH_OFFSET_US;
    if (us < MIN_US || us >= MAX_US) continue;
    out.push({ us, absolute: true, kind: 'uuid-v1', text: u });
  }
}

function isFutureTime(text: string, at: number): boolean {
  return at > 0 && FUTURE_WORDS.test(text.slice(Math.max(0, at - FUTURE_LOOKBACK), at));
}

/** `time="…`, `time=…`, `"time":"…`, `ts=…` just before `at`: a daemon's own write time. */
function isDaemonTimeKey(text: string, at: number): boolean {
  let i = at - 1;
  if (i >= 0 && text.charCodeAt(i) === 34) i--; // "
  const sep = text.charCodeAt(i);
  if (sep === 58) {
    // `"time":`
    i--;
    if (i >= 0 && text.charCodeAt(i) === 34) i--;
  } else if (sep !== 61) return false; // =
  else i--;
  let start = i;
  while (start >= 0 && isWordChar(text.charCodeAt(start))) start--;
  const key = text.slice(start + 1, i + 1);
  return key === 'time' || key === 'ts' || key === 'timestamp';
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
