// When a difference is one: the thresholds every section applies, in one place.
import type { Metric } from './types.js';

export interface Thresholds {
  /** Durations (p90) closer than this, in µs, are no change whatever their ratio. */
  minAbsUs: Record<Metric, number>;
  /** Durations, incidents per pod and message rates must change by at least this factor. */
  minFold: number;
  /** Durations below this (µs) compare as this: a ratio of two tiny times says nothing. */
  floorUs: number;
  /** A workload's incident counts must differ by at least this many. */
  minIncidentDiff: number;
  /** A message rate change must have a G-test p-value below this. */
  maxP: number;
  /** Sides spanning less than this (µs) compare messages per record, not per hour. */
  minRateSpanUs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minAbsUs: { startup: 1_000_000, terminating: 2_000_000, terminated: 2_000_000 },
  minFold: 1.5,
  floorUs: 100_000,
  minIncidentDiff: 3,
  maxP: 0.001,
  // ten minutes: a kubelet's periodic lines (housekeeping, probes, status syncs) come every few
  // seconds to a minute; over less, the rate per hour is a handful of lines multiplied up
  minRateSpanUs: 600_000_000,
};

/** What rates are per: hours when both sides span at least `minSpanUs`, else records, and why. */
export interface Exposure {
  unit: 'hours' | 'records';
  a: number;
  b: number;
  why: 'no-times' | 'short-span' | null;
}

export function exposureOf(a: { firstUs: number | null; lastUs: number | null; records: number }, b: { firstUs: number | null; lastUs: number | null; records: number }, minSpanUs: number): Exposure {
  const span = (o: typeof a) => (o.firstUs !== null && o.lastUs !== null ? o.lastUs - o.firstUs : 0);
  const sa = span(a);
  const sb = span(b);
  if (sa >= minSpanUs && sb >= minSpanUs && sa > 0 && sb > 0) return { unit: 'hours', a: sa / 3.6e9, b: sb / 3.6e9, why: null };
  return { unit: 'records', a: a.records, b: b.records, why: sa > 0 && sb > 0 ? 'short-span' : 'no-times' };
}

/**
 * What the messages' rates are per, in words for people (the CLI and the app say the same):
 * per hour, or per record and why, with the spans that made it so.
 */
export function exposureWords(m: { exposure: 'hours' | 'records'; exposureWhy: 'no-times' | 'short-span' | null; minRateSpanUs: number }, spanA: number | null, spanB: number | null, duration: (us: number) => string): string {
  if (m.exposure === 'hours') return 'rates per hour';
  if (m.exposureWhy === 'short-span') {
    const span = (s: number | null) => (s === null ? 'no time' : duration(s));
    return `rates per record, not per hour: A spans ${span(spanA)}, B ${span(spanB)}, and a rate per hour over less than ${duration(m.minRateSpanUs)} is a few lines multiplied up`;
  }
  return 'rates per record: a side has no times';
}
