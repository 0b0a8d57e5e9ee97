// The two sides at a glance, and the facts in which they differ: what the kubelet was (version,
// verbosity, restarts) first, then counts by how far apart they are.
import type { OverviewDifference, OverviewFacts, OverviewField, OverviewSection, SideOverview } from './types.js';

export function overviewFacts(o: SideOverview): OverviewFacts {
  const { label: _label, sources: _sources, nodes: _nodes, ...facts } = o;
  return {
    ...facts,
    severity: { ...o.severity },
    kubeletVersions: [...o.kubeletVersions],
    verbosity: o.verbosity ? { ...o.verbosity } : null,
    spanUs: o.firstUs !== null && o.lastUs !== null ? o.lastUs - o.firstUs : null,
  };
}

/** `4 (flag)`, `≥4 (enter-exit-lines)`; null when the log does not show it. */
export const verbosityText = (f: OverviewFacts): string | null => (f.verbosity ? `${f.verbosity.atLeast ? '≥' : ''}${f.verbosity.level} (${f.verbosity.evidence})` : null);
export const versionsText = (f: OverviewFacts): string | null => (f.kubeletVersions.length ? [...new Set(f.kubeletVersions)].join(', ') : null);

const TEXT_FIELDS: Array<[OverviewField, (f: OverviewFacts) => string | null]> = [
  ['kubeletVersions', versionsText],
  ['verbosity', verbosityText],
];

const NUMBER_FIELDS: Array<[OverviewField, (f: OverviewFacts) => number | null]> = [
  ['restarts', (f) => f.restarts],
  ['spanUs', (f) => f.spanUs],
  ['linesRead', (f) => f.linesRead],
  ['records', (f) => f.records],
  ['foreignLines', (f) => f.foreignLines],
  ['rejectedLines', (f) => f.rejectedLines],
  ['severity.I', (f) => f.severity.I],
  ['severity.W', (f) => f.severity.W],
  ['severity.E', (f) => f.severity.E],
  ['severity.F', (f) => f.severity.F],
  ['severity.none', (f) => f.severity.none],
  ['pods', (f) => f.pods],
];

export function diffOverview(a: SideOverview, b: SideOverview): OverviewSection {
  const fa = overviewFacts(a);
  const fb = overviewFacts(b);
  const text: OverviewDifference[] = [];
  for (const [field, get] of TEXT_FIELDS) {
    const va = get(fa);
    const vb = get(fb);
    if (va !== vb) text.push({ field, a: va, b: vb, change: null });
  }
  const numbers: OverviewDifference[] = [];
  for (const [field, get] of NUMBER_FIELDS) {
    const va = get(fa);
    const vb = get(fb);
    if (va === vb) continue;
    const change = va !== null && vb !== null ? Math.abs(Math.log2((vb + 1) / (va + 1))) : null;
    numbers.push({ field, a: va, b: vb, change });
  }
  // a number against none (a log without times) is as different as it gets
  numbers.sort((x, y) => (y.change ?? Number.MAX_VALUE) - (x.change ?? Number.MAX_VALUE));
  return { a: fa, b: fb, differences: [...text, ...numbers] };
}
