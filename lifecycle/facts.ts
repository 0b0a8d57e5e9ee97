// What the lifecycle model keeps of a record: a few small fields instead of the whole record, so
// that a log of millions of records fits in memory while its pods are built.
import type { KvValue, LogRecord, Severity } from '../parser/types.js';
import type { CatalogueEntry, Signal } from './catalogue-types.js';
import { recordIncident, type RecordIncident } from './incident-rules.js';
import { stepOf, type StepMark } from './steps.js';

export interface RecordFacts {
  /** Position of the record in the input (0-based). */
  index: number;
  line: number;
  timeUs?: number;
  pid?: number;
  severity?: Severity;
  entry: CatalogueEntry | undefined;
  /** What the record says about the pod worker's state (the entry's signal, where its condition holds). */
  signal?: Signal;
  /** `gracePeriod=` of the record. */
  grace?: number;
  /** A PLEG event: its type and the container/sandbox ID. */
  pleg?: { type: string; data: string };
  /** A kill with a grace period (a teardown, or a restart): the container's name and ID. */
  kill?: { container?: string; id?: string };
  /** A container stopped (`Container exited normally`, `Generic (PLEG): container finished`): its ID and exit code. */
  stopped?: { id?: string; exitCode?: number };
  /** The kubelet said it will restart a container (`… failed liveness probe, will be restarted`). */
  restartNotice?: true;
  /** `source="file"`: a static pod's manifest event (a REMOVE from file tears the pod down). */
  fileSource?: true;
  /** The failure the record shows, before grouping. */
  incident?: RecordIncident;
  /** The startup or teardown step the record marks (lifecycle/breakdown.ts). */
  step?: StepMark;
}

const isObject = (v: unknown): v is Record<string, KvValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const CONTAINER_ID = /([0-9a-f]{12,64})$/;

function containerIdOf(v: KvValue | undefined): string | undefined {
  if (isObject(v)) return containerIdOf(v.ID);
  return typeof v === 'string' ? CONTAINER_ID.exec(v)?.[1] : undefined;
}

/** The entry's signal, if its condition (`signalWhen`) holds for this record. */
export function signalOf(r: Pick<LogRecord, 'kv'>, entry: CatalogueEntry | undefined): Signal | undefined {
  const s = entry?.signal;
  if (!s) return undefined;
  const when = entry.signalWhen;
  if (when) for (const k in when) if (r.kv[k] !== when[k]) return undefined;
  return s;
}

/** `keep` makes a flat copy of strings that outlive the record (see Interner). */
export function factsOf(r: LogRecord, index: number, entry: CatalogueEntry | undefined, keep: (s: string) => string = (s) => s, epoch = 0): RecordFacts & { epoch: number } {
  // the fields every record has, set at once: one shape, stored in the object itself (a million
  // of these are held while the pods are built; growing them field by field costs twice the memory)
  const f: RecordFacts & { epoch: number } = { index, line: r.line, entry, epoch, timeUs: r.timeUs, pid: r.pid, severity: r.severity };
  const signal = signalOf(r, entry);
  if (signal) f.signal = signal;
  const g = r.kv.gracePeriod;
  if (typeof g === 'number') f.grace = g;
  const kv = r.kv;
  const ev = kv.event;
  if (signal === 'pleg' && isObject(ev) && typeof ev.Type === 'string' && typeof ev.Data === 'string') f.pleg = { type: keep(ev.Type), data: keep(ev.Data) };
  const id = entry?.id;
  if (id === 'killing-container' || id === 'killing-container-override' || r.printf === 'killing-container-grace') {
    const c = kv.containerName;
    const cid = containerIdOf(kv.containerID);
    f.kill = {};
    if (typeof c === 'string') f.kill.container = keep(c);
    if (cid) f.kill.id = keep(cid);
  }
  if (id === 'container-exited' || id === 'pleg-container-finished') {
    f.stopped = {};
    const cid = containerIdOf(kv.containerID);
    if (cid) f.stopped.id = keep(cid);
    if (typeof kv.exitCode === 'number') f.stopped.exitCode = kv.exitCode;
  }
  if (id === 'message-for-container' && /will be restarted/.test(typeof kv.containerMessage === 'string' ? kv.containerMessage : r.msg)) f.restartNotice = true;
  if (kv.source === 'file') f.fileSource = true;
  const step = stepOf(r, entry);
  if (step) {
    if (step.subject !== undefined) step.subject = keep(step.subject);
    f.step = step;
  }
  const inc = recordIncident(r, entry);
  if (inc) {
    inc.detail = keep(inc.detail);
    if (inc.subject !== undefined) inc.subject = keep(inc.subject);
    f.incident = inc;
  }
  return f;
}
