// Time primitives for kubelet logs: pure, allocation-light, integer microsecond arithmetic.
//
// Epoch values are microseconds since 1970-01-01T00:00:00Z held in a JS number. Every value up to
// year 2255 (2^53 µs) is an exact integer, so no precision is lost as long as inputs are integers.

/** A wall-clock time as a log wrote it: no zone, and no year when the format has none. */
export interface WallClock {
  year?: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60 * US_PER_SECOND;
const US_PER_DAY = 86_400 * US_PER_SECOND;

// ---------------------------------------------------------------------------------------------
// Months

const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

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
  const off = Math.round(offsetMinutes);
  const zone = off === 0 ? 'Z' : formatOffset(off);
  return `${y}-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}.${pad6(micros)}${zone}`;
}

/**
 * `2024-06-07 14:54:46.123` (UTC, with `fractionDigits` of the second, 0–6): {@link formatIsoUs}
 * for tables and summaries, which say "UTC" once rather than on every time.
 */
export function formatTableTime(epochUs: number, fractionDigits = 3): string {
  const iso = formatIsoUs(epochUs);
  const dot = iso.indexOf('.', iso.indexOf('T'));
  if (dot < 0) return iso; // not finite
  return iso.slice(0, fractionDigits > 0 ? dot + 1 + Math.min(fractionDigits, 6) : dot).replace('T', ' ');
}

/** `14:54:46.123456`: the UTC time of day of {@link formatIsoUs}, to the µs. */
export function formatClockUs(epochUs: number): string {
  const iso = formatIsoUs(epochUs);
  const t = iso.indexOf('T');
  return t < 0 ? iso : iso.slice(t + 1, -1);
}

/** `+08:00`, `-05:30`, `+00:00` for an offset in whole minutes east of UTC. */
export function formatOffset(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
