// What the CLI and the web show of a pod: the lifecycle with its records' text resolved. The
// `--json` output of `kubelog pod` is this shape (schemas/pod.schema.json).
import type { LogRecord, Severity } from '../parser/types.js';
import type { Lane } from './catalogue-types.js';
import type { AnomalyKind } from './anomalies.js';
import type { PhaseName } from './phases.js';
import type { PodLifecycle } from './model.js';

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

const vp = (p: { line: number; timeUs?: number }): ViewPoint => (p.timeUs === undefined ? { line: p.line } : { line: p.line, timeUs: p.timeUs });

export function durationOf(start: ViewPoint, end: ViewPoint | null): number | null {
  return end && start.timeUs !== undefined && end.timeUs !== undefined ? end.timeUs - start.timeUs : null;
}

/** A lifecycle with the text of its records, for display. */
export function podView(p: PodLifecycle, records: readonly LogRecord[], opts: { raw?: boolean; node?: string } = {}): PodView {
  const view: PodView = {
    key: p.key,
    uid: p.uid,
    static: p.static,
    exact: p.exact,
    first: vp(p.first),
    last: vp(p.last),
    phases: p.phases.map((ph) => {
      const out: PhaseView = {
        phase: ph.phase,
        start: vp(ph.start),
        end: ph.end ? vp(ph.end) : null,
        evidence: ph.evidence,
        open: ph.open,
        calls: ph.calls,
        durationUs: durationOf(vp(ph.start), ph.end ? vp(ph.end) : null),
      };
      if (ph.gracePeriodS !== undefined) out.gracePeriodS = ph.gracePeriodS;
      return out;
    }),
    finished: p.finished ? { ...vp(p.finished), evidence: p.finished.evidence } : null,
    anomalies: p.anomalies.map((a) => ({ ...vp(a.at), kind: a.kind, detail: a.detail })),
    events: p.events.map((e) => {
      const r = records[e.index]!;
      const ev: EventView = { ...vp({ line: r.line, ...(r.timeUs !== undefined ? { timeUs: r.timeUs } : {}) }), lane: e.lane, kind: e.kind, msg: r.msg, kv: r.kv };
      if (r.severity) ev.severity = r.severity;
      if (opts.raw) ev.raw = r.raw;
      return ev;
    }),
  };
  if (p.namespace !== undefined) view.namespace = p.namespace;
  if (p.name !== undefined) view.name = p.name;
  if (p.workload !== undefined) view.workload = p.workload;
  if (opts.node !== undefined) view.node = opts.node;
  if (p.mirrorOf !== undefined) view.mirrorOf = p.mirrorOf;
  return view;
}
