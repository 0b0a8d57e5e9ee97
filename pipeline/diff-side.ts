// One side of `kubelog diff` from a database: the sources it is made of (all of them, a node's, or
// some by id), and what lifecycle/diff compares of them. Message counts per source and the
// key/values a pod's startup is measured by (its startup-duration line, the first PLEG events of a
// pod without one) are stored with the pod lifecycles (schemas/migrations/0004_diff_facts.sql).
// A database whose lifecycles were built by an older kubelog gets them the slow way: counts by SQL
// over the records table (GROUP BY message, printf format and severity: 1.5M records in about
// 1.5 s) and those records decoded from their blocks (about 2 s for a 300 MB log). The kubelet
// version lines are always decoded: a few records.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { listSources, storedRecords, type SourceRow } from '../store/sources.js';
import { loadRecords } from '../store/queries.js';
import { podHasEventIn, recordsById, type PodDbRow } from './pods.js';
import { LINE_BITS } from '../store/writer.js';
import type { LogRecord, Severity } from '../parser/types.js';
import type { IncidentKind } from '../lifecycle/incidents.js';
import type { PhaseName } from '../lifecycle/phases.js';
import type { DiffSide, MessageGroup, PodIdentity, SideEvent, SideOverview, SidePod, Verbosity } from '../lifecycle/diff/types.js';
import type { Breakdown } from '../lifecycle/breakdown.js';
import type { StoredPoint } from '../lifecycle/view.js';
import { lengthIsLowerBound } from '../lifecycle/open-end.js';

/** Which sources of a database make a side. */
export type SideSelector = 'all' | { node: string } | { sources: number[] };

/** A selector that names nothing in the database, or is not one. */
export class SelectorError extends Error {}

/** `node:NAME`, `source:ID[,ID…]`; undefined for anything else (a file name). */
export function parseSelector(text: string): SideSelector | undefined {
  const m = /^(node|sources?):(.*)$/.exec(text);
  if (!m) return undefined;
  if (m[1] === 'node') {
    if (!m[2]) throw new SelectorError(`${text}: name the node (node:NAME)`);
    return { node: m[2] };
  }
  const ids = m[2]!.split(',').map((s) => s.trim());
  if (!ids.every((s) => /^\d+$/.test(s))) throw new SelectorError(`${text}: source ids are numbers (source:1 or source:1,2)`);
  return { sources: ids.map(Number) };
}

/** The sources of a side and membership of a record id in them. */
class Scope {
  readonly ids: Set<number>;
  constructor(
    readonly sources: SourceRow[],
    /** The side is the whole database: derived tables need no filtering. */
    readonly whole: boolean,
  ) {
    this.ids = new Set(sources.map((s) => s.id));
  }
  has(recordId: number): boolean {
    return this.ids.has(Math.floor(recordId / LINE_BITS));
  }
  /** [from, to) record id range of each source. */
  ranges(): Array<[number, number]> {
    return this.sources.map((s) => [s.id * LINE_BITS, (s.id + 1) * LINE_BITS]);
  }
}

/** The last lifecycle run stored message_counts and record_facts (schema 4), and no record was added since. */
function hasStoredFacts(db: Db): boolean {
  if (!db.prepare("SELECT 1 FROM pragma_table_info('lifecycle_runs') WHERE name = 'facts'").get()) return false;
  const run = db.prepare('SELECT facts, records FROM lifecycle_runs ORDER BY id DESC LIMIT 1').get() as { facts: number; records: number } | undefined;
  return run?.facts === 1 && run.records === storedRecords(db);
}

function scopeOf(db: Db, sel: SideSelector): Scope {
  const all = listSources(db);
  if (sel === 'all') return new Scope(all, true);
  let chosen: SourceRow[];
  if ('node' in sel) {
    chosen = all.filter((s) => s.node === sel.node);
    if (!chosen.length) {
      const nodes = [...new Set(all.map((s) => s.node ?? '(none)'))].join(', ');
      throw new SelectorError(`no sources of node "${sel.node}" (nodes: ${nodes || 'none, the database is empty'})`);
    }
  } else {
    const missing = sel.sources.filter((id) => !all.some((s) => s.id === id));
    if (missing.length) throw new SelectorError(`no source ${missing.join(', ')} (sources: ${all.map((s) => s.id).join(', ') || 'none, the database is empty'})`);
    chosen = all.filter((s) => sel.sources.includes(s.id));
  }
  return new Scope(chosen, chosen.length === all.length);
}

// ------------------------------------------------------------------ messages and severities

interface Groups {
  groups: MessageGroup[];
  severity: Record<Severity | 'none', number>;
  maxV: number | null;
}

/** A source's records by message, printf format and severity: stored with the lifecycles, else grouped from the records (in the same order). */
function countsOfSource(db: Db, stored: boolean): (source: number) => unknown[] {
  if (stored) {
    const counts = db.prepare(
      'SELECT msg_id AS m, printf AS p, severity AS s, records AS n, first_time_us AS f, last_time_us AS l, max_v AS v FROM message_counts WHERE source_id = ? ORDER BY msg_id, printf, severity',
    );
    return (id) => counts.all(id);
  }
  const grouped = db.prepare(
    'SELECT msg_id AS m, printf AS p, severity AS s, count(*) AS n, min(time_us) AS f, max(time_us) AS l, max(v) AS v FROM records WHERE id >= ? AND id < ? GROUP BY msg_id, printf, severity',
  );
  return (id) => grouped.all(id * LINE_BITS, (id + 1) * LINE_BITS);
}

function messageGroups(db: Db, scope: Scope, stored: boolean): Groups {
  const bySource = countsOfSource(db, stored);
  const msgOf = db.prepare('SELECT msg FROM messages WHERE id = ?').pluck();
  const merged = new Map<string, MessageGroup>();
  const severity: Record<Severity | 'none', number> = { I: 0, W: 0, E: 0, F: 0, none: 0 };
  let maxV: number | null = null;
  for (const src of scope.sources) {
    for (const r of bySource(src.id) as Array<{ m: number; p: string | null; s: Severity | null; n: number; f: number | null; l: number | null; v: number | null }>) {
      severity[r.s ?? 'none'] += r.n;
      if (r.v !== null) maxV = Math.max(maxV ?? r.v, r.v);
      const key = `${r.m}\u0000${r.p ?? ''}\u0000${r.s ?? ''}`;
      const g = merged.get(key);
      if (g) {
        g.count += r.n;
        g.firstUs = minOf(g.firstUs, r.f);
        g.lastUs = maxOf(g.lastUs, r.l);
      } else {
        merged.set(key, { msg: msgOf.get(r.m) as string, printf: r.p, severity: r.s, count: r.n, firstUs: r.f, lastUs: r.l });
      }
    }
  }
  return { groups: [...merged.values()], severity, maxV };
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Records of the side with one of these messages, in id order. There is no index by message (it
 * was 20 MB of a 300 MB log's database for these few start-up lines): with the counts stored, each
 * source is read only over the time span its count gives, by the time index; a source whose span
 * does not give all of its count (records without a time) is read whole, as is every source when
 * the counts are not stored.
 */
function recordsWithMessage(db: Db, scope: Scope, where: string, stored: boolean): Array<{ id: number; block_id: number; msg: string }> {
  const msgs = db.prepare(`SELECT id, msg FROM messages WHERE ${where}`).all() as Array<{ id: number; msg: string }>;
  // a database from before the counts (read-only, not migrated) has no message_counts table
  const counted = stored ? db.prepare('SELECT sum(records) AS n, min(first_time_us) AS f, max(last_time_us) AS l FROM message_counts WHERE source_id = ? AND msg_id = ?') : undefined;
  // `+id`: the id range must not be the plan, the time index is
  const inSpan = db.prepare('SELECT id, block_id FROM records WHERE time_us BETWEEN ? AND ? AND msg_id = ? AND +id >= ? AND +id < ?');
  const inSource = db.prepare('SELECT id, block_id FROM records WHERE msg_id = ? AND id >= ? AND id < ?');
  const out: Array<{ id: number; block_id: number; msg: string }> = [];
  for (const m of msgs) {
    for (const s of scope.sources) {
      const [lo, hi] = [s.id * LINE_BITS, (s.id + 1) * LINE_BITS];
      let rows: Array<{ id: number; block_id: number }> | undefined;
      if (counted) {
        const c = counted.get(s.id, m.id) as { n: number | null; f: number | null; l: number | null };
        if (c.n === null) continue;
        if (c.f !== null && c.l !== null) rows = inSpan.all(c.f, c.l, m.id, lo, hi) as typeof rows;
        if (rows?.length !== c.n) rows = undefined;
      }
      for (const r of rows ?? (inSource.all(m.id, lo, hi) as Array<{ id: number; block_id: number }>)) out.push({ ...r, msg: m.msg });
    }
  }
  return out.sort((x, y) => x.id - y.id);
}

// ------------------------------------------------------------------ the kubelet itself

function kubeletVersions(db: Db, scope: Scope, stored: boolean): string[] {
  const rows = recordsWithMessage(db, scope, "msg = 'Kubelet version' OR msg GLOB 'Version: v[0-9]*'", stored);
  const structured = loadRecords(
    db,
    rows.filter((r) => r.msg === 'Kubelet version'),
  );
  const kv = new Map(structured.map((s) => [s.id, s.record.kv.kubeletVersion]));
  const out: string[] = [];
  for (const r of rows) {
    const v = r.msg === 'Kubelet version' ? kv.get(r.id) : /^Version: (v\S+)/.exec(r.msg)?.[1];
    if (typeof v === 'string' && v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

function verbosity(db: Db, scope: Scope, maxV: number | null, exactPods: boolean, stored: boolean): Verbosity | null {
  // `FLAG: --v="4"`: the kubelet prints its flags at start-up (at -v=1 and above)
  for (const r of recordsWithMessage(db, scope, "msg GLOB 'FLAG: --v=*'", stored)) {
    const m = /^FLAG: --v="?(\d+)/.exec(r.msg);
    if (m) return { level: Number(m[1]), atLeast: false, evidence: 'flag' };
  }
  if (maxV !== null) return { level: maxV, atLeast: true, evidence: 'json-v' };
  if (exactPods) return { level: 4, atLeast: true, evidence: 'enter-exit-lines' };
  return null;
}

function restarts(db: Db, scope: Scope): number {
  if (scope.whole) return (db.prepare('SELECT restarts FROM lifecycle_runs ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined) ?? 0;
  // part of a database: new PIDs per host among the side's own records
  const streams = db.prepare('SELECT DISTINCT stream_id FROM records WHERE id >= ? AND id < ?').pluck();
  const stream = db.prepare('SELECT host, pid, klog_pid FROM streams WHERE id = ?');
  const pids = new Map<string, Set<number>>();
  for (const [lo, hi] of scope.ranges()) {
    for (const id of streams.all(lo, hi) as Array<number | null>) {
      if (id === null) continue;
      const s = stream.get(id) as { host: string; pid: number; klog_pid: number };
      const pid = s.klog_pid >= 0 ? s.klog_pid : s.pid;
      if (pid < 0) continue;
      const set = pids.get(s.host) ?? new Set<number>();
      set.add(pid);
      pids.set(s.host, set);
    }
  }
  let n = 0;
  for (const set of pids.values()) n += set.size - 1;
  return n;
}

// ------------------------------------------------------------------ pods

type PodDb = Pick<PodDbRow, 'id' | 'key' | 'uid' | 'namespace' | 'name' | 'node' | 'workload'> & { breakdown_json: string };

interface PhaseDb {
  pod_id: number;
  phase: PhaseName;
  open: number;
  start_by: string;
  start_us: number | null;
  end_us: number | null;
  start_record_id: number;
  end_record_id: number | null;
}

/** Pods a side reads at a time: what it holds of a pod comes from four tables, read a chunk of pods at a time, never whole. */
const PODS_PER_CHUNK = 2048;

/** The side's pods among a database's: all of them, or those with an event in the side's sources. */
function inSide(scope: Scope): { sql: string; params: number[] } {
  return scope.whole ? { sql: '1', params: [] } : podHasEventIn(scope.sources.map((s) => s.id));
}

/** The side's pods by identity (side-pods.ts: the UID, else the key on the node). */
function hasPodOf(db: Db, scope: Scope): (p: PodIdentity) => boolean {
  const side = inSide(scope);
  const byUid = db.prepare(`SELECT 1 FROM pods WHERE uid = ? AND ${side.sql} LIMIT 1`).pluck();
  const byKey = db.prepare(`SELECT 1 FROM pods WHERE key = ? AND uid IS NULL AND node IS ? AND ${side.sql} LIMIT 1`).pluck();
  return (p) => (p.uid !== null ? byUid.get(p.uid, ...side.params) : byKey.get(p.key, p.node, ...side.params)) !== undefined;
}

/** How many pods the side has, and whether any has exact boundaries (the pod worker's enter/exit lines). */
function podCounts(db: Db, scope: Scope): { pods: number; exact: boolean } {
  const side = inSide(scope);
  const r = db.prepare(`SELECT count(*) AS n, coalesce(max(exact), 0) AS exact FROM pods WHERE ${side.sql}`).get(...side.params) as { n: number; exact: number };
  return { pods: r.n, exact: r.exact === 1 };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The key/values of records that a pod's startup is measured by. */
interface StartupFacts {
  /** `podStartSLOduration` (seconds) of those records that have it. */
  slo(ids: readonly number[]): Map<number, number>;
  /** The event type and time of those PLEG events. */
  pleg(ids: readonly number[]): Map<number, { type: string; timeUs: number | null }>;
}

/** From record_facts and records' times: no block decoded. */
function storedStartupFacts(db: Db): StartupFacts {
  const fact = db.prepare('SELECT f.slo_s, f.pleg_type, r.time_us FROM record_facts f JOIN records r ON r.id = f.record_id WHERE f.record_id = ?').raw(true);
  const read = <T>(ids: readonly number[], f: (slo: number | null, type: string | null, timeUs: number | null) => T | undefined) => {
    const out = new Map<number, T>();
    for (const id of ids) {
      const row = fact.get(id) as [number | null, string | null, number | null] | undefined;
      const v = row && f(...row);
      if (v !== undefined) out.set(id, v);
    }
    return out;
  };
  return {
    slo: (ids) => read(ids, (slo) => slo ?? undefined),
    pleg: (ids) => read(ids, (_, type, timeUs) => (type === null ? undefined : { type, timeUs })),
  };
}

/** Decoded from the records' blocks (lifecycles built by an older kubelog). */
function decodedStartupFacts(db: Db): StartupFacts {
  const read = <T>(ids: readonly number[], f: (r: LogRecord) => T | undefined) => {
    const out = new Map<number, T>();
    for (const [id, r] of recordsById(db, ids)) {
      const v = f(r);
      if (v !== undefined) out.set(id, v);
    }
    return out;
  };
  return {
    slo: (ids) => read(ids, (r) => (typeof r.kv.podStartSLOduration === 'number' ? r.kv.podStartSLOduration : undefined)),
    pleg: (ids) => read(ids, (r) => (isObject(r.kv.event) && typeof r.kv.event.Type === 'string' ? { type: r.kv.event.Type, timeUs: r.timeUs ?? null } : undefined)),
  };
}

/** How many PLEG events after a pod's first sync start are searched for its first ContainerStarted. */
const PLEG_CANDIDATES = 3;

/**
 * Startup per pod: `podStartSLOduration` of its `Observed pod startup duration` line (1.26+),
 * else from the start of its first sync phase to the first PLEG ContainerStarted after it, for
 * pods the log saw added (`SyncLoop ADD` at or before that sync start): a pod already running
 * when the log begins did not start in it.
 */
function startups(events: Statement, scope: Scope, pods: Map<number, SidePod>, firstSync: Map<number, PhaseDb>, facts: StartupFacts, [lo, hi]: [number, number]): void {
  const rows = events.iterate(lo, hi) as Iterable<{ pod: number; id: number; kind: string }>;
  const slo = new Map<number, number[]>();
  const pleg = new Map<number, number[]>();
  const adds = new Map<number, number[]>();
  for (const r of rows) {
    if (!pods.has(r.pod) || !scope.has(r.id)) continue;
    const m = r.kind === 'runtime.startup' ? slo : r.kind === 'runtime.pleg' ? pleg : adds;
    const list = m.get(r.pod);
    if (list) list.push(r.id);
    else m.set(r.pod, [r.id]);
  }
  const sloOf = facts.slo([...slo.values()].flat());
  const fallback = new Map<number, number[]>();
  for (const [podId, pod] of pods) {
    for (const id of slo.get(podId) ?? []) {
      const v = sloOf.get(id);
      // negative when the image-pull times it subtracts are missing: no measure
      if (v !== undefined && v >= 0) {
        pod.startupUs = Math.round(v * 1e6);
        pod.startupFrom = 'slo';
        break;
      }
    }
    const sync = firstSync.get(podId);
    if (pod.startupFrom !== null || !sync || sync.start_us === null) continue;
    const source = Math.floor(sync.start_record_id / LINE_BITS);
    const sameSource = (id: number) => Math.floor(id / LINE_BITS) === source;
    if (!(adds.get(podId) ?? []).some((id) => sameSource(id) && id <= sync.start_record_id)) continue;
    const end = sync.end_record_id ?? Infinity;
    const candidates = (pleg.get(podId) ?? []).filter((id) => sameSource(id) && id > sync.start_record_id && id <= end).slice(0, PLEG_CANDIDATES);
    if (candidates.length) fallback.set(podId, candidates);
  }
  const plegOf = facts.pleg([...fallback.values()].flat());
  for (const [podId, ids] of fallback) {
    const started = ids.map((id) => plegOf.get(id)).find((e) => e !== undefined && e.type === 'ContainerStarted' && e.timeUs !== null);
    const sync = firstSync.get(podId)!;
    if (started && started.timeUs! >= sync.start_us!) {
      const pod = pods.get(podId)!;
      pod.startupUs = started.timeUs! - sync.start_us!;
      pod.startupFrom = 'pleg';
    }
  }
}

let sideOrders = 0;

/**
 * A side's pods by workload (lifecycle/diff/side-pods.ts: workloadOrder), built a chunk at a time
 * from the pods, phases, incidents and pod events of the chunk's ids. The order is a temporary
 * table of the side's pod ids (SQLite keeps it in a temporary file, not in this process's memory;
 * there is no index by workload to read them in that order from), dropped when the pods are read.
 */
function* sidePods(db: Db, scope: Scope, stored: boolean): Generator<SidePod> {
  const order = `temp.diff_side_order_${++sideOrders}`;
  db.exec(`CREATE TABLE ${order} (pod_id INTEGER NOT NULL)`);
  try {
    // rowids in the SELECT's order: the side's pods by workload
    const side = inSide(scope);
    db.prepare(`INSERT INTO ${order} (pod_id) SELECT id FROM pods WHERE ${side.sql} ORDER BY workload, id`).run(...side.params);
    yield* chunkedPods(db, scope, stored, order);
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${order}`);
  }
}

function* chunkedPods(db: Db, scope: Scope, stored: boolean, order: string): Generator<SidePod> {
  const chunkOf = db.prepare(`SELECT o.rowid AS n, p.id, p.key, p.uid, p.namespace, p.name, p.node, p.workload, p.breakdown_json FROM ${order} o JOIN pods p ON p.id = o.pod_id WHERE o.rowid > ? ORDER BY o.rowid LIMIT ?`);
  const inChunk = `pod_id IN (SELECT pod_id FROM ${order} WHERE rowid BETWEEN ? AND ?)`;
  const phasesOf = db.prepare(`SELECT pod_id, phase, open, start_by, start_us, end_us, start_record_id, end_record_id FROM phases WHERE ${inChunk} ORDER BY pod_id, seq`);
  const incidentsOf = db.prepare(`SELECT pod_id, kind, record_id FROM incidents WHERE ${inChunk}`);
  const eventsOf = db.prepare(`SELECT pod_id AS pod, record_id AS id, kind FROM pod_events_view WHERE ${inChunk} AND kind IN ('runtime.startup', 'runtime.pleg', 'api.add') ORDER BY pod_id, record_id`);
  const facts = stored ? storedStartupFacts(db) : decodedStartupFacts(db);
  for (let after = 0; ; ) {
    const rows = chunkOf.all(after, PODS_PER_CHUNK) as Array<PodDb & { n: number }>;
    if (!rows.length) return;
    const range: [number, number] = [rows[0]!.n, rows[rows.length - 1]!.n];
    after = range[1];
    const pods = new Map<number, SidePod>();
    for (const p of rows) {
      const pod: SidePod = {
        key: p.key,
        uid: p.uid,
        node: p.node,
        namespace: p.namespace,
        name: p.name,
        workload: p.workload,
        startupUs: null,
        startupFrom: null,
        terminatingUs: [],
        terminatedUs: [],
        steps: {},
        incidents: {},
      };
      stepDurations(p.breakdown_json, scope, pod);
      pods.set(p.id, pod);
    }
    const firstSync = new Map<number, PhaseDb>();
    const seen = new Set<number>();
    for (const ph of phasesOf.iterate(...range) as Iterable<PhaseDb>) {
      const pod = pods.get(ph.pod_id);
      if (!pod || !scope.has(ph.start_record_id)) continue;
      // the pod's first phase in this side: a start when it is sync
      if (!seen.has(ph.pod_id)) {
        seen.add(ph.pod_id);
        if (ph.phase === 'sync') firstSync.set(ph.pod_id, ph);
      }
      // a phase the log ends or begins inside is no sample of how long the phase takes
      if (lengthIsLowerBound({ open: ph.open === 1, startBy: { evidence: ph.start_by.split(':')[0]! } }) || ph.start_us === null || ph.end_us === null || ph.phase === 'sync') continue;
      (ph.phase === 'terminating' ? pod.terminatingUs : pod.terminatedUs).push(ph.end_us - ph.start_us);
    }
    for (const a of incidentsOf.iterate(...range) as Iterable<{ pod_id: number; kind: IncidentKind; record_id: number }>) {
      const pod = pods.get(a.pod_id);
      if (pod && scope.has(a.record_id)) pod.incidents[a.kind] = (pod.incidents[a.kind] ?? 0) + 1;
    }
    startups(eventsOf, scope, pods, firstSync, facts, range);
    yield* pods.values();
  }
}

/** A pod's startup and teardown steps that have a length and an end the log shows (pods.breakdown_json). */
function stepDurations(breakdownJson: string, scope: Scope, pod: SidePod): void {
  const stored = JSON.parse(breakdownJson) as { startup: Breakdown<StoredPoint>[]; teardown: Breakdown<StoredPoint>[] };
  for (const b of [...stored.startup, ...stored.teardown]) {
    if (!scope.has(b.start[0])) continue;
    for (const st of b.steps) {
      const [, t0] = st.start;
      const [, t1] = st.end;
      if (st.endBy === 'open' || t0 === null || t1 === null || t1 <= t0) continue;
      (pod.steps[`${b.part}.${st.step}`] ??= []).push(t1 - t0);
    }
  }
}

// ------------------------------------------------------------------ the side

export function loadDiffSide(db: Db, sel: SideSelector, label: string): DiffSide {
  const scope = scopeOf(db, sel);
  const stored = hasStoredFacts(db);
  const { groups, severity, maxV } = messageGroups(db, scope, stored);
  const { pods, exact } = podCounts(db, scope);
  const s = scope.sources;
  const sum = (f: (r: SourceRow) => number) => s.reduce((n, r) => n + f(r), 0);
  const overview: SideOverview = {
    label,
    sources: s.map((r) => ({ id: r.id, path: r.path, node: r.node })),
    nodes: [...new Set(s.flatMap((r) => (r.node === null ? [] : [r.node])))],
    firstUs: s.reduce<number | null>((m, r) => minOf(m, r.first_time_us), null),
    lastUs: s.reduce<number | null>((m, r) => maxOf(m, r.last_time_us), null),
    linesRead: sum((r) => r.lines_read),
    records: sum((r) => r.records),
    foreignLines: sum((r) => r.foreign_lines),
    rejectedLines: sum((r) => r.rejected_lines),
    severity,
    pods,
    kubeletVersions: kubeletVersions(db, scope, stored),
    verbosity: verbosity(db, scope, maxV, exact, stored),
    restarts: restarts(db, scope),
  };
  // pods, their identities and events are read while the diff runs: the database stays open until then
  return { overview, pods: () => sidePods(db, scope, stored), hasPod: hasPodOf(db, scope), messages: groups, events: sideEvents(db, scope) };
}

/**
 * A reader of each UID's events in the side, in record order, for comparing sequences: read from
 * the database as they are iterated (a pod can have a million), each iteration anew.
 */
function sideEvents(db: Db, scope: Scope): (uid: string) => Iterable<SideEvent> {
  const podIds = db.prepare('SELECT id FROM pods WHERE uid = ? ORDER BY id').pluck();
  const sql = 'SELECT pe.record_id, pe.kind, r.time_us, r.msg_id, r.printf FROM pod_events_view pe JOIN records r ON r.id = pe.record_id WHERE pe.pod_id = ? ORDER BY pe.record_id';
  const shared = db.prepare(sql).raw(true);
  const msgOf = db.prepare('SELECT msg FROM messages WHERE id = ?').pluck();
  const msgs = new Map<number, string>();
  return (uid) => ({
    *[Symbol.iterator]() {
      // a statement iterates once at a time: a second reading while one is open gets its own
      const events = shared.busy ? db.prepare(sql).raw(true) : shared;
      for (const podId of podIds.all(uid) as number[]) {
        for (const [id, kind, timeUs, msgId, printf] of events.iterate(podId) as IterableIterator<[number, string, number | null, number, string | null]>) {
          if (!scope.whole && !scope.has(id)) continue;
          let msg = msgs.get(msgId);
          if (msg === undefined) msgs.set(msgId, (msg = msgOf.get(msgId) as string));
          yield { kind, msg, printf, timeUs };
        }
      }
    },
  });
}

/** The sources a selector names; a SelectorError when it names none. */
export function sourcesOfSide(db: Db, sel: SideSelector): SourceRow[] {
  return scopeOf(db, sel).sources;
}
