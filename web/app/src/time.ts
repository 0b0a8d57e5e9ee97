// Times in the app are epoch µs (UTC), as the store keeps them, written by parser/time.ts's one
// formatter (Date only sees milliseconds).

/**
 * isoUs: 2024-06-07T06:12:01.123456Z, exact, for URLs and titles; clockUs: 06:12:01.123456;
 * dateTimeMs: 2024-06-07 06:12:01.123, for tables (all UTC).
 */
export { formatIsoUs as isoUs, formatClockUs as clockUs, formatTableTime as dateTimeMs } from '../../../parser/time.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Parses isoUs() output, a plain ISO time, or epoch µs digits; undefined when it is neither. */
export function parseIsoUs(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  if (/^\d{10,17}$/.test(s)) return Number(s);
  const m = /^(.*?)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(base)) return undefined;
  return base * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** A duration people read: 850µs, 12.3ms, 4.20s, 3m 05s, 2h 10m. */
export function duration(us: number | null | undefined): string {
  if (us === null || us === undefined) return '—';
  const a = Math.abs(us);
  const sign = us < 0 ? '-' : '';
  if (a < 1000) return `${sign}${a}µs`;
  if (a < 1_000_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)}ms`;
  const s = a / 1e6;
  if (s < 60) return `${sign}${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}m ${pad(Math.floor(s % 60))}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${sign}${h}h ${pad(m % 60)}m`;
  return `${sign}${Math.floor(h / 24)}d ${pad(h % 24)}h`;
}
