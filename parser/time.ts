// Time primitives for kubelet logs: pure, allocation-light, integer microsecond arithmetic.
//
// Epoch values are microseconds since 1970-01-01T00:00:00Z held in a JS number. Every value up to
// year 2255 (2^53 µs) is an exact integer, so no precision is lost as long as inputs are integers.

import type { WallClock } from './envelope/index.js';

const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60 * US_PER_SECOND;
const US_PER_DAY = 86_400 * US_PER_SECOND;

// ---------------------------------------------------------------------------------------------
// Months

const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_FULL = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** The three lower-cased letters of an English month abbreviation packed into one integer → month 1–12. */
const MONTH_BY_KEY = new Map<number, number>(
  MONTH_ABBR.map((name, i) => [monthKey(name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2)), i + 1]),
);

function monthKey(a: number, b: number, c: number): number {
  // `| 32` lower-cases ASCII letters; callers make sure the three characters are letters.
  return ((a | 32) << 16) | ((b | 32) << 8) | (c | 32);
}

/**
 * Month number (1–12) of the three ASCII letters at `s[i..i+3)` (`Jun`, `JUN`, `jun`), or 0.
 * No allocation: used on the hot path of envelope detection.
 */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  if (!isAsciiLetter(a) || !isAsciiLetter(b) || !isAsciiLetter(c)) return 0;
  return MONTH_BY_KEY.get(monthKey(a, b, c)) ?? 0;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/**
 * English month name → 1–12, any case: three-letter abbreviations (`Jun`), full names (`June`) and
 * `Sept`. Anything else → undefined.
 */
export function monthFromName(s: string): number | undefined {
  if (s.length < 3) return undefined;
  const m = monthAt(s, 0);
  if (m === 0) return undefined;
  if (s.length === 3) return m;
  const lower = s.toLowerCase();
  if (lower === MONTH_FULL[m - 1] || (m === 9 && lower === 'sept')) return m;
  return undefined;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12); February has 29 when the year is unknown. 0 for an invalid month. */
export function daysInMonth(month: number, year?: number): number {
  switch (month) {
    case 2:
      return year === undefined || isLeapYear(year) ? 29 : 28;
    case 4: case 6: case 9: case 11:
      return 30;
    case 1: case 3: case 5: case 7: case 8: case 10: case 12:
      return 31;
    default:
      return 0;
  }
}

/** True when every field of the wall clock is in range (leap second 60 allowed; Feb 29 without a year). */
export function isValidWallClock(c: WallClock): boolean {
  return (
    Number.isInteger(c.month) && c.month >= 1 && c.month <= 12 &&
    Number.isInteger(c.day) && c.day >= 1 && c.day <= daysInMonth(c.month, c.year) &&
    Number.isInteger(c.hour) && c.hour >= 0 && c.hour <= 23 &&
    Number.isInteger(c.minute) && c.minute >= 0 && c.minute <= 59 &&
    Number.isInteger(c.second) && c.second >= 0 && c.second <= 60 &&
    Number.isInteger(c.micros) && c.micros >= 0 && c.micros <= 999_999 &&
    (c.year === undefined || Number.isInteger(c.year))
  );
}

// ---------------------------------------------------------------------------------------------
// Civil date <-> day number (Howard Hinnant's algorithms; exact integer math, proleptic Gregorian)

/** Days since 1970-01-01 of a proleptic Gregorian date. Equivalent to `Date.UTC(y, m - 1, d) / 864e5` for all years. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

interface Civil { year: number; month: number; day: number }

function civilFromDays(days: number): Civil {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * Epoch µs (UTC) of a wall clock read in a zone `offsetMinutes` east of UTC (`+08:00` → 480).
 * Integer math throughout, so every microsecond survives. Out-of-range fields roll over the way
 * `Date.UTC` rolls them (second 60 → next minute); validate with {@link isValidWallClock} first.
 */
export function wallToEpochUs(c: WallClock & { year: number }, offsetMinutes: number): number {
  return (
    daysFromCivil(c.year, c.month, c.day) * US_PER_DAY +
    ((c.hour * 60 + c.minute) * 60 + c.second) * US_PER_SECOND +
    c.micros -
    offsetMinutes * US_PER_MINUTE
  );
}

// ---------------------------------------------------------------------------------------------
// Offsets and zones

/**
 * A fixed UTC offset in minutes east of UTC: `Z`, `UTC`, `GMT`, `UT` (any case) → 0; `+0800`,
 * `+08:00`, `+08`, `-05:30`, `+8`, `UTC+8`, `GMT-05:00`. Hours above 18 or minutes above 59 →
 * undefined, as is anything else (IANA names, abbreviations such as `CST`, which are ambiguous).
 */
export function parseOffset(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  const c0 = text.charCodeAt(0);
  if (n === 1) return c0 === 90 || c0 === 122 ? 0 : undefined; // Z z
  // UT, UTC, GMT, optionally followed by a numeric offset (`UTC+8`)
  let i = startsWithWord(text, 'UTC') || startsWithWord(text, 'GMT') ? 3 : startsWithWord(text, 'UT') ? 2 : 0;
  if (i > 0 && i === n) return 0;
  const sign = text.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return undefined; // + -
  i++;
  const rest = n - i;
  let hours: number;
  let minutes = 0;
  if (rest === 1 || rest === 2) {
    hours = digits(text, i, rest);
  } else if (rest === 4) {
    hours = digits(text, i, 2);
    minutes = digits(text, i + 2, 2);
  } else if (rest === 5 && text.charCodeAt(i + 2) === 58) {
    hours = digits(text, i, 2);
    minutes = digits(text, i + 3, 2);
  } else {
    return undefined;
  }
  if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return sign === 45 ? (total === 0 ? 0 : -total) : total;
}

/** Case-insensitive `text.startsWith(word)` for an upper-case ASCII `word`. */
function startsWithWord(text: string, word: string): boolean {
  if (text.length < word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(k) & ~32) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** Value of `count` ASCII digits at `s[i..]`, or -1 if any is not a digit. */
function digits(s: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = s.charCodeAt(i + k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offset cache per zone, keyed by the 15-minute UTC slot (zone transitions fall on whole local quarter hours). */
const offsetCache = new Map<string, Map<number, number>>();
const SLOT_MS = 15 * 60_000;
const MAX_CACHED_SLOTS = 50_000;

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new RangeError(`unknown time zone "${tz}": use UTC, a fixed offset such as +08:00, or an IANA name such as Asia/Shanghai`);
    }
    formatters.set(tz, f);
  }
  return f;
}

/** True for a fixed offset accepted by {@link parseOffset} or an IANA zone name this Node knows. */
export function isValidTimeZone(tz: string): boolean {
  if (parseOffset(tz) !== undefined) return true;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offset of zone `tz` from UTC, in minutes east, at the instant `approxEpochMs`: a fixed offset
 * (see {@link parseOffset}) or an IANA name (`Asia/Shanghai`, `America/New_York`) via
 * `Intl.DateTimeFormat` (formatters and results cached). Throws a RangeError for a zone name Node
 * does not know (a configuration error; check with {@link isValidTimeZone}); NaN for an instant that is
 * not finite or outside Date's range.
 */
export function zoneOffsetMinutes(tz: string, approxEpochMs: number): number {
  const fixed = parseOffset(tz);
  if (fixed !== undefined) return fixed;
  if (!(Math.abs(approxEpochMs) <= 8.64e15)) return NaN; // non-finite, or outside the range Date can represent
  const slot = Math.floor(approxEpochMs / SLOT_MS);
  let cache = offsetCache.get(tz);
  if (cache !== undefined) {
    const hit = cache.get(slot);
    if (hit !== undefined) return hit;
  }
  const fmt = formatterFor(tz);
  const instant = slot * SLOT_MS;
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, bc = false;
  for (const p of fmt.formatToParts(instant)) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
      default: break;
    }
  }
  if (bc) year = 1 - year;
  const wallMs = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
  const offset = Math.round((wallMs - instant) / 60_000) + 0; // `+ 0` turns -0 into 0
  if (cache === undefined) {
    cache = new Map();
    offsetCache.set(tz, cache);
  } else if (cache.size >= MAX_CACHED_SLOTS) {
    cache.clear();
  }
  cache.set(slot, offset);
  return offset;
}

/**
 * Epoch µs of a wall clock read in zone `tz` (fixed offset or IANA name). Like JavaScript's `Date`:
 * a wall time repeated by a DST fall-back (overlap) gives the earlier instant; one skipped by a
 * spring-forward (gap) is read with the offset from before the transition (so 02:30 → 03:30).
 */
export function zonedWallToEpochUs(c: WallClock & { year: number }, tz: string): number {
  const asUtc = wallToEpochUs(c, 0);
  const ms = asUtc / 1000;
  // The offsets in force around this wall time (a zone changes offset at most once a day).
  const before = zoneOffsetMinutes(tz, ms - 86_400_000);
  const after = zoneOffsetMinutes(tz, ms + 86_400_000);
  if (before === after && zoneOffsetMinutes(tz, ms - before * 60_000) === before) return asUtc - before * US_PER_MINUTE;
  let best = NaN;
  for (const off of before === after ? [before, zoneOffsetMinutes(tz, ms)] : [before, after]) {
    const t = asUtc - off * US_PER_MINUTE;
    if (zoneOffsetMinutes(tz, t / 1000) === off && !(t >= best)) best = t; // earliest consistent reading
  }
  if (!Number.isNaN(best)) return best;
  return asUtc - before * US_PER_MINUTE; // in a gap: the offset from before the transition
}

/**
 * Zone offset (minutes east of UTC, multiple of 15) of a process whose wall time `wallUs` (klog
 * time read as if it were UTC) was received at the absolute instant `trueUtcUs` (journald
 * `__REALTIME_TIMESTAMP`, short-iso, short-unix). journald stamps within milliseconds, so rounding to
 * 15 minutes recovers the zone exactly. A result outside −12:00…+14:00 means the two times do not
 * belong together (wrong year guess, clock jump).
 */
export function inferOffsetMinutes(wallUs: number, trueUtcUs: number): number {
  return Math.round((wallUs - trueUtcUs) / (15 * US_PER_MINUTE)) * 15 + 0;
}

// ---------------------------------------------------------------------------------------------
// Year tracking

/**
 * The year assumption for one input whose times carry no year (RFC 3164 syslog, klog headers).
 * Feed the month of every timestamp in input order: a month more than 6 months before the previous
 * one starts the next year (Dec → Jan), more than 6 after it the previous year (Jan → Dec in
 * `journalctl -r` output). Smaller steps (out-of-order lines, Jun ↔ Jul jitter) never change it.
 */
export class YearTracker {
  private yearValue: number;
  private lastMonth = 0;

  constructor(startYear: number) {
    this.yearValue = startYear;
  }

  /** The year for a timestamp in `month` (1–12). An invalid month returns the current year unchanged. */
  yearFor(month: number): number {
    if (!(month >= 1 && month <= 12)) return this.yearValue;
    if (this.lastMonth !== 0) {
      const step = month - this.lastMonth;
      if (step < -6) this.yearValue++;
      else if (step > 6) this.yearValue--;
    }
    this.lastMonth = month;
    return this.yearValue;
  }

  /** The current year assumption. */
  get year(): number {
    return this.yearValue;
  }

  /** Re-anchor (a line with an absolute time, a klog file header): the next month starts fresh. */
  reset(year: number, month?: number): void {
    this.yearValue = year;
    this.lastMonth = month !== undefined && month >= 1 && month <= 12 ? month : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad6(n: number): string {
  return String(n).padStart(6, '0');
}

/**
 * `2024-06-07T14:54:46.123456Z`, or in a zone `offsetMinutes` east of UTC (`…+08:00`).
 * Rounds a fractional input to the nearest µs; a non-finite input gives `"NaN"`/`"Infinity"`.
 */
export function formatIsoUs(epochUs: number, offsetMinutes = 0): string {
  if (!Number.isFinite(epochUs) || !Number.isFinite(offsetMinutes)) return String(epochUs + offsetMinutes);
  const local = Math.round(epochUs) + Math.round(offsetMinutes) * US_PER_MINUTE;
  const days = Math.floor(local / US_PER_DAY);
  const inDay = local - days * US_PER_DAY;
  const secs = Math.floor(inDay / US_PER_SECOND);
  const micros = inDay - secs * US_PER_SECOND;
  const { year, month, day } = civilFromDays(days);
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : year < 0 ? `-${String(-year).padStart(6, '0')}` : `+${String(year).padStart(6, '0')}`;
  let zone = 'Z';
  const off = Math.round(offsetMinutes);
  if (off !== 0) {
    const abs = Math.abs(off);
    zone = `${off < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
  return `${y}-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}.${pad6(micros)}${zone}`;
}
