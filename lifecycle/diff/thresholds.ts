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
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minAbsUs: { startup: 1_000_000, terminating: 2_000_000, terminated: 2_000_000 },
  minFold: 1.5,
  floorUs: 100_000,
  minIncidentDiff: 3,
  maxP: 0.001,
};

/** What rates are per: hours when both sides have a time span, else records. */
export interface Exposure {
  unit: 'hours' | 'records';
  a: number;
  b: number;
}

export function exposureOf(a: { firstUs: number | null; lastUs: number | null; records: number }, b: { firstUs: number | null; lastUs: number | null; records: number }): Exposure {
  const hours = (o: typeof a) => (o.firstUs !== null && o.lastUs !== null ? (o.lastUs - o.firstUs) / 3.6e9 : 0);
  const ha = hours(a);
  const hb = hours(b);
  return ha > 0 && hb > 0 ? { unit: 'hours', a: ha, b: hb } : { unit: 'records', a: a.records, b: b.records };
}
