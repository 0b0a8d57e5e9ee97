// Time rendering: klog header times, transport (syslog/journald) timestamps, Go time.Time.String()
// and time.Duration.String(). All inputs are epoch microseconds (UTC); zones are fixed offsets.

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export interface Tz {
  /** Offset from UTC in minutes (east positive). */
  offsetMin: number;
  offsetUs: number;
  /** `+0800` */
  basic: string;
  /** `+08:00` */
  extended: string;
  /** Zone abbreviation as Go prints it in time.Time.String(): `UTC`, `CST`, or the numeric `+0800`. */
  goName: string;
}

/** Parse `+08:00`, `+0800`, `-05:30`, `Z`, `UTC`. */
export function parseTz(spec: string, name?: string): Tz {
  const s = spec.trim();
  let offsetMin = 0;
  if (!(s === 'Z' || s === 'UTC' || s === '')) {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
    if (!m) throw new Error(`invalid tz offset ${JSON.stringify(spec)} (expected +HH:MM)`);
    offsetMin = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1);
  }
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(a % 60).padStart(2, '0');
  const basic = `${sign}${hh}${mm}`;
  return {
    offsetMin,
    offsetUs: offsetMin * 60_000_000,
    basic,
    extended: `${sign}${hh}:${mm}`,
    goName: name ?? (offsetMin === 0 ? 'UTC' : basic),
  };
}

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const p6 = (n: number): string => String(1000000 + n).slice(1);

/** Calendar fields of a local second (cached by callers). */
export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(localSec: number): LocalParts {
  const d = new Date(localSec * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * Renders a timestamp format that only changes per second plus an optional microsecond part.
 * `make` builds the per-second text; results are cached for the last second seen.
 */
export class SecondCache {
  private sec = Number.NaN;
  private text = '';
  constructor(
    private readonly tz: Tz,
    private readonly make: (p: LocalParts) => string,
  ) {}
  /** Per-second text for epoch µs `t`, and `us` (0-999999) via `lastUs`. */
  lastUs = 0;
  at(t: number): string {
    const local = t + this.tz.offsetUs;
    const sec = Math.floor(local / 1_000_000);
    this.lastUs = local - sec * 1_000_000;
    if (sec !== this.sec) {
      this.sec = sec;
      this.text = this.make(localParts(sec));
    }
    return this.text;
  }
}

/** klog header time `mmdd hh:mm:ss.uuuuuu` in the kubelet's zone. */
export class KlogClock {
  private readonly c: SecondCache;
  constructor(tz: Tz) {
    this.c = new SecondCache(tz, (p) => `${p2(p.month)}${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}.`);
  }
  at(t: number): string {
    const s = this.c.at(t);
    return s + p6(this.c.lastUs);
  }
}

export type TransportStyle =
  | 'rfc3164' // `Jun  7 14:54:46` (rsyslog traditional, space-padded day)
  | 'short' // `Jun 07 14:54:46` (journalctl -o short)
  | 'short-precise' // `Jun 07 14:54:46.123456`
  | 'iso' // `2024-06-07T14:54:46+0800` or `+08:00`
  | 'iso-precise' // `2024-06-07T14:54:46.123456+08:00`
  | 'rfc3339'; // `2024-06-07T14:54:46.123456+08:00` (rsyslog RSYSLOG_FileFormat)

export class TransportClock {
  private readonly c: SecondCache;
  private readonly precise: boolean;
  private readonly suffix: string;
  constructor(style: TransportStyle, tz: Tz, isoColon: boolean) {
    const off = isoColon ? tz.extended : tz.basic;
    switch (style) {
      case 'rfc3164':
        this.c = new SecondCache(tz, (p) => `${MONTHS[p.month - 1]} ${String(p.day).padStart(2, ' ')} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`);
        this.precise = false;
        this.suffix = '';
        break;
      case 'short':
        this.c = new SecondCache(tz, (p) => `${MONTHS[p.month - 1]} ${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`);
        this.precise = false;
        this.suffix = '';
        break;
      case 'short-precise':
        this.c = new SecondCache(tz, (p) => `${MONTHS[p.month - 1]} ${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}.`);
        this.precise = true;
        this.suffix = '';
        break;
      case 'iso':
        this.c = new SecondCache(tz, (p) => `${p.year}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}${off}`);
        this.precise = false;
        this.suffix = '';
        break;
      case 'iso-precise':
      case 'rfc3339':
        this.c = new SecondCache(tz, (p) => `${p.year}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}.`);
        this.precise = true;
        this.suffix = style === 'rfc3339' ? tz.extended : off;
        break;
    }
  }
  at(t: number): string {
    const s = this.c.at(t);
    return this.precise ? s + p6(this.c.lastUs) + this.suffix : s;
  }
}

/**
 * Go `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST` (fraction trimmed of trailing
 * zeros, omitted when zero), plus ` m=+1.234567890` when the value carries a monotonic reading.
 * `ns` is 0-999 nanoseconds below the microsecond `t`.
 */
export function goTimeString(t: number, ns: number, tz: Tz, monoNs?: number): string {
  const local = t + tz.offsetUs;
  const sec = Math.floor(local / 1_000_000);
  const p = localParts(sec);
  const frac = (local - sec * 1_000_000) * 1000 + ns;
  let f = '';
  if (frac !== 0) {
    f = '.' + String(1_000_000_000 + frac).slice(1);
    f = f.replace(/0+$/, '');
  }
  let s = `${p.year}-${p2(p.month)}-${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}${f} ${tz.basic} ${tz.goName}`;
  if (monoNs !== undefined) {
    const neg = monoNs < 0;
    const a = Math.abs(monoNs);
    const whole = Math.floor(a / 1e9);
    const rest = a - whole * 1e9;
    s += ` m=${neg ? '-' : '+'}${whole}.${String(1_000_000_000 + rest).slice(1)}`;
  }
  return s;
}

export const GO_ZERO_TIME = '0001-01-01 00:00:00 +0000 UTC';

/** Go `time.Duration.String()` for a non-negative number of nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.round(Math.abs(ns));
  let out: string;
  if (u < 1000) out = `${u}ns`;
  else if (u < 1_000_000) out = trimFrac(u, 3) + 'µs';
  else if (u < 1_000_000_000) out = trimFrac(u, 6) + 'ms';
  else {
    const h = Math.floor(u / 3_600_000_000_000);
    u -= h * 3_600_000_000_000;
    const m = Math.floor(u / 60_000_000_000);
    u -= m * 60_000_000_000;
    out = trimFrac(u, 9) + 's';
    if (h > 0) out = `${h}h${m}m${out}`;
    else if (m > 0) out = `${m}m${out}`;
  }
  return neg ? '-' + out : out;
}

function trimFrac(v: number, digits: number): string {
  const div = 10 ** digits;
  const whole = Math.floor(v / div);
  const frac = v - whole * div;
  if (frac === 0) return String(whole);
  return `${whole}.${String(div + frac).slice(1).replace(/0+$/, '')}`;
}

/** RFC 3339 with nanoseconds in UTC, as Go's `time.RFC3339Nano` (trailing zeros trimmed). */
export function rfc3339NanoUtc(t: number, ns: number): string {
  const sec = Math.floor(t / 1_000_000);
  const p = localParts(sec);
  const frac = (t - sec * 1_000_000) * 1000 + ns;
  const f = frac === 0 ? '' : ('.' + String(1_000_000_000 + frac).slice(1)).replace(/0+$/, '');
  return `${p.year}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}${f}Z`;
}

/** RFC 3339 seconds in UTC (`2024-06-07T06:54:47Z`), as metav1.Time marshals. */
export function rfc3339Utc(t: number): string {
  const p = localParts(Math.floor(t / 1_000_000));
  return `${p.year}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}Z`;
}

/** `2024/06/07 14:54:46` (klog file header, local time). */
export function klogFileHeaderTime(t: number, tz: Tz): string {
  const p = localParts(Math.floor((t + tz.offsetUs) / 1_000_000));
  return `${p.year}/${p2(p.month)}/${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
}

/**
 * zap's epochMillisTimeEncoder: float64(UnixNano) / 1e6, printed with strconv 'f' -1.
 * Reproduces Go's int64 wrap-around for times outside 1678-2262 (e.g. the zero time).
 */
export function epochMillisFromUs(t: number): string {
  const nanos = t * 1000; // exact integer product rounded to float64, as Go's float64(int64)
  return fmtFloatF(nanos / 1e6);
}

export function epochMillisGoZeroTime(): string {
  // time.Time{}.UnixNano(): (-62135596800 * 1e9) wraps in int64 arithmetic.
  const wrapped = BigInt.asIntN(64, -62135596800n * 1_000_000_000n);
  return fmtFloatF(Number(wrapped) / 1e6);
}

/** strconv.FormatFloat(x, 'f', -1, 64): shortest digits, never an exponent. */
export function fmtFloatF(x: number): string {
  if (Number.isInteger(x) || Math.abs(x) >= 1e-6) {
    const s = String(x);
    if (!s.includes('e')) return s;
  }
  // Expand an exponent form: shortest digits from toString, placed without exponent.
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= 0) {
    const pad = exp + 1 - digits.length;
    return pad >= 0 ? sign + digits + '0'.repeat(pad) : sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return sign + '0.' + '0'.repeat(-exp - 1) + digits;
}
