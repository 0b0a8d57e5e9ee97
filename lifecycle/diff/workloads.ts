// Pod lifecycles per workload on both sides: how long pods take to start, to terminate and to be
// cleaned up (p50, p90, max), and what went wrong with them. A change is one when its fold and
// its distance pass the thresholds (a p90 duration's, or the incidents per pod's); changes, and
// workloads by their most significant change, rank by how unlikely chance makes them: the
// Mann-Whitney U test of the two sides' pods' durations, the G-test of the incident counts over the
// numbers of pods, both as chi-square statistics with one degree of freedom. A ratio alone would
// put one pod's 0.2 s → 3 s above thirty pods that all went from 2 s to 20 s.
import type { IncidentKind } from '../incidents.js';
import { durationStats, log2Fold, mannWhitneyChi2, poissonG, proportionG, ranked, TopRanked } from './stats.js';
import type { Thresholds } from './thresholds.js';
import type { IncidentChange, LifecycleSection, Metric, PodOnly, Ranked, SidePod, StepDiff, WorkloadChange, WorkloadDiff, WorkloadOnly, WorkloadSide } from './types.js';

export const METRICS: readonly Metric[] = ['startup', 'terminating', 'terminated'];

/** Pods the log never names share one row. */
export const UNNAMED = '(unnamed pods)';

const podName = (p: SidePod) => (p.name === null ? null : `${p.namespace ? `${p.namespace}/` : ''}${p.name}`);

function incidentTotal(p: SidePod): number {
  let n = 0;
  for (const c of Object.values(p.incidents)) n += c ?? 0;
  return n;
}

/** What a side's pods of one workload add up to: counts, and the duration samples the tests rank by. */
class WorkloadSamples {
  pods = 0;
  readonly durations: Record<Metric, number[]> = { startup: [], terminating: [], terminated: [] };
  readonly incidents: Partial<Record<IncidentKind, number>> = {};
  incidentTotal = 0;
  /** Each step's durations (`startup.image`, …), steps in the order the pods first show them. */
  readonly steps = new Map<string, number[]>();

  add(p: SidePod): void {
    this.pods++;
    if (p.startupUs !== null) this.durations.startup.push(p.startupUs);
    for (const us of p.terminatingUs) this.durations.terminating.push(us);
    for (const us of p.terminatedUs) this.durations.terminated.push(us);
    for (const [k, n] of Object.entries(p.incidents) as [IncidentKind, number][]) this.incidents[k] = (this.incidents[k] ?? 0) + n;
    this.incidentTotal += incidentTotal(p);
    for (const [step, list] of Object.entries(p.steps)) {
      const into = this.steps.get(step);
      if (into) for (const us of list!) into.push(us);
      else this.steps.set(step, [...list!]);
    }
  }

  side(): WorkloadSide {
    return {
      pods: this.pods,
      startup: durationStats(this.durations.startup),
      terminating: durationStats(this.durations.terminating),
      terminated: durationStats(this.durations.terminated),
      incidents: { ...this.incidents },
      incidentTotal: this.incidentTotal,
    };
  }
}

/** A pod one side has and the other has not, as the diff lists it. */
export const podOnly = (p: SidePod): PodOnly => ({ key: p.key, pod: podName(p), workload: p.workload, incidents: incidentTotal(p) });

/** Pods on one side only: those with the most incidents first, then by name, then by key (a name's pods one after another). */
export const podOnlyOrder = (x: PodOnly, y: PodOnly): number => y.incidents - x.incidents || (x.pod ?? x.key).localeCompare(y.pod ?? y.key) || x.key.localeCompare(y.key);

function changesOf(sa: WorkloadSamples, sb: WorkloadSamples, a: WorkloadSide, b: WorkloadSide, t: Thresholds): WorkloadChange[] {
  const minLog = Math.log2(t.minFold);
  const out: WorkloadChange[] = [];
  for (const m of METRICS) {
    const da = a[m];
    const db = b[m];
    if (!da || !db || Math.abs(db.p90Us - da.p90Us) < t.minAbsUs[m]) continue;
    const fold = log2Fold(da.p90Us, db.p90Us, t.floorUs);
    if (Math.abs(fold) >= minLog) out.push({ what: m, a: da.p90Us, b: db.p90Us, log2Fold: fold, significance: mannWhitneyChi2(sa.durations[m], sb.durations[m]) });
  }
  if (Math.abs(b.incidentTotal - a.incidentTotal) >= t.minIncidentDiff && a.pods > 0 && b.pods > 0) {
    // per pod: a workload that ran twice as many pods may show twice as many incidents
    const fold = Math.log2((b.incidentTotal + 1) / b.pods / ((a.incidentTotal + 1) / a.pods));
    if (Math.abs(fold) >= minLog) out.push({ what: 'incidents', a: a.incidentTotal, b: b.incidentTotal, log2Fold: fold, significance: poissonG(a.incidentTotal, b.incidentTotal, a.pods, b.pods).g });
  }
  return out.sort((x, y) => y.significance - x.significance || Math.abs(y.log2Fold) - Math.abs(x.log2Fold));
}

/** Each step's p50/p90 on both sides of a workload, where it changed past the startup's thresholds. */
function stepDiffs(workload: string, a: WorkloadSamples, b: WorkloadSamples, t: Thresholds): StepDiff[] {
  const out: StepDiff[] = [];
  for (const step of new Set([...a.steps.keys(), ...b.steps.keys()])) {
    const sa = durationStats(a.steps.get(step) ?? []);
    const sb = durationStats(b.steps.get(step) ?? []);
    if (!sa || !sb || Math.abs(sb.p90Us - sa.p90Us) < t.minAbsUs.startup) continue;
    const fold = log2Fold(sa.p90Us, sb.p90Us, t.floorUs);
    if (Math.abs(fold) >= Math.log2(t.minFold)) out.push({ workload, step, a: sa, b: sb, log2Fold: fold });
  }
  return out;
}

const diffOrder = (x: WorkloadDiff, y: WorkloadDiff): number =>
  y.score - x.score || Math.abs(y.changes[0]!.log2Fold) - Math.abs(x.changes[0]!.log2Fold) || x.workload.localeCompare(y.workload);
const stepOrder = (x: StepDiff, y: StepDiff): number => Math.abs(y.log2Fold) - Math.abs(x.log2Fold) || x.workload.localeCompare(y.workload) || x.step.localeCompare(y.step);
const onlyOrder = (x: WorkloadOnly, y: WorkloadOnly): number => y.pods - x.pods || y.incidents - x.incidents || x.workload.localeCompare(y.workload);

/** Each incident kind's occurrences and pods on one side. */
class KindCounts {
  readonly kinds = new Map<IncidentKind, { n: number; pods: number }>();
  pods = 0;
  add(p: SidePod): void {
    this.pods++;
    for (const [k, n] of Object.entries(p.incidents) as [IncidentKind, number][]) {
      const c = this.kinds.get(k);
      if (c) {
        c.n += n;
        c.pods++;
      } else this.kinds.set(k, { n, pods: 1 });
    }
  }
}

/**
 * The lifecycle section, built a workload at a time: the diff hands it each workload's pods of
 * both sides (one side's, when the other has none), and it keeps the current workload's durations,
 * the top of each ranked list and the counts per incident kind: nothing that grows with the number
 * of workloads, nor with the pods of any but the current one.
 */
export class LifecycleDiff {
  private compared = 0;
  private readonly workloads: TopRanked<WorkloadDiff>;
  private readonly steps: TopRanked<StepDiff>;
  private readonly only: [TopRanked<WorkloadOnly>, TopRanked<WorkloadOnly>];
  private readonly kinds = [new KindCounts(), new KindCounts()] as const;
  private current: [WorkloadSamples | undefined, WorkloadSamples | undefined] = [undefined, undefined];

  constructor(
    private readonly t: Thresholds,
    private readonly top: number,
  ) {
    this.workloads = new TopRanked(top, diffOrder);
    this.steps = new TopRanked(top, stepOrder);
    this.only = [new TopRanked(top, onlyOrder), new TopRanked(top, onlyOrder)];
  }

  /** A pod of side 0 (A) or 1 (B), of the workload being read. */
  add(side: 0 | 1, p: SidePod): void {
    this.kinds[side].add(p);
    (this.current[side] ??= new WorkloadSamples()).add(p);
  }

  /** The workload's pods have all been added, of both sides. */
  endWorkload(workload: string | null): void {
    const name = workload ?? UNNAMED;
    const [a, b] = this.current;
    this.current = [undefined, undefined];
    if (a && b) {
      this.compared++;
      const sa = a.side();
      const sb = b.side();
      const changes = changesOf(a, b, sa, sb, this.t);
      for (const step of stepDiffs(name, a, b, this.t)) this.steps.offer(step);
      if (changes.length) this.workloads.offer({ workload: name, a: sa, b: sb, score: changes[0]!.significance, changes });
    } else if (a || b) {
      const samples = (a ?? b)!;
      this.only[a ? 0 : 1].offer({ workload: name, pods: samples.pods, incidents: samples.incidentTotal });
    }
  }

  result(podsOnlyA: Ranked<PodOnly>, podsOnlyB: Ranked<PodOnly>): LifecycleSection {
    return {
      compared: this.compared,
      workloads: this.workloads.result(),
      steps: this.steps.result(),
      incidents: ranked(this.incidentKinds(), this.top),
      onlyA: this.only[0].result(),
      onlyB: this.only[1].result(),
      podsOnlyA,
      podsOnlyB,
    };
  }

  private incidentKinds(): IncidentChange[] {
    const [a, b] = this.kinds;
    const out: IncidentChange[] = [];
    for (const kind of new Set([...a.kinds.keys(), ...b.kinds.keys()])) {
      const x = a.kinds.get(kind) ?? { n: 0, pods: 0 };
      const y = b.kinds.get(kind) ?? { n: 0, pods: 0 };
      if (x.n !== y.n || x.pods !== y.pods) out.push({ kind, a: x.n, b: y.n, podsA: x.pods, podsB: y.pods, ...proportionG(x.pods, a.pods, y.pods, b.pods) });
    }
    return out.sort((x, y) => y.g - x.g || Math.abs(y.b - y.a) - Math.abs(x.b - x.a) || x.kind.localeCompare(y.kind));
  }
}
