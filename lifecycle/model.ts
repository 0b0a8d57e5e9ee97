// Records → pods: catalogue lookup, identity, joins, phases, anomalies. Pure: the same records
// always give the same lifecycles; the store feeds it and saves the result.
import type { LogRecord, Severity } from '../parser/types.js';
import { catalogue as projectCatalogue, type CatalogueIndex } from './catalogue.js';
import type { Lane } from './catalogue-types.js';
import { identify, Interner } from './identity.js';
import type { PodPartition } from './partition.js';
import { Joiner, hostOf, refOf, type RefRole } from './joins.js';
import { buildPhases, point, type Finished, type LogProfile, type Phase, type PodEvent, type Point, type ProcessEnd, type ProcessEnds } from './phases.js';
import { RowEvents, someEvent, type PodEvents } from './pod-events.js';
import { RowLists, StringIds } from './columns.js';
import { FactTable } from './fact-table.js';
import { ChunkedRows, type Spills } from './rows.js';
import { factsOf } from './facts.js';
import { podIncidents, type Incident } from './incidents.js';
import { workloadOf } from './workload.js';
import { ProcessTracker, type DescribedProcess } from './process.js';
import type { KubeletProcess, NodeEvent } from './kubelet-life-types.js';
import { nodeIncidents } from './node-incidents.js';
import type { ForeignLine } from '../parser/types.js';
import { KubeletProfiles } from './kubelet-profile.js';
import { kubeletLevels } from './kubelet-levels.js';
import { severityOf } from './incident-rules.js';
import { podBreakdown, type Breakdown } from './breakdown.js';

export interface LifecycleEvent {
  /** Index of the record in the input. */
  index: number;
  /** Catalogue entry id, or null for a record the catalogue does not know. */
  entry: string | null;
  kind: string;
  lane: Lane | null;
  /** The record's time and severity, stored beside the event: the pod page windows and counts by them. */
  timeUs?: number;
  severity?: Severity;
}

/**
 * A pod's events as it stores them, read off the facts it was built from as they are iterated: a
 * pod of a million events does not hold a second million objects (~90 bytes each) beside them.
 */
export class PodEventList implements Iterable<LifecycleEvent> {
  constructor(private readonly facts: PodEvents) {}

  get length(): number {
    return this.facts.length;
  }

  *[Symbol.iterator](): Iterator<LifecycleEvent> {
    for (const e of this.facts) {
      const out: LifecycleEvent = { index: e.index, entry: e.entry?.id ?? null, kind: e.entry?.kind ?? 'other', lane: e.entry?.lane ?? (e.severity === 'E' ? 'errors' : null) };
      if (e.timeUs !== undefined) out.timeUs = e.timeUs;
      if (e.severity !== undefined) out.severity = e.severity;
      yield out;
    }
  }
}

/**
 * Where the pod stood when its record stops: running (sync to the end), being torn down (within
 * its grace period, or stuck past it), cleaning up, finished, turned away at admission; `mirror`:
 * the API's copy of a static pod (the static pod has the phases); `orphan`:
 * only leftovers of it were cleaned up; `unknown`: the log shows no phase of it.
 */
export type PodState = 'running' | 'terminating' | 'stuck-terminating' | 'terminated' | 'finished' | 'rejected' | 'mirror' | 'orphan' | 'unknown';

export interface PodLifecycle {
  /** The pod UID, or `~ns/name` (`#n` for a later incarnation, `@node` in a log of several nodes) when the log never states it. */
  key: string;
  uid: string | null;
  namespace?: string;
  name?: string;
  workload?: string;
  /** The node (host) whose kubelet logged it. */
  node?: string;
  /** Static pod (UID is a 32-hex manifest hash). */
  static: boolean;
  /** For a mirror pod (the API's copy of a static pod): the static pod's UID. */
  mirrorOf?: string;
  first: Point;
  last: Point;
  phases: Phase[];
  finished: Finished | null;
  /** Boundaries came from enter/exit lines. */
  exact: boolean;
  state: PodState;
  events: PodEventList;
  incidents: Incident[];
  /** Each startup and teardown, step by step (lifecycle/breakdown.ts). */
  startup: Breakdown[];
  teardown: Breakdown[];
}

export interface Lifecycles {
  pods: PodLifecycle[];
  /** Kubelet PIDs in the order the processes ran, where the log shows them. */
  kubeletPids: number[];
  /** Kubelet restarts seen (a new process of the same node). */
  restarts: number;
  /** Records that name no pod. */
  unattached: number;
  /** Each kubelet process: how it started, its version, how it ended. */
  kubelets: KubeletProcess[];
  /** Node-level conditions (NotReady, PLEG, CNI, runtime, eviction pressure) for a node lane. */
  nodeEvents: NodeEvent[];
  /** Incidents of the node rather than a pod: kubelet crashes and restarts, the node not ready. */
  nodeIncidents: Incident[];
}

/** The node a record's names hold on: its transport's host, else its file's node (`host`). */
export const hostKeyOf = (record: LogRecord, host?: string): string => record.transport?.host ?? host ?? '';

/**
 * The most events of a pod built from objects held at once (~100 bytes each: 6.5 MB); a busier pod
 * reads its rows once per pass instead, slower but in 4 bytes an event.
 */
export const HELD_EVENTS = 65_536;

/** Seconds within which a name coming back under a new UID is worth a look. */
export const RECREATE_WINDOW_US = 60_000_000;

const STATIC_UID = /^[0-9a-f]{32}$/;

/**
 * The kubelet's processes in a log (an epoch per record) and what each one's version and -v can
 * log: fed every record and systemd line in order. A partitioned build (partition.ts) feeds one in
 * a first pass and shares it, complete, with every partition's builder.
 */
export class KubeletRuns {
  /** Each kubelet process's version and -v: what its log could contain. */
  readonly kubelets = new KubeletProfiles();
  readonly processes: ProcessTracker;
  /** How each process ended, by epoch (ProcessEnd codes), once every record is in. */
  private ends: Uint8Array | undefined;

  /** `spills`: where ended processes wait for the end of the log (files), not memory. */
  constructor(spills?: Spills) {
    // a process that has ended keeps its profile's summary only
    this.processes = new ProcessTracker((epoch) => this.kubelets.seal(epoch), spills);
  }

  /** The record's epoch (its kubelet process). */
  add(record: LogRecord, index: number, host?: string): number {
    const epoch = this.processes.add(record, index, host);
    this.kubelets.add(epoch, record);
    return epoch;
  }

  addForeign(f: ForeignLine, host?: string): void {
    this.processes.addForeign(f, host);
  }

  /** Each process, with its profile's summary and its successor on its node, one at a time (once every record is in). */
  *described(): Generator<DescribedProcess> {
    for (const d of this.processes.described()) {
      const summary = this.kubelets.summary(d.process.epoch);
      if (summary) d.process.profile = { ...summary.profile };
      yield d;
    }
  }

  /** How a phase the process was running ends with it (once every record is in). */
  endOf(epoch: number): ProcessEnd {
    if (!this.ends) {
      const ends = new Uint8Array(this.processes.count);
      for (const { process: p } of this.processes.described()) ends[p.epoch] = PROCESS_ENDS.indexOf(processEnd(p));
      this.ends = ends;
    }
    return PROCESS_ENDS[this.ends[epoch] ?? 0]!;
  }

  /** Node-level conditions (NotReady, PLEG, CNI, runtime, eviction), as spans in log order. */
  nodeEvents(): NodeEvent[] {
    return this.processes.nodeEvents();
  }

  /** The same spans one at a time, in no particular order (a log may have as many as records). */
  nodeSpans(): Iterable<NodeEvent> {
    return this.processes.nodeSpans();
  }
}

/**
 * Builds pod lifecycles from records fed in log order (sources in time order). Keeps only the
 * facts of records that name a pod, in columns (fact-table.ts), so millions of records fit;
 * `pods()` joins and phases them.
 */
export class LifecycleBuilder {
  private readonly runs: KubeletRuns;
  private readonly ownRuns: boolean;
  private readonly joiner = new Joiner();
  private readonly strings = new Interner();
  private readonly facts: FactTable;
  /** Each pod key's list of fact rows (lists shared by all pods: most pods have one or two rows). */
  private readonly byKey = new Map<string, number>();
  private readonly rows: RowLists;
  private readonly keep: (s: string) => string;
  /** Records that name their pod only by `ns/name` or container ID, resolved in pods(). */
  private pending: PendingRecords;
  private readonly hosts = new StringIds();
  /** The host-qualified `ns/name` of each incarnation whose UID the log never states. */
  private readonly unknownRefs = new Map<string, string>();
  private count = 0;
  private unattached = 0;

  /**
   * `spills`: where the per-record rows (facts, pod lists, records joined later) go (files), so
   * that memory does not grow with the log's records.
   * `partition`: one partition's builder (partition.ts): its records come with addAt(), its
   * kubelet runs complete from a first pass, and it builds only that partition's pods.
   * `heldEvents`: a pod of more events than this is built from its rows as it is read
   * (pod-events.ts), not from objects held for all of them.
   */
  constructor(
    private readonly catalogue: CatalogueIndex = projectCatalogue,
    private readonly spills?: Spills,
    profile?: LogProfile,
    private readonly partition?: { runs: KubeletRuns; owns: PodPartition },
    private readonly heldEvents = HELD_EVENTS,
  ) {
    this.runs = partition?.runs ?? new KubeletRuns(spills);
    this.ownRuns = partition === undefined;
    this.facts = new FactTable(spills);
    this.rows = new RowLists(spills?.('lists'));
    this.pending = new PendingRecords(spills);
    // spilled facts are copies (JSON) that hold no record's text; held ones must be flat copies
    this.keep = spills ? (s) => s : (s) => this.strings.intern(s);
    this.profile = profile ?? this.profileOfKubelets();
  }

  private readonly profile: LogProfile;

  /** What each process's kubelet (its version and -v, as its lines show them) can log. */
  private profileOfKubelets(): LogProfile {
    // answers per summary, which processes of the same version and -v share: not per process
    const answers = new WeakMap<object, Map<string, boolean | undefined>>();
    const unknown = {};
    return {
      canLog: (entryId, epoch) => {
        const summary = this.runs.kubelets.summary(epoch);
        let known = answers.get(summary ?? unknown);
        if (!known) answers.set(summary ?? unknown, (known = new Map()));
        if (known.has(entryId)) return known.get(entryId);
        const a = summary ? kubeletLevels.canContain(entryId, summary.kubelet).answer : 'unknown';
        const out = a === 'yes' ? true : a === 'no' ? false : undefined;
        known.set(entryId, out);
        return out;
      },
    };
  }

  /** `host`: the node of a record whose transport names none (its file's node or the file). */
  add(record: LogRecord, host?: string): void {
    if (!this.ownRuns) throw new Error('a partition builder takes records with addAt()');
    const index = this.count++;
    this.addAt(record, index, this.runs.add(record, index, host), host);
  }

  /** A record whose number and kubelet run (epoch) a first pass gave: a partition's builder. */
  addAt(record: LogRecord, index: number, epoch: number, host?: string): void {
    const hostKey = hostKeyOf(record, host);
    const entry = this.catalogue.entryFor(record);
    const id = identify(record, entry, this.strings);
    if (id.uids.length === 0 && id.refs.length === 0 && id.containers.length === 0) {
      this.unattached++;
      return;
    }
    this.joiner.learn(id, index, hostKey);
    const row = this.facts.add(factsOf(record, index, entry, this.keep, epoch));
    if (id.uids.length > 0) {
      for (const uid of id.uids) this.push(uid, row);
      return;
    }
    // an admission rejection (`Predicate failed on Pod`) is about a pod arriving, like an ADD
    const role = entry?.incident === 'admission-rejected' ? ROLE_REJECT : entry?.signal === 'admit' ? ROLE_ANNOUNCE : entry?.id === 'syncloop-remove' ? ROLE_REMOVE : ROLE_OTHER;
    this.pending.add(
      row,
      role,
      this.hosts.id(hostKey),
      id.refs.map((r) => this.strings.id(r)),
      id.containers.map((c) => this.strings.id(c)),
    );
    this.joiner.noteNameOnly(id.refs, index, hostKey, ROLES[role]!);
  }

  private push(key: string, row: number): void {
    let list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, (list = this.rows.add()));
    this.rows.push(list, row);
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
    const pr = this.runs.processes;
    const ends: ProcessEnds = {
      endOf: (epoch) => ({ at: pr.lastOf(epoch) ?? { index: 0, line: 0 }, how: epoch < pr.count ? this.runs.endOf(epoch) : 'log-end' }),
    };
    // who each pod is, known before any is built: the order, and the static pods mirrors point at
    const names = this.joiner.names.namesOfUids();
    // few fields a pod: its names are cut from hostName when it is built
    const who: { key: string; list: number; hostName: string | undefined; first: number }[] = [];
    for (const [key, list] of this.byKey) {
      const hostName = key.startsWith('~') ? this.unknownRefs.get(key) : names.get(key);
      // a pod of another partition that a record of this one also named: built in its own
      if (this.partition && !this.partition.owns.ownsPod(key, hostName)) continue;
      who.push({ key, list, hostName, first: this.facts.indexOf(this.rows.min(list)) });
    }
    who.sort((a, b) => a.first - b.first); // stable: pods sharing a first record keep their order
    const statics = new Map<string, string>();
    for (const w of who) if (STATIC_UID.test(w.key) && w.hostName) statics.set(w.hostName, w.key);
    // the last pod of each ns/name so far, in brief: holding the pods would hold the whole model
    const previous = new Map<string, Holder>();

    for (const { key, list, hostName } of who) {
      const uid = key.startsWith('~') ? null : key;
      const isStatic = uid !== null && STATIC_UID.test(uid);
      const [namespace, name] = splitRef(hostName === undefined ? undefined : refOf(hostName));
      const node = hostName === undefined ? undefined : hostOf(hostName);
      // rows are numbered in record order: sorted, they are the pod's events in log order
      const rows = this.rows.sorted(list);
      const read = (row: number): PodEvent => this.facts.get(row);
      const events: PodEvents = rows.length <= this.heldEvents ? Array.from(rows, read) : new RowEvents(rows, read);
      // a static pod's mirror: the same ns/name on the same node under an API UID
      const mirrorOf = isStatic || !uid || hostName === undefined ? undefined : statics.get(hostName);
      // `Trying to delete pod` names the mirror pod's own UID (its static pod is elsewhere, or unseen)
      const isMirror = mirrorOf !== undefined || someEvent(events, (e) => e.entry?.id === 'mirror-pod-delete');
      const result = buildPhases(events, ends, { isStatic, isMirror }, this.profile);
      const incidents = podIncidents(events, result);
      const breakdown = podBreakdown(events, result.phases, this.profile);
      const pod: PodLifecycle = {
        key,
        uid,
        static: isStatic,
        first: point(events.at(0)!),
        last: point(events.at(events.length - 1)!),
        phases: result.phases,
        finished: result.finished,
        exact: result.exact,
        state: isMirror ? 'mirror' : stateOf(result.phases, result.finished, result.rejected, incidents, events),
        events: new PodEventList(events),
        incidents,
        startup: breakdown.startup,
        teardown: breakdown.teardown,
      };
      if (namespace !== undefined) pod.namespace = namespace;
      if (name !== undefined) pod.name = name;
      if (node) pod.node = node;
      if (mirrorOf !== undefined) pod.mirrorOf = mirrorOf;
      const workload = workloadOf(namespace, name, isStatic);
      if (workload !== undefined) pod.workload = workload;
      if (name && hostName !== undefined) {
        const prev = previous.get(hostName);
        if (prev) markRecreated(prev, pod);
        previous.set(hostName, holderOf(pod));
      }
      yield pod;
    }
  }

  /** Joins each record that named its pod only by reference, now that every name ↔ UID pair is known. */
  private resolvePending(): void {
    const severalHosts = this.runs.processes.hostCount > 1;
    const unknownKey = (hostRefKey: string, n: number): string => {
      const key = `~${refOf(hostRefKey)}${n > 1 ? `#${n}` : ''}${severalHosts ? `@${hostOf(hostRefKey)}` : ''}`;
      this.unknownRefs.set(key, hostRefKey);
      return key;
    };
    const str = (id: number) => this.strings.at(id);
    for (const p of this.pending.each()) {
      const keys = this.joiner.resolve(p.refs.map(str), p.containers.map(str), this.facts.indexOf(p.row), ROLES[p.role]!, this.hosts.at(p.host), unknownKey);
      if (keys.length === 0) {
        this.unattached++;
        continue;
      }
      for (const key of keys) this.push(key, p.row);
    }
    this.pending = new PendingRecords(this.spills);
  }

  /**
   * A line that is no kubelet record, in log order with the records: systemd's lines about the
   * kubelet unit tell how a process stopped or started. `host` as for add().
   */
  addForeign(f: ForeignLine, host?: string): void {
    if (!this.ownRuns) throw new Error('a partition builder shares kubelet runs fed by a first pass');
    this.runs.addForeign(f, host);
  }

  /** Records that name no pod; complete once pods() has run. */
  get unattachedRecords(): number {
    return this.unattached;
  }

  /** The kubelet processes and node lane this builder's records were replayed through. */
  get kubeletRuns(): KubeletRuns {
    return this.runs;
  }

  /** What the log says beyond its pods, all at once; complete once pods() has run. */
  totals(): Omit<Lifecycles, 'pods'> {
    const described = [...this.runs.described()];
    const processes = described.map((d) => d.process).sort((a, b) => a.epoch - b.epoch);
    const nodeEvents = this.runs.nodeEvents();
    return {
      kubeletPids: this.runs.processes.pids(),
      restarts: this.runs.processes.restarts,
      unattached: this.unattached,
      kubelets: processes,
      nodeEvents,
      nodeIncidents: nodeIncidents(described, nodeEvents),
    };
  }
}

/** All at once, for records already in memory. */
export function buildLifecycles(records: readonly LogRecord[], catalogue: CatalogueIndex = projectCatalogue, foreign: readonly ForeignLine[] = []): Lifecycles {
  const b = new LifecycleBuilder(catalogue);
  // systemd's lines about the kubelet unit, in line order among the records
  let f = 0;
  for (const r of records) {
    while (f < foreign.length && foreign[f]!.line < r.line) b.addForeign(foreign[f++]!);
    b.add(r);
  }
  while (f < foreign.length) b.addForeign(foreign[f++]!);
  return b.finish();
}

/** ProcessEnd by code (a byte per process). */
const PROCESS_ENDS: readonly ProcessEnd[] = ['log-end', 'kubelet-restart', 'kubelet-stop', 'kubelet-crash'];

/** How a phase the kubelet process was running ended with it. */
function processEnd(p: KubeletProcess): ProcessEnd {
  switch (p.end.kind) {
    case 'crash':
    case 'exit':
      return 'kubelet-crash';
    case 'stop':
      return 'kubelet-stop';
    case 'restart':
      return 'kubelet-restart';
    default:
      return 'log-end';
  }
}

const ROLE_OTHER = 0;
const ROLE_ANNOUNCE = 1;
const ROLE_REMOVE = 2;
const ROLE_REJECT = 3;
const ROLES: RefRole[] = ['other', 'announce', 'remove', 'reject'];

/**
 * The records that name their pod only by `ns/name` or container ID, in order: the fact row, its
 * role for the name (announces a pod, removes it), its node, and its references as the interner's
 * string ids. Appended, then read once in order: with spills they leave memory like the facts.
 */
class PendingRecords {
  /** row u32 | host u32 | refs u32 | containers u32 | role u8 */
  private readonly records: ChunkedRows;
  /** Each record's refs, then its containers. */
  private readonly ids: ChunkedRows;

  constructor(spills?: Spills) {
    this.records = new ChunkedRows(20, spills?.('pending'));
    this.ids = new ChunkedRows(4, spills?.('pending-ids'));
  }

  add(row: number, role: number, host: number, refs: readonly number[], containers: readonly number[]): void {
    const { view, at } = this.records.next();
    view.setUint32(at, row, true);
    view.setUint32(at + 4, host, true);
    view.setUint32(at + 8, refs.length, true);
    view.setUint32(at + 12, containers.length, true);
    view.setUint8(at + 16, role);
    for (const id of refs) this.id(id);
    for (const id of containers) this.id(id);
  }

  private id(id: number): void {
    const { view, at } = this.ids.next();
    view.setUint32(at, id, true);
  }

  *each(): Iterable<{ row: number; role: number; host: number; refs: number[]; containers: number[] }> {
    let next = 0;
    const ids = (n: number): number[] => {
      const out: number[] = [];
      for (let k = 0; k < n; k++) {
        const { view, at } = this.ids.get(next++);
        out.push(view.getUint32(at, true));
      }
      return out;
    };
    for (let i = 0; i < this.records.length; i++) {
      const { view, at } = this.records.get(i);
      // read before ids(): the slot is reused by the next get
      const row = view.getUint32(at, true);
      const host = view.getUint32(at + 4, true);
      const refs = view.getUint32(at + 8, true);
      const containers = view.getUint32(at + 12, true);
      const role = view.getUint8(at + 16);
      yield { row, role, host, refs: ids(refs), containers: ids(containers) };
    }
  }
}

function stateOf(phases: readonly Phase[], finished: Finished | null, rejected: boolean, incidents: readonly Incident[], events: PodEvents): PodState {
  const last = phases[phases.length - 1];
  if (!last) {
    if (rejected) return 'rejected';
    if (finished) return 'finished';
    return someEvent(events, (e) => e.signal === 'orphan') && !someEvent(events, (e) => e.signal !== 'orphan' && e.signal !== undefined) ? 'orphan' : 'unknown';
  }
  if (finished && finished.index >= last.start.index) return rejected ? 'rejected' : 'finished';
  if (!last.open) {
    if (last.phase === 'terminated') return rejected ? 'rejected' : 'finished';
    // closed but not followed by the next phase: the record stops between phases
    return last.phase === 'sync' ? 'unknown' : last.phase === 'terminating' ? 'terminated' : 'finished';
  }
  if (last.phase === 'sync') return 'running';
  if (last.phase === 'terminated') return 'terminated';
  return incidents.some((i) => i.kind === 'stuck-terminating' && i.at.index === last.start.index) ? 'stuck-terminating' : 'terminating';
}

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
  /** When its teardown began, and when it was gone (finished, else its last phase's end, else its last line). */
  teardownUs: number | undefined;
  goneUs: number | undefined;
}

const holderOf = (p: PodLifecycle): Holder => {
  const teardown = p.phases.find((ph) => ph.phase !== 'sync');
  const lastPhase = p.phases[p.phases.length - 1];
  return {
    uid: p.uid,
    mirrorOf: p.mirrorOf,
    tornDown: p.finished !== null || teardown !== undefined || p.state === 'rejected',
    teardownUs: teardown?.start.timeUs ?? p.finished?.timeUs ?? p.first.timeUs,
    goneUs: p.finished?.timeUs ?? lastPhase?.end.timeUs ?? p.last.timeUs,
  };
};

/**
 * The same ns/name under a new UID soon after the previous one went (its late cleanup lines may
 * come after the new one's first): a StatefulSet pod, or a pod deleted and created again.
 */
function markRecreated(prev: Holder, cur: PodLifecycle): void {
  if (cur.mirrorOf !== undefined || prev.mirrorOf !== undefined) return;
  const t = cur.first.timeUs;
  if (!prev.tornDown || t === undefined || prev.goneUs === undefined || prev.teardownUs === undefined) return;
  const gap = t - prev.goneUs;
  if (t >= prev.teardownUs && gap < RECREATE_WINDOW_US) {
    cur.incidents.push({ kind: 'recreated-quickly', severity: severityOf('recreated-quickly'), at: cur.first, evidence: [cur.first], lines: 1, detail: `${cur.name} came back as ${cur.uid ?? 'a new pod'} ${(Math.max(gap, 0) / 1e6).toFixed(1)} s after ${prev.uid ?? 'the previous one'}` });
    cur.incidents.sort((a, b) => a.at.index - b.at.index);
  }
}
