// `kubelog diff`'s vocabulary: what one side of a diff is (facts the store loads from a
// database: its overview, one row per pod, message counts, event sequences), and what the diff of
// two sides says (the `--json` output, schemas/diff.schema.json).
import type { Severity } from '../../parser/types.js';
import type { IncidentKind } from '../incidents.js';

// ------------------------------------------------------------------ input: one side

export interface SideSource {
  id: number;
  path: string;
  node: string | null;
}

/** Where the kubelet's -v level comes from: its `FLAG: --v=` line (exact), else a lower bound. */
export interface Verbosity {
  level: number;
  /** The log shows at least this level (JSON `v`, or the pod worker's V4 enter/exit lines), not the flag itself. */
  atLeast: boolean;
  evidence: 'flag' | 'json-v' | 'enter-exit-lines';
}

/** A log's span and how its lines were read: of a source (pipeline/contents.ts), or of a side. */
export interface LogTotals {
  /** Epoch µs of the first and last record; null for a log without times. */
  firstUs: number | null;
  lastUs: number | null;
  linesRead: number;
  records: number;
  foreignLines: number;
  rejectedLines: number;
}

/** What the overview compares of a side. */
export interface SideFacts extends LogTotals {
  /** Records by klog severity; `none`: records without one (header-less text). */
  severity: Record<Severity | 'none', number>;
  pods: number;
  /** `kubeletVersion=` of `Kubelet version` lines (`Version: v…` in printf logs): each once, in log order. */
  kubeletVersions: string[];
  verbosity: Verbosity | null;
  /** Kubelet restarts (new process) within the side. */
  restarts: number;
}

export interface SideOverview extends SideFacts {
  /** What the side was named by: a file, `node:NAME`, `source:1,2`. */
  label: string;
  sources: SideSource[];
  nodes: string[];
}

/** A pod as one side saw it: only its phases and incidents that side's records show. */
export interface SidePod {
  /** The UID, or `~namespace/name` when the log never states it. */
  key: string;
  uid: string | null;
  /** The node it was first seen on: a pod without a UID is the same pod only on the same node. */
  node: string | null;
  namespace: string | null;
  name: string | null;
  workload: string | null;
  /** µs from creation to running: `podStartSLOduration`, else the first sync start to the first PLEG ContainerStarted. */
  startupUs: number | null;
  startupFrom: 'slo' | 'pleg' | null;
  /** Durations of the closed terminating / terminated phases, µs. */
  terminatingUs: number[];
  terminatedUs: number[];
  /** Each startup and teardown step's durations, by `startup.image`, `teardown.stop`, … (lifecycle/breakdown.ts). */
  steps: Partial<Record<string, number[]>>;
  incidents: Partial<Record<IncidentKind, number>>;
}

/** Records sharing a message (its interned text), printf format and severity. */
export interface MessageGroup {
  msg: string;
  /** Id of the printf format (schemas/printf-messages.json) the message matched. */
  printf: string | null;
  severity: Severity | null;
  count: number;
  firstUs: number | null;
  lastUs: number | null;
}

/** One event on a pod's timeline. */
export interface SideEvent {
  /** Catalogue kind (`api.add`, `runtime.pleg`, …) or `other`. */
  kind: string;
  msg: string;
  printf: string | null;
  timeUs: number | null;
}

/** Who a pod is across two sides: its UID, else its key on its node (see podIdentity). */
export type PodIdentity = Pick<SidePod, 'uid' | 'key' | 'node'>;

export interface DiffSide {
  overview: SideOverview;
  /**
   * The side's pods by workload (side-pods.ts: workloadOrder), always in the same order; each call
   * reads them again. The diff reads each side once, the two side by side a workload at a time: a
   * database side holds a chunk of pods at a time, not a million.
   */
  pods: () => Iterable<SidePod>;
  /** Whether the side has a pod of this identity. */
  hasPod: (p: PodIdentity) => boolean;
  messages: MessageGroup[];
  /**
   * The events of a pod of this side by UID, asked for each UID both sides have (see SamePods),
   * one at a time, and read as they are iterated (each iteration reads them again): one pod that
   * logs a line a second for weeks has a million events.
   */
  events?: (uid: string) => Iterable<SideEvent>;
}

// ------------------------------------------------------------------ output: the diff

export interface SideInfo {
  label: string;
  sources: SideSource[];
  nodes: string[];
}

/** The facts the overview compares, with the time span between the first and last record. */
export interface OverviewFacts extends SideFacts {
  spanUs: number | null;
}

export type OverviewField =
  | 'kubeletVersions'
  | 'verbosity'
  | 'restarts'
  | 'spanUs'
  | 'linesRead'
  | 'records'
  | 'foreignLines'
  | 'rejectedLines'
  | 'severity.I'
  | 'severity.W'
  | 'severity.E'
  | 'severity.F'
  | 'severity.none'
  | 'pods';

export interface OverviewDifference {
  field: OverviewField;
  a: number | string | null;
  b: number | string | null;
  /** |log2(b/a)| of a number (+1 each, so 0 → n counts), null for text. */
  change: number | null;
}

export interface OverviewSection {
  a: OverviewFacts;
  b: OverviewFacts;
  /** Fields whose values differ: versions and verbosity first, then by `change`. */
  differences: OverviewDifference[];
}

export type Metric = 'startup' | 'terminating' | 'terminated';

export interface DurationStats {
  count: number;
  p50Us: number;
  p90Us: number;
  maxUs: number;
}

export interface WorkloadSide {
  pods: number;
  startup: DurationStats | null;
  terminating: DurationStats | null;
  terminated: DurationStats | null;
  incidents: Partial<Record<IncidentKind, number>>;
  incidentTotal: number;
}

export interface WorkloadChange {
  what: Metric | 'incidents';
  /** p90 in µs for a metric; the incident count for `incidents`. */
  a: number;
  b: number;
  /** log2(b/a) (durations floored, counts +1). */
  log2Fold: number;
  /**
   * How far the change is from chance, as a chi-square statistic with one degree of freedom: for
   * durations the Mann-Whitney U test of the two sides' pods (z²), for incidents the G-test of the
   * counts over the numbers of pods. It ranks; the fold and the distance in seconds only gate.
   */
  significance: number;
}

export interface WorkloadDiff {
  workload: string;
  a: WorkloadSide;
  b: WorkloadSide;
  /** The largest significance among the changes: what ranks the workloads (most significant first). */
  score: number;
  changes: WorkloadChange[];
}

/** A count on both sides as rates over the sides' exposures, with a two-sample Poisson G-test. */
export interface CountChange {
  a: number;
  b: number;
  /** Per hour (or per record, see exposure). */
  rateA: number;
  rateB: number;
  /** rateB / rateA; null when a is 0. */
  fold: number | null;
  /** Log-likelihood ratio statistic (1 degree of freedom) and its p-value. */
  g: number;
  p: number;
}

/** An incident kind on both sides: occurrences, and pods showing it (what is tested and ranked). */
export interface IncidentChange {
  kind: IncidentKind;
  a: number;
  b: number;
  podsA: number;
  podsB: number;
  /** G-test of the share of pods showing it, A against B (1 degree of freedom), and its p-value. */
  g: number;
  p: number;
}

export interface WorkloadOnly {
  workload: string;
  pods: number;
  incidents: number;
}

export interface PodOnly {
  key: string;
  pod: string | null;
  workload: string | null;
  incidents: number;
}

export interface Ranked<T> {
  /** The first --top of them. */
  items: T[];
  total: number;
}

/** One step of the startups or teardowns of one workload on both sides, p50/p90 of its durations. */
export interface StepDiff {
  workload: string;
  /** `startup.image`, `teardown.stop`, … (lifecycle/breakdown.ts step names). */
  step: string;
  a: DurationStats;
  b: DurationStats;
  /** log2(b/a) of the p90s. */
  log2Fold: number;
}

export interface LifecycleSection {
  /** Workloads on both sides. */
  compared: number;
  /** Those with a change past the thresholds, largest first. */
  workloads: Ranked<WorkloadDiff>;
  /** Steps of a workload whose p90 changed past the thresholds (the startup's), largest fold first. */
  steps: Ranked<StepDiff>;
  /** Incident kinds whose counts differ, by G of the share of pods showing them. */
  incidents: Ranked<IncidentChange>;
  onlyA: Ranked<WorkloadOnly>;
  onlyB: Ranked<WorkloadOnly>;
  podsOnlyA: Ranked<PodOnly>;
  podsOnlyB: Ranked<PodOnly>;
}

export interface TemplateChange extends CountChange {
  template: string;
  /** The most severe level it was logged at. */
  severity: Severity | null;
}

export interface MessagesSection {
  /**
   * What rates are per: hours of each side's time span; or records, when a side has no times or
   * spans less than `minRateSpanUs` (a count over seconds says nothing per hour): `exposureWhy`.
   */
  exposure: 'hours' | 'records';
  exposureWhy: 'no-times' | 'short-span' | null;
  minRateSpanUs: number;
  exposureA: number;
  exposureB: number;
  templatesA: number;
  templatesB: number;
  /** On B only, by G (for a count against 0, its rate). */
  new: Ranked<TemplateChange>;
  /** On A only. */
  gone: Ranked<TemplateChange>;
  /** On both, rate changed by at least the fold threshold with p below the threshold, by G. */
  changed: Ranked<TemplateChange>;
}

export interface SeqEvent {
  index: number;
  kind: string;
  template: string;
  timeUs: number | null;
}

export interface PodDivergence {
  uid: string;
  pod: string | null;
  workload: string | null;
  eventsA: number;
  eventsB: number;
  /**
   * `time`: from the first event both have (same kind, template and time: overlapping logs);
   * `order`: no such event, so from each side's first event, by kind and template.
   */
  alignedBy: 'time' | 'order';
  alignedAt: { a: number; b: number };
  /** Events equal from the alignment on, before they part. */
  common: number;
  /** Where they part, and each side's event there (null: that side has ended). */
  partsAt: { a: number; b: number };
  a: SeqEvent | null;
  b: SeqEvent | null;
  /** Events outside the common run, both sides together: what ranks the pods. */
  differing: number;
}

export interface SamePodsSection {
  compared: number;
  identical: number;
  diverging: Ranked<PodDivergence>;
}

export interface DiffResult {
  a: SideInfo;
  b: SideInfo;
  overview: OverviewSection;
  lifecycle: LifecycleSection;
  messages: MessagesSection;
  samePods: SamePodsSection;
}
