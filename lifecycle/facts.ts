// What the lifecycle model keeps of a record: a few small fields instead of the whole record, so
// that a log of millions of records fits in memory while its pods are built.
import type { LogRecord, Severity } from '../parser/types.js';
import type { CatalogueEntry } from './catalogue-types.js';

export interface RecordFacts {
  /** Position of the record in the input (0-based). */
  index: number;
  line: number;
  timeUs?: number;
  pid?: number;
  severity?: Severity;
  entry: CatalogueEntry | undefined;
  /** `gracePeriod=` of the record. */
  grace?: number;
  /** A PLEG event: its type and the container/sandbox ID. */
  pleg?: { type: string; data: string };
  /** `Volume detached for volume …`: the last one ends an inferred terminated phase. */
  volumeDetached?: true;
  /** A kill with a grace period (a teardown, or a restart after failed probes): the container's name and ID. */
  kill?: { container?: string; id?: string };
  /** Volume teardown (`UnmountVolume started`, `TearDown succeeded`): the pod is no longer running. */
  volumeTeardown?: true;
  /** A probe failed. */
  probeFailed?: true;
  /** What an anomaly shows: the message and its `err`. */
  detail?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `keep` makes a flat copy of strings that outlive the record (see Interner). */
export function factsOf(r: LogRecord, index: number, entry: CatalogueEntry | undefined, keep: (s: string) => string = (s) => s, epoch = 0): RecordFacts & { epoch: number } {
  // the fields every record has, set at once: one shape, stored in the object itself (a million
  // of these are held while the pods are built; growing them field by field costs twice the memory)
  const f: RecordFacts & { epoch: number } = { index, line: r.line, entry, epoch, timeUs: r.timeUs, pid: r.pid, severity: r.severity };
  const g = r.kv.gracePeriod;
  if (typeof g === 'number') f.grace = g;
  const ev = r.kv.event;
  if (r.msg.startsWith('SyncLoop (PLEG)') && isObject(ev) && typeof ev.Type === 'string' && typeof ev.Data === 'string') f.pleg = { type: keep(ev.Type), data: keep(ev.Data) };
  if (r.msg.startsWith('Volume detached for volume')) f.volumeDetached = true;
  if (r.msg.startsWith('Killing container with a grace period') || r.printf === 'killing-container-grace') {
    const c = r.kv.containerName;
    const id = typeof r.kv.containerID === 'string' ? /([0-9a-f]{12,64})$/.exec(r.kv.containerID)?.[1] : undefined;
    f.kill = {};
    if (typeof c === 'string') f.kill.container = keep(c);
    if (id) f.kill.id = keep(id);
  }
  if (r.msg.startsWith('operationExecutor.UnmountVolume started') || r.msg.startsWith('UnmountVolume.TearDown succeeded')) f.volumeTeardown = true;
  if (entry?.anomaly === 'probe-failed') f.probeFailed = true;
  if (entry?.anomaly) {
    const err = r.kv.err;
    f.detail = keep(typeof err === 'string' ? `${r.msg}: ${err}` : r.msg);
  }
  return f;
}
