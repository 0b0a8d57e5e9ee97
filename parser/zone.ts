// Zones: the one place that says what a zone is and how a wall-clock time is read in one.
// `--tz` is checked here (cli), applied here (parser/resolve-time.ts), and zone offsets inferred
// from a log's own times go through inferOffsetMinutes.
import { daysFromCivil, wallToEpochUs, type WallClock } from './time.js';
import abbreviations from '../schemas/zone-abbreviations.json' with { type: 'json' };

const US_PER_MINUTE = 60_000_000;

/** What a zone may be, for messages that ask for one. */
export const ZONE_FORMS = 'UTC, an offset such as +08:00, +8 or UTC+8, or an IANA name such as Asia/Shanghai';

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

const ABBREVIATIONS: ReadonlyMap<string, number> = new Map(Object.entries(abbreviations.offsets as Record<string, string>).map(([k, v]) => [k, parseOffset(v)!]));

/**
 * The offset of a zone abbreviation that names one (`MSK`, `CEST`; schemas/zone-abbreviations.json),
 * as journalctl prints it in its marker; undefined for an ambiguous one (`CST`, `IST`) or anything else.
 */
export function abbreviationOffset(word: string): number | undefined {
  return ABBREVIATIONS.get(word);
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
      throw new RangeError(`unknown time zone "${tz}": use ${ZONE_FORMS}`);
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

/** Year and month of the wall clock in zone `tz` (an offset or an IANA name; none: UTC) at the instant `us`. */
export function wallYearMonthAt(us: number, tz: string | undefined): { year: number; month: number } {
  const ms = Math.floor(us / 1000);
  const offset = tz === undefined ? 0 : zoneOffsetMinutes(tz, ms);
  const d = new Date(ms + (Number.isNaN(offset) ? 0 : offset) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
