// The numbers the diff ranks by: duration percentiles, and whether two counts observed over
// different exposures (hours of log) differ more than chance would make them.
import type { CountChange, DurationStats } from './types.js';

/** Nearest-rank percentiles of durations (µs); null for none. */
export function durationStats(values: readonly number[]): DurationStats | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const at = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
  return { count: s.length, p50Us: at(0.5), p90Us: at(0.9), maxUs: s[s.length - 1]! };
}

/**
 * Complementary error function (Numerical Recipes `erfcc`: Chebyshev fit, relative error below
 * 1.2e-7 everywhere), for p-values far into the tail.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(X ≥ g) for X chi-square with one degree of freedom. */
export function chiSquare1Tail(g: number): number {
  return g <= 0 ? 1 : erfc(Math.sqrt(g / 2));
}

/**
 * Two-sample Poisson rate test: `a` events over exposure `ea` against `b` over `eb`. Under one
 * common rate the counts split in proportion to the exposures; G = 2 Σ x ln(x / expected) is the
 * log-likelihood ratio of separate rates against that, chi-square with 1 degree of freedom.
 */
export function poissonG(a: number, b: number, ea: number, eb: number): { g: number; p: number } {
  const n = a + b;
  if (n === 0 || ea <= 0 || eb <= 0) return { g: 0, p: 1 };
  const expA = (n * ea) / (ea + eb);
  const expB = (n * eb) / (ea + eb);
  const term = (x: number, e: number) => (x > 0 ? x * Math.log(x / e) : 0);
  const g = Math.max(0, 2 * (term(a, expA) + term(b, expB)));
  return { g, p: chiSquare1Tail(g) };
}

/**
 * Two-proportion test: `ka` of `na` against `kb` of `nb` (pods showing an incident among all pods).
 * G-test of independence on the 2×2 table, chi-square with 1 degree of freedom. Counting pods, not
 * occurrences, keeps one pod that fails a hundred times from looking like a hundred pods.
 */
export function proportionG(ka: number, na: number, kb: number, nb: number): { g: number; p: number } {
  const n = na + nb;
  const k = ka + kb;
  if (n === 0 || k === 0 || k === n) return { g: 0, p: 1 };
  const cells: Array<[number, number]> = [
    [ka, (na * k) / n],
    [na - ka, (na * (n - k)) / n],
    [kb, (nb * k) / n],
    [nb - kb, (nb * (n - k)) / n],
  ];
  let sum = 0;
  for (const [o, e] of cells) if (o > 0) sum += o * Math.log(o / e);
  const g = Math.max(0, 2 * sum);
  return { g, p: chiSquare1Tail(g) };
}

/**
 * Mann-Whitney U of two samples of durations as a chi-square statistic with one degree of freedom
 * (z², normal approximation with the tie correction), so that it ranks beside the G of a count. It
 * grows with the evidence: one pod against one pod is at most 1 whatever their ratio, thirty
 * against thirty that all moved is about 40.
 */
export function mannWhitneyChi2(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 0;
  const all = [...a.map((v) => [v, 0] as const), ...b.map((v) => [v, 1] as const)].sort((x, y) => x[0] - y[0]);
  const n = all.length;
  let rankA = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]![0] === all[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]![1] === 0) rankA += rank;
    i = j + 1;
  }
  const u = rankA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1) || 1));
  if (variance <= 0) return 0;
  const z = (u - mean) / Math.sqrt(variance);
  return z * z;
}

/** Counts as rates over the two exposures, with their G-test. */
export function countChange(a: number, b: number, ea: number, eb: number): CountChange {
  const rateA = ea > 0 ? a / ea : 0;
  const rateB = eb > 0 ? b / eb : 0;
  return { a, b, rateA, rateB, fold: rateA > 0 ? rateB / rateA : null, ...poissonG(a, b, ea, eb) };
}

/** log2 of b over a, both floored (durations near 0 say nothing about a ratio). */
export function log2Fold(a: number, b: number, floor: number): number {
  return Math.log2(Math.max(b, floor) / Math.max(a, floor));
}

/** The first `top` of a ranked list, with how many there were. */
export function ranked<T>(all: readonly T[], top: number): { items: T[]; total: number } {
  return { items: all.slice(0, top), total: all.length };
}

/**
 * The first `top` of a list offered one item at a time, by `order`, with how many were offered:
 * what `ranked` gives of the whole list sorted by `order` (a stable sort: of equal items, the one
 * offered first), holding at most twice `top` items whatever the list's length.
 */
export class TopRanked<T> {
  private items: T[] = [];
  private total = 0;
  constructor(
    private readonly top: number,
    private readonly order: (x: T, y: T) => number,
  ) {}
  offer(item: T): void {
    this.total++;
    this.items.push(item);
    if (this.items.length >= 2 * Math.max(1, this.top)) this.cut();
  }
  result(): { items: T[]; total: number } {
    this.cut();
    return { items: this.items.slice(), total: this.total };
  }
  private cut(): void {
    this.items.sort(this.order);
    this.items.length = Math.min(this.items.length, this.top);
  }
}
