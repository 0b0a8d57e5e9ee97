// What the CLI and the web show of a pod: the lifecycle with its records' text resolved. The
// `--json` output of `kubelog pod` is this shape (schemas/pod.schema.json).
import type { LogRecord, Severity } from '../parser/types.js';
import type { Lane } from './catalogue-types.js';
import type { IncidentKind as AnomalyKind } from './incidents.js';
import type { PhaseName } from './phases.js';

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
  end: ViewPoint | null;
  evidence: 'exact' | 'inferred';
  open: boolean;
  calls: number;
  durationUs: number | null;
  gracePeriodS?: number;
}

export interface EventView extends ViewPoint {
  lane: Lane | null;
  kind: string;
  severity?: Severity;
  msg: string;
  kv: LogRecord['kv'];
  raw?: string;
}

export interface AnomalyView extends ViewPoint {
  kind: AnomalyKind;
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
  first: ViewPoint;
  last: ViewPoint;
  phases: PhaseView[];
  finished: (ViewPoint & { evidence: 'exact' | 'inferred' }) | null;
  anomalies: AnomalyView[];
  events: EventView[];
}

export function durationOf(start: ViewPoint, end: ViewPoint | null): number | null {
  return end && start.timeUs !== undefined && end.timeUs !== undefined ? end.timeUs - start.timeUs : null;
}
