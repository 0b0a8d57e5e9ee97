// Records → pods: catalogue lookup, identity, joins, phases, anomalies. Pure: the same records
// always give the same lifecycles; the store feeds it and saves the result.
import type { LogRecord } from '../parser/types.js';
import { catalogue as projectCatalogue, type CatalogueIndex } from './catalogue.js';
import type { Lane } from './catalogue-types.js';
import { identify, Interner } from './identity.js';
import { Joiner } from './joins.js';
import { buildPhases, point, type Phase, type PhaseResult, type PodEvent, type Point, type RestartPoints } from './phases.js';
import { Column, StringIds, u32, u8 } from './columns.js';
import { FactTable } from './fact-table.js';
import type { ChunkSpill } from './rows.js';
import { factsOf } from './facts.js';
import { podAnomalies, type Anomaly } from './anomalies.js';
import { workloadOf } from './workload.js';
import { ProcessTracker } from './process.js';

export interface LifecycleEvent {
  /** Index of the record in the input. */
  index: number;
  /** Catalogue entry id, or null for a record the catalogue does not know. */
  entry: string | null;
  kind: string;
  lane: Lane | null;
}

export interface PodLifecycle {
  /** The pod UID, or `~ns/name` when the log never states the UID of that name. */
  key: string;
  uid: string | null;
  namespace?: string;
  name?: string;
  workload?: string;
  /** Static pod (UID is a 32-hex manifest hash). */
  static: boolean;
  /** For a mirror pod (the API's copy of a static pod): the static pod's UID. */
  mirrorOf?: string;
  first: Point;
  last: Point;
  phases: Phase[];
  finished: PhaseResult['finished'];
  /** Boundaries came from enter/exit lines. */
  exact: boolean;
  events: LifecycleEvent[];
  anomalies: Anomaly[];
}

export interface Lifecycles {
  pods: PodLifecycle[];
  /** Kubelet PIDs in the order the processes ran, where the log shows them. */
  kubeletPids: number[];
  /** Kubelet restarts seen (new PID, or a second start-up line in a log without PIDs). */
  restarts: number;
  /** Records that name no pod. */
  unattached: number;
}

/** Seconds within which a name coming back under a new UID is worth a look. */
export const RECREATE_WINDOW_US = 60_000_000;

const STATIC_UID = /^[0-9a-f]{32}$/;

/**
 * Builds pod lifecycles from records fed in log order (sources in time order). Keeps only the
 * facts of records that name a pod, in columns (fact-table.ts), so millions of records fit;
 * `pods()` joins and phases them.
 */
export class LifecycleBuilder {
  private readonly processes = new ProcessTracker();
  private readonly joiner = new Joiner();
  private readonly strings = new Interner();
  private readonly facts: FactTable;
  /** Fact rows of each pod key, in record order. */
  private readonly byKey = new Map<string, Column<Uint32Array>>();
  /**
   * Records that name their pod only by `ns/name` or container ID, resolved in pods(): the fact
   * row, whether it announces a pod, and its references as string ids in `ids` (refs up to
   * `refsEnd`, then containers up to `idsEnd`).
   */
  private pending = newPending();
  private readonly ids = new StringIds();
  private count = 0;
  private unattached = 0;

  /** `spill`: where full chunks of the facts' rows go (a file), so that they do not stay in memory. */
  constructor(
    private readonly catalogue: CatalogueIndex = projectCatalogue,
    spill?: ChunkSpill,
  ) {
    this.facts = new FactTable(spill);
  }

  /** `host`: the node of a record whose transport names none (its file's node or the file). */
  add(record: LogRecord, host?: string): void {
    const index = this.count++;
    const epoch = this.processes.add(record, index, host);
    const entry = this.catalogue.entryFor(record);
    const id = identify(record, entry, this.strings);
    if (id.uids.length === 0 && id.refs.length === 0 && id.containers.length === 0) {
      this.unattached++;
      return;
    }
    this.joiner.learn(id, index);
    const row = this.facts.add(factsOf(record, index, entry, (s) => this.strings.intern(s), epoch));
    if (id.uids.length > 0) {
      for (const uid of id.uids) this.push(uid, row);
      return;
    }
    const p = this.pending;
    for (const ref of id.refs) p.ids.push(this.ids.id(ref));
    p.refsEnd.push(p.ids.length);
    for (const c of id.containers) p.ids.push(this.ids.id(c));
    p.idsEnd.push(p.ids.length);
    p.row.push(row);
    p.announces.push(entry?.boundary === 'sync-start' && entry.evidence === 'inferred' ? 1 : 0);
  }

  private push(key: string, row: number): Column<Uint32Array> {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = u32()));
    list.push(row);
    return list;
  }

  /** Every pod with its lifecycle, in order of first record (the whole log at once). */
  finish(): Lifecycles {
    const pods = [...this.pods()];
    return { pods, ...this.totals() };
  }

  /**
   * The pods one at a time, in order of first record, each complete (mirror and recreation marks
   * included); a pod's facts are let go once it is built, so a caller that stores each pod and
   * drops it never holds the whole model. Call once, after the last add().
   */
  *pods(): Generator<PodLifecycle> {
    this.resolvePending();
    const restarts: RestartPoints = {
      endOf: (epoch) => (this.processes.ended[epoch] ? this.processes.last[epoch] : undefined),
    };
    // who each pod is, known before any is built: the order, and the static pods mirrors point at
    const names = this.joiner.names.namesOfUids();
    const who = [...this.byKey].map(([key, rows]) => {
      const uid = key.startsWith('~') ? null : key;
      const [namespace, name] = splitRef(uid ? names.get(uid) : key.slice(1));
      return { key, uid, namespace, name, first: this.facts.indexOf(rows.at(0)), isStatic: uid !== null && STATIC_UID.test(uid) };
    });
    who.sort((a, b) => a.first - b.first); // stable: pods sharing a first record keep their order
    const statics = new Map<string, string>();
    for (const w of who) if (w.isStatic && w.name) statics.set(`${w.namespace ?? ''}/${w.name}`, w.uid!);
    // the last pod of each ns/name so far, in brief: holding the pods would hold the whole model
    const previous = new Map<string, Holder>();

    for (const { key, uid, namespace, name, isStatic } of who) {
      const rows = this.byKey.get(key)!;
      this.byKey.delete(key);
      const events: PodEvent[] = [];
      for (let i = 0; i < rows.length; i++) events.push(this.facts.get(rows.at(i)));
      const phases = buildPhases(events, restarts);
      const pod: PodLifecycle = {
        key,
        uid,
        static: isStatic,
        first: point(events[0]!),
        last: point(events[events.length - 1]!),
        phases: phases.phases,
        finished: phases.finished,
        exact: phases.exact,
        events: events.map((e) => ({ index: e.index, entry: e.entry?.id ?? null, kind: e.entry?.kind ?? 'other', lane: e.entry?.lane ?? (e.severity === 'E' ? 'errors' : null) })),
        anomalies: podAnomalies(events, phases),
      };
      if (namespace !== undefined) pod.namespace = namespace;
      if (name !== undefined) pod.name = name;
      const workload = workloadOf(namespace, name, isStatic);
      if (workload !== undefined) pod.workload = workload;
      if (uid && name) {
        const ref = `${namespace ?? ''}/${name}`;
        // a static pod's mirror: the same ns/name under an API UID
        const mirrored = isStatic ? undefined : statics.get(ref);
        if (mirrored !== undefined) pod.mirrorOf = mirrored;
        const prev = previous.get(ref);
        if (prev) markRecreated(prev, pod);
        previous.set(ref, holderOf(pod));
      }
      yield pod;
    }
  }

  /** Joins each record that named its pod only by reference, now that every name ↔ UID pair is known. */
  private resolvePending(): void {
    const p = this.pending;
    const touched = new Set<Column<Uint32Array>>();
    let from = 0;
    for (let i = 0; i < p.row.length; i++) {
      const refs: string[] = [];
      const containers: string[] = [];
      for (let j = from; j < p.refsEnd.at(i); j++) refs.push(this.ids.at(p.ids.at(j)));
      for (let j = p.refsEnd.at(i); j < p.idsEnd.at(i); j++) containers.push(this.ids.at(p.ids.at(j)));
      from = p.idsEnd.at(i);
      const row = p.row.at(i);
      let keys = this.joiner.resolve(refs, containers, this.facts.indexOf(row), p.announces.at(i) === 1);
      if (keys.length === 0) keys = refs.map((ref) => `~${ref}`); // a name whose UID the log never states
      if (keys.length === 0) {
        this.unattached++;
        continue;
      }
      for (const key of keys) touched.add(this.push(key, row));
    }
    this.pending = newPending();
    // rows are numbered in record order: sorting them puts each pod's events in log order
    for (const list of touched) list.sort();
  }

  /** What the log says beyond its pods; complete once pods() has run. */
  totals(): Omit<Lifecycles, 'pods'> {
    return {
      kubeletPids: this.processes.pids.filter((p): p is number => p !== undefined),
      restarts: this.processes.restarts,
      unattached: this.unattached,
    };
  }
}

/** All at once, for records already in memory. */
export function buildLifecycles(records: readonly LogRecord[], catalogue: CatalogueIndex = projectCatalogue): Lifecycles {
  const b = new LifecycleBuilder(catalogue);
  for (const r of records) b.add(r);
  return b.finish();
}

const newPending = () => ({ row: u32(), announces: u8(), refsEnd: u32(), idsEnd: u32(), ids: u32() });

function splitRef(ref: string | undefined): [string | undefined, string | undefined] {
  if (!ref) return [undefined, undefined];
  const slash = ref.indexOf('/');
  return slash < 0 ? [undefined, ref] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** What a later pod of the same name is compared with. */
interface Holder {
  uid: string | null;
  mirrorOf: string | undefined;
  /** Torn down: finished, or past its sync phase (a static pod and its mirror share a name). */
  tornDown: boolean;
  lastUs: number | undefined;
}

const holderOf = (p: PodLifecycle): Holder => ({
  uid: p.uid,
  mirrorOf: p.mirrorOf,
  tornDown: p.finished !== null || p.phases.some((ph) => ph.phase !== 'sync'),
  lastUs: p.last.timeUs,
});

/** The same ns/name under a new UID soon after the previous one was last seen. */
function markRecreated(prev: Holder, cur: PodLifecycle): void {
  if (cur.mirrorOf !== undefined || prev.mirrorOf !== undefined) return;
  const gap = cur.first.timeUs !== undefined && prev.lastUs !== undefined ? cur.first.timeUs - prev.lastUs : undefined;
  if (prev.tornDown && gap !== undefined && gap >= 0 && gap < RECREATE_WINDOW_US) {
    cur.anomalies.push({ kind: 'recreated-quickly', at: cur.first, detail: `${cur.name} came back as ${cur.uid} ${(Math.max(gap, 0) / 1e6).toFixed(1)} s after ${prev.uid}` });
  }
}
