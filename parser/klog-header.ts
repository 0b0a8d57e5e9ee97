// The klog header, `Lmmdd hh:mm:ss.uuuuuu PID file.go:line] ` (klog internal/buffer FormatHeader).
// Fixed width up to the PID, so a position scan is both exact and far cheaper than a regex.
import type { Severity } from './types.js';
import type { WallClock } from './time.js';

/** A klog header: its time is a wall clock without year or zone. */
export interface KlogHeader extends Omit<WallClock, 'year'> {
  severity: Severity;
  pid: number;
  caller: string;
  /** `mmdd hh:mm:ss.uuuuuu` as written. */
  timeText: string;
  /** Index of the first character of the message. */
  bodyStart: number;
}

export type HeaderScan = { ok: true; header: KlogHeader } | { ok: false; impossible: boolean };

const NO: HeaderScan = { ok: false, impossible: false };

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Scan a klog header at `at`. `impossible` is true when the shape is a header's but a field is out
 * of range (month 13, 25 o'clock): such a line is rejected rather than read as text.
 */
export function scanKlogHeader(s: string, at = 0): HeaderScan {
  const sev = s.charCodeAt(at);
  // I W E F
  if (sev !== 73 && sev !== 87 && sev !== 69 && sev !== 70) return NO;
  if (s.charCodeAt(at + 5) !== 32 || s.charCodeAt(at + 8) !== 58 || s.charCodeAt(at + 11) !== 58 || s.charCodeAt(at + 14) !== 46) return NO;
  const month = digits(s, at + 1, 2);
  const day = digits(s, at + 3, 2);
  const hour = digits(s, at + 6, 2);
  const minute = digits(s, at + 9, 2);
  const second = digits(s, at + 12, 2);
  const micros = digits(s, at + 15, 6);
  if (month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || micros < 0) return NO;
  // PID: right-aligned in 7 columns after one space; accept any run of spaces then digits.
  let i = at + 21;
  if (s.charCodeAt(i) !== 32) return NO;
  while (s.charCodeAt(i) === 32) i++;
  const pidStart = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === pidStart || s.charCodeAt(i) !== 32) return NO;
  const pid = Number(s.slice(pidStart, i));
  i++;
  // caller: `file.go:123]` (`???:1` when unknown, `dir/file.go:1` with --add_dir_header):
  // no spaces, and digits between the last `:` and the `]`
  const callerStart = i;
  let colon = -1;
  const limit = Math.min(s.length, callerStart + 256);
  for (; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 93) break; // ]
    if (c === 32) return NO;
    if (c === 58) colon = i;
  }
  if (i === limit || colon <= callerStart || colon === i - 1) return NO;
  for (let j = colon + 1; j < i; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return NO;
  }
  const end = i;
  if (end + 1 < s.length && s.charCodeAt(end + 1) !== 32) return NO;
  const caller = s.slice(callerStart, end);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return { ok: false, impossible: true };
  }
  return {
    ok: true,
    header: {
      severity: String.fromCharCode(sev) as Severity,
      month,
      day,
      hour,
      minute,
      second,
      micros,
      pid,
      caller,
      timeText: s.slice(at + 1, at + 21),
      bodyStart: Math.min(end + 2, s.length),
    },
  };
}
