// Pod lifecycles per workload on both sides: how long pods take to start, to terminate and to be
// cleaned up (p50, p90, max), and what went wrong with them. A workload ranks by its largest
// change: the fold of a p90 duration (when the two p90s are also far enough apart in seconds) or of
// its incidents per pod (when the counts are also far enough apart), whichever is larger.
import type { IncidentKind } from '../incidents.js';
import { durationStats, log2Fold, proportionG, ranked } from './stats.js';
import type { Thresholds } from './thresholds.js';
import type { IncidentChange, LifecycleSection, Metric, PodOnly, SidePod, StepDiff, WorkloadChange, WorkloadDiff, WorkloadOnly, WorkloadSide } from './types.js';

export const METRICS: readonly Metric[] = ['startup', 'terminating', 'terminated'];

/** Pods the log never names share one row. */
export const UNNAMED = '(unnamed pods)';

const workloadOf = (p: SidePod) => p.workload ?? UNNAMED;
const podName = (p: SidePod) => (p.name === null ? null : `${p.namespace ? `${p.namespace}/` : ''}${p.name}`);

function incidentTotal(p: SidePod): number {
  let n = 0;
  for (const c of Object.values(p.incidents)) n += c ?? 0;
  return n;
}

function byWorkload(pods: readonly SidePod[]): Map<string, SidePod[]> {
  const out = new Map<string, SidePod[]>();
  for (const p of pods) {
    const w = workloadOf(p);
    const list = out.get(w);
    if (list) list.push(p);
    else out.set(w, [p]);
  }
  return out;
}

export function workloadSide(pods: readonly SidePod[]): WorkloadSide {
  const incidents: Partial<Record<IncidentKind, number>> = {};
  let incidentCount = 0;
  for (const p of pods) {
    for (const [k, n] of Object.entries(p.incidents) as [IncidentKind, number][]) incidents[k] = (incidents[k] ?? 0) + n;
    incidentCount += incidentTotal(p);
  }
  return {
    pods: pods.length,
    startup: durationStats(pods.flatMap((p) => (p.startupUs === null ? [] : [p.startupUs]))),
    terminating: durationStats(pods.flatMap((p) => p.terminatingUs)),
    terminated: durationStats(pods.flatMap((p) => p.terminatedUs)),
    incidents,
    incidentTotal: incidentCount,
  };
}

function changesOf(a: WorkloadSide, b: WorkloadSide, t: Thresholds): WorkloadChange[] {
  const minLog = Math.log2(t.minFold);
  const out: WorkloadChange[] = [];
  for (const m of METRICS) {
    const sa = a[m];
    const sb = b[m];
    if (!sa || !sb || Math.abs(sb.p90Us - sa.p90Us) < t.minAbsUs[m]) continue;
    const fold = log2Fold(sa.p90Us, sb.p90Us, t.floorUs);
    if (Math.abs(fold) >= minLog) out.push({ what: m, a: sa.p90Us, b: sb.p90Us, log2Fold: fold });
  }
  if (Math.abs(b.incidentTotal - a.incidentTotal) >= t.minIncidentDiff && a.pods > 0 && b.pods > 0) {
    // per pod: a workload that ran twice as many pods may show twice as many incidents
    const fold = Math.log2((b.incidentTotal + 1) / b.pods / ((a.incidentTotal + 1) / a.pods));
    if (Math.abs(fold) >= minLog) out.push({ what: 'incidents', a: a.incidentTotal, b: b.incidentTotal, log2Fold: fold });
  }
  return out.sort((x, y) => Math.abs(y.log2Fold) - Math.abs(x.log2Fold));
}

function onlyOn(mine: Map<string, SidePod[]>, other: Map<string, SidePod[]>): WorkloadOnly[] {
  const out: WorkloadOnly[] = [];
  for (const [workload, pods] of mine) {
    if (!other.has(workload)) out.push({ workload, pods: pods.length, incidents: pods.reduce((n, p) => n + incidentTotal(p), 0) });
  }
  return out.sort((x, y) => y.pods - x.pods || y.incidents - x.incidents || x.workload.localeCompare(y.workload));
}

function podsOnlyOn(mine: readonly SidePod[], other: readonly SidePod[]): PodOnly[] {
  const keys = new Set(other.map((p) => p.key));
  return mine
    .filter((p) => !keys.has(p.key))
    .map((p): PodOnly => ({ key: p.key, pod: podName(p), workload: p.workload, incidents: incidentTotal(p) }))
    .sort((x, y) => y.incidents - x.incidents || (x.pod ?? x.key).localeCompare(y.pod ?? y.key));
}

function incidentKinds(a: readonly SidePod[], b: readonly SidePod[]): IncidentChange[] {
  const count = (pods: readonly SidePod[]) => {
    const m = new Map<IncidentKind, { n: number; pods: number }>();
    for (const p of pods) {
      for (const [k, n] of Object.entries(p.incidents) as [IncidentKind, number][]) {
        const c = m.get(k) ?? { n: 0, pods: 0 };
        c.n += n;
        c.pods++;
        m.set(k, c);
      }
    }
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const out: IncidentChange[] = [];
  for (const kind of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(kind) ?? { n: 0, pods: 0 };
    const y = cb.get(kind) ?? { n: 0, pods: 0 };
    if (x.n !== y.n || x.pods !== y.pods) out.push({ kind, a: x.n, b: y.n, podsA: x.pods, podsB: y.pods, ...proportionG(x.pods, a.length, y.pods, b.length) });
  }
  return out.sort((x, y) => y.g - x.g || Math.abs(y.b - y.a) - Math.abs(x.b - x.a) || x.kind.localeCompare(y.kind));
}

/** Each step's p50/p90 on both sides of a workload, where it changed past the startup's thresholds. */
function stepDiffs(workload: string, a: readonly SidePod[], b: readonly SidePod[], t: Thresholds): StepDiff[] {
  const all = (pods: readonly SidePod[], step: string) => pods.flatMap((p) => p.steps[step] ?? []);
  const keys = new Set([...a.flatMap((p) => Object.keys(p.steps)), ...b.flatMap((p) => Object.keys(p.steps))]);
  const out: StepDiff[] = [];
  for (const step of keys) {
    const sa = durationStats(all(a, step));
    const sb = durationStats(all(b, step));
    if (!sa || !sb || Math.abs(sb.p90Us - sa.p90Us) < t.minAbsUs.startup) continue;
    const fold = log2Fold(sa.p90Us, sb.p90Us, t.floorUs);
    if (Math.abs(fold) >= Math.log2(t.minFold)) out.push({ workload, step, a: sa, b: sb, log2Fold: fold });
  }
  return out;
}

export function diffLifecycle(a: readonly SidePod[], b: readonly SidePod[], t: Thresholds, top: number): LifecycleSection {
  const wa = byWorkload(a);
  const wb = byWorkload(b);
  const diffs: WorkloadDiff[] = [];
  const steps: StepDiff[] = [];
  let compared = 0;
  for (const [workload, podsA] of wa) {
    const podsB = wb.get(workload);
    if (!podsB) continue;
    compared++;
    const sa = workloadSide(podsA);
    const sb = workloadSide(podsB);
    const changes = changesOf(sa, sb, t);
    steps.push(...stepDiffs(workload, podsA, podsB, t));
    if (changes.length) diffs.push({ workload, a: sa, b: sb, score: Math.abs(changes[0]!.log2Fold), changes });
  }
  diffs.sort((x, y) => y.score - x.score || x.workload.localeCompare(y.workload));
  return {
    compared,
    workloads: ranked(diffs, top),
    steps: ranked(steps.sort((x, y) => Math.abs(y.log2Fold) - Math.abs(x.log2Fold) || x.workload.localeCompare(y.workload) || x.step.localeCompare(y.step)), top),
    incidents: ranked(incidentKinds(a, b), top),
    onlyA: ranked(onlyOn(wa, wb), top),
    onlyB: ranked(onlyOn(wb, wa), top),
    podsOnlyA: ranked(podsOnlyOn(a, b), top),
    podsOnlyB: ranked(podsOnlyOn(b, a), top),
  };
}
