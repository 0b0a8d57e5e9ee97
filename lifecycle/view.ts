// What the CLI and the web show of a pod: the lifecycle with its records' text resolved. The
// `--json` output of `kubelog pod` is this shape (schemas/pod.schema.json).
import type { LogRecord, Severity } from '../parser/types.js';
import type { Lane } from './catalogue-types.js';
import type { IncidentKind, IncidentSeverity } from './incidents.js';
import type { PodState } from './model.js';
import type { BoundaryMark, PhaseName } from './phases.js';
import { lengthUs, mapPoints, type Breakdown, type Step } from './breakdown.js';

export interface ViewPoint {
  line: number;
  /** Epoch µs; absent for logs without times. */
  timeUs?: number;
  /** The source the record came from (a store source id), when there are several. */
  source?: number;
}

export interface PhaseView {
  phase: PhaseName;
  start: ViewPoint;
  /** Where it ended; for an open phase, where the log or its kubelet stopped (the duration is then a lower bound). */
  end: ViewPoint;
  startBy: BoundaryMark;
  endBy: BoundaryMark;
  evidence: 'exact' | 'inferred';
  open: boolean;
  calls: number;
  durationUs: number | null;
  gracePeriodS?: number;
}

/** A pod's phases as a list of pods stores them (pods.phases_json). */
export interface PhaseSummary {
  phase: PhaseName;
  evidence: 'exact' | 'inferred';
  open: boolean;
  calls: number;
  startUs: number | null;
  endUs: number | null;
  startLine: number;
  endLine: number;
  startBy: BoundaryMark;
  endBy: BoundaryMark;
}

export interface EventView extends ViewPoint {
  lane: Lane | null;
  kind: string;
  severity?: Severity;
  msg: string;
  kv: LogRecord['kv'];
  raw?: string;
}

export interface IncidentView extends ViewPoint {
  kind: IncidentKind;
  severity: IncidentSeverity;
  /** How many lines show it; `evidence` lists the first of them. */
  lines: number;
  evidence: ViewPoint[];
  subject?: string;
  detail: string;
}

export interface PodView {
  key: string;
  uid: string | null;
  namespace?: string;
  name?: string;
  workload?: string;
  node?: string;
  static: boolean;
  /** A mirror pod: the UID of its static pod. */
  mirrorOf?: string;
  exact: boolean;
  state: PodState;
  first: ViewPoint;
  last: ViewPoint;
  phases: PhaseView[];
  finished: (ViewPoint & { evidence: 'exact' | 'inferred' }) | null;
  incidents: IncidentView[];
  /** Each startup and teardown, step by step, the critical path marked (lifecycle/breakdown.ts). */
  startup: BreakdownView[];
  teardown: BreakdownView[];
  events: EventView[];
}

export type StepView = Step<ViewPoint> & { durationUs: number | null };
export type BreakdownView = Omit<Breakdown<ViewPoint>, 'steps'> & { durationUs: number | null; steps: StepView[] };

/** A breakdown as stored (points as `[record id, time µs | null]`), for the view. */
export type StoredPoint = [number, number | null];

/** The view of a breakdown, its points resolved by `at`, with durations. */
export function breakdownView<P>(b: Breakdown<P>, at: (p: P) => ViewPoint): BreakdownView {
  const v = mapPoints(b, at);
  return { ...v, durationUs: lengthUs(v), steps: v.steps.map((s) => ({ ...s, durationUs: durationOf(s.start, s.end) })) };
}

export function durationOf(start: ViewPoint, end: ViewPoint | null): number | null {
  return end && start.timeUs !== undefined && end.timeUs !== undefined ? end.timeUs - start.timeUs : null;
}

/** `inferred:syncloop-delete` → its mark (how phases' boundaries are stored). */
export function markOf(text: string): BoundaryMark {
  const colon = text.indexOf(':');
  return (colon < 0 ? { evidence: text } : { evidence: text.slice(0, colon), by: text.slice(colon + 1) }) as BoundaryMark;
}
