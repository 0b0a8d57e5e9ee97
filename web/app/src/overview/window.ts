// The overview's time window: a domain in epoch µs, kept in the URL as ISO times.
import { isoUs, parseIsoUs } from '../time.js';

export type Domain = [number, number];

export function windowFromQuery(q: URLSearchParams): Domain | null {
  const a = parseIsoUs(q.get('from'));
  const b = parseIsoUs(q.get('to'));
  return a !== undefined && b !== undefined && b > a ? [a, b] : null;
}

export const windowToQuery = (d: Domain | null): { from: string | undefined; to: string | undefined } =>
  d ? { from: isoUs(Math.round(d[0])), to: isoUs(Math.round(d[1])) } : { from: undefined, to: undefined };

/** The data's span with a little air on both sides, never empty. */
export function padded(first: number | null, last: number | null): Domain | null {
  if (first === null || last === null) return null;
  const span = Math.max(last - first, 1_000_000);
  const pad = span * 0.02;
  return [first - pad, first + span + pad];
}

export const overlaps = (d: Domain, a: number | null, b: number | null): boolean => (a ?? b ?? -Infinity) <= d[1] && (b ?? a ?? Infinity) >= d[0];
