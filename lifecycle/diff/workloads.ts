// Pod lifecycles per workload on both sides: how long pods take to start, to terminate and to be
// cleaned up (p50, p90, max), and what went wrong with them. A change is one when its fold and
// its distance pass the thresholds (a p90 duration's, or the incidents per pod's); changes, and
// workloads by their most significant change, rank by how unlikely chance makes them: the
// Mann-Whitney U test of the two sides' pods' durations, the G-test of the incident counts over the
// numbers of pods, both as chi-square statistics with one degree of freedom. A ratio alone would
// put one pod's 0.2 s → 3 s above thirty pods that all went from 2 s to 20 s.
import type { IncidentKind } from '../incidents.js';
import { durationStats, log2Fold, mannWhitneyChi2, poissonG, proportionG, ranked } from './stats.js';
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

/** A pod's durations of a metric: what the sides' samples are made of. */
const durationsOf = (pods: readonly SidePod[], m: Metric): number[] =>
  m === 'startup' ? pods.flatMap((p) => (p.startupUs === null ? [] : [p.startupUs])) : pods.flatMap((p) => (m === 'terminating' ? p.terminatingUs : p.terminatedUs));

/**
 * Who a pod is across the two sides: its UID; a pod the log never gave a UID is only the same pod
 * on the same node (two nodes' `kube-proxy` of a DaemonSet share a name, never a life).
 */
const podIdentity = (p: SidePod): string => p.uid ?? `${p.node ?? ''}\u0000${p.key}`;

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
    startup: durationStats(durationsOf(pods, 'startup')),
    terminating: durationStats(durationsOf(pods, 'terminating')),
    terminated: durationStats(durationsOf(pods, 'terminated')),
    incidents,
    incidentTotal: incidentCount,
  };
}

function changesOf(podsA: readonly SidePod[], podsB: readonly SidePod[], a: WorkloadSide, b: WorkloadSide, t: Thresholds): WorkloadChange[] {
  const minLog = Math.log2(t.minFold);
  const out: WorkloadChange[] = [];
  for (const m of METRICS) {
    const sa = a[m];
    const sb = b[m];
    if (!sa || !sb || Math.abs(sb.p90Us - sa.p90Us) < t.minAbsUs[m]) continue;
    const fold = log2Fold(sa.p90Us, sb.p90Us, t.floorUs);
    if (Math.abs(fold) >= minLog) out.push({ what: m, a: sa.p90Us, b: sb.p90Us, log2Fold: fold, significance: mannWhitneyChi2(durationsOf(podsA, m), durationsOf(podsB, m)) });
  }
  if (Math.abs(b.incidentTotal - a.incidentTotal) >= t.minIncidentDiff && a.pods > 0 && b.pods > 0) {
    // per pod: a workload that ran twice as many pods may show twice as many incidents
    const fold = Math.log2((b.incidentTotal + 1) / b.pods / ((a.incidentTotal + 1) / a.pods));
    if (Math.abs(fold) >= minLog) out.push({ what: 'incidents', a: a.incidentTotal, b: b.incidentTotal, log2Fold: fold, significance: poissonG(a.incidentTotal, b.incidentTotal, a.pods, b.pods).g });
  }
  return out.sort((x, y) => y.significance - x.significance || Math.abs(y.log2Fold) - Math.abs(x.log2Fold));
}

function onlyOn(mine: Map<string, SidePod[]>, other: Map<string, SidePod[]>): WorkloadOnly[] {
  const out: WorkloadOnly[] = [];
  for (const [workload, pods] of mine) {
    if (!other.has(workload)) out.push({ workload, pods: pods.length, incidents: pods.reduce((n, p) => n + incidentTotal(p), 0) });
  }
  return out.sort((x, y) => y.pods - x.pods || y.incidents - x.incidents || x.workload.localeCompare(y.workload));
}

function podsOnlyOn(mine: readonly SidePod[], other: readonly SidePod[]): PodOnly[] {
  const theirs = new Set(other.map(podIdentity));
  return mine
    .filter((p) => !theirs.has(podIdentity(p)))
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
    const changes = changesOf(podsA, podsB, sa, sb, t);
    steps.push(...stepDiffs(workload, podsA, podsB, t));
    if (changes.length) diffs.push({ workload, a: sa, b: sb, score: changes[0]!.significance, changes });
  }
  diffs.sort((x, y) => y.score - x.score || Math.abs(y.changes[0]!.log2Fold) - Math.abs(x.changes[0]!.log2Fold) || x.workload.localeCompare(y.workload));
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
