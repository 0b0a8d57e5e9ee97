// Pod queries for the CLI and the web: lists with filters and sorting, lookup by UID / prefix /
// ns/name, and one pod's full view with its records' text. Bound parameters only.
import type { Db } from '../store/db.js';
import { decodeEntries, decompressBlock } from '../store/codec.js';
import { LINE_BITS } from '../store/writer.js';
import { newestFirstSourceIds } from '../store/sources.js';
import type { LogRecord } from '../parser/types.js';
import type { EventView, IncidentView, PhaseSummary, PhaseView, PodView, StoredPoint, ViewPoint } from '../lifecycle/view.js';
import { breakdownView, markOf } from '../lifecycle/view.js';
import type { Breakdown } from '../lifecycle/breakdown.js';
import type { PodState } from '../lifecycle/model.js';
import { durationOf } from '../lifecycle/view.js';
import type { IncidentKind, IncidentSeverity } from '../lifecycle/incidents.js';
import type { Lane } from '../lifecycle/catalogue-types.js';
import type { PhaseName } from '../lifecycle/phases.js';

const lineOf = (id: number) => id % LINE_BITS;
const sourceOf = (id: number) => Math.floor(id / LINE_BITS);

export const SORTS = ['start', 'name', 'state', 'startup', 'terminating', 'terminated', 'sync', 'incidents', 'severity', 'events'] as const;

/**
 * The states a pod's record can end in (lifecycle/model.ts PodState), in the order `--sort state`
 * lists them: what may be failing to die first (stuck, terminating, containers stopped but not
 * cleaned up), then running, then done.
 */
export const STATES: readonly PodState[] = ['stuck-terminating', 'terminating', 'terminated', 'running', 'finished', 'rejected', 'mirror', 'orphan', 'unknown'];
export type PodSort = (typeof SORTS)[number];

export interface PodFilter {
  namespace?: string;
  /** Glob over the pod name (`*`, `?`). */
  name?: string;
  /** Case-insensitive substring of `namespace/name`, or a UID prefix. */
  text?: string;
  /** Pods with at least one incident of this kind. */
  incidentKind?: string;
  /** Pods whose record ends in one of these states. */
  states?: PodState[];
  /** Pods first seen on this node. */
  node?: string;
  /** Pods of this workload (pod names without ReplicaSet hash and random suffix); null: pods without a name. */
  workload?: string | null;
  /** Pods with an event read from one of these sources. */
  sources?: number[];
  /** Pods with an incident (at least this severe: 0 critical … 3 info). */
  withIncidents?: boolean;
  minSeverity?: number;
  /** Epoch µs: pods seen at or after / before. */
  sinceUs?: number;
  untilUs?: number;
  sort?: PodSort;
  desc?: boolean;
  limit?: number;
  offset?: number;
}

/** @deprecated the list's phases: lifecycle/view.ts PhaseSummary. */
export type PodPhaseSummary = PhaseSummary;

export interface PodRow {
  id: number;
  key: string;
  uid: string | null;
  namespace: string | null;
  name: string | null;
  workload: string | null;
  node: string | null;
  static: boolean;
  mirrorOf: string | null;
  exact: boolean;
  firstUs: number | null;
  lastUs: number | null;
  finishedUs: number | null;
  events: number;
  state: PodState;
  incidents: number;
  incidentKinds: IncidentKind[];
  /** Its worst incident's severity, when it has one. */
  worstSeverity: IncidentSeverity | null;
  syncUs: number | null;
  terminatingUs: number | null;
  terminatedUs: number | null;
  /** The first startup's duration (admitted → ready, or its last step seen); `startupOpen`: a lower bound. */
  startupUs: number | null;
  startupOpen: boolean;
  phases: PodPhaseSummary[];
}

/** A row of the pods table. */
export interface PodDbRow {
  id: number;
  key: string;
  uid: string | null;
  namespace: string | null;
  name: string | null;
  workload: string | null;
  node: string | null;
  static: number;
  mirror_of: string | null;
  exact: number;
  first_time_us: number | null;
  last_time_us: number | null;
  finished_us: number | null;
  events: number;
  state: PodState;
  incidents: number;
  incident_kinds: string;
  worst_severity: number | null;
  sync_us: number | null;
  terminating_us: number | null;
  terminated_us: number | null;
  phases_json: string;
  startup_us: number | null;
  startup_open: number;
  breakdown_json: string;
}

const SEVERITIES: readonly IncidentSeverity[] = ['critical', 'error', 'warning', 'info'];

const ORDER: Record<PodSort, string> = {
  // then by first line, and the pods one line names (a kubelet's first SyncLoop ADD) by name: not
  // by row id, which follows the order pods were built in (a partitioned rebuild: partition by partition)
  start: 'first_time_us, first_record_id, namespace, name, key',
  name: 'namespace, name',
  terminating: 'terminating_us',
  terminated: 'terminated_us',
  startup: 'startup_us',
  sync: 'sync_us',
  // the states that want attention first: stuck, then being torn down, then running, then done
  state: `CASE state ${STATES.map((st, i) => `WHEN '${st}' THEN ${i}`).join(' ')} ELSE ${STATES.length} END`,
  incidents: 'incidents',
  severity: 'coalesce(worst_severity,9)',
  events: 'events',
};

function toRow(r: PodDbRow): PodRow {
  return {
    id: r.id,
    key: r.key,
    uid: r.uid,
    namespace: r.namespace,
    name: r.name,
    workload: r.workload,
    node: r.node,
    static: r.static === 1,
    mirrorOf: r.mirror_of,
    exact: r.exact === 1,
    firstUs: r.first_time_us,
    lastUs: r.last_time_us,
    finishedUs: r.finished_us,
    events: r.events,
    state: r.state,
    incidents: r.incidents,
    incidentKinds: JSON.parse(r.incident_kinds) as IncidentKind[],
    worstSeverity: r.worst_severity === null ? null : SEVERITIES[r.worst_severity]!,
    syncUs: r.sync_us,
    terminatingUs: r.terminating_us,
    terminatedUs: r.terminated_us,
    startupUs: r.startup_us,
    startupOpen: r.startup_open === 1,
    phases: JSON.parse(r.phases_json) as PhaseSummary[],
  };
}

/** `*` and `?` globs to SQL GLOB (case-sensitive, like pod names). */
function globOf(s: string): string {
  return s.replace(/[[\]]/g, (c) => `[${c}]`);
}

/** User text taken literally by `LIKE … ESCAPE '\'`. */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause of a filter over `pods`, with its bound parameters. */
export function podWhere(f: PodFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (f.namespace !== undefined) {
    clauses.push('namespace = ?');
    params.push(f.namespace);
  }
  if (f.name !== undefined) {
    clauses.push('name GLOB ?');
    params.push(globOf(f.name));
  }
  if (f.text !== undefined) {
    // one substring test covers the namespace, the name, and `ns/name` typed whole
    clauses.push("(coalesce(namespace, '') || '/' || coalesce(name, '') LIKE ? ESCAPE '\\' OR uid LIKE ? ESCAPE '\\')");
    const t = likeLiteral(f.text);
    params.push(`%${t}%`, `${t}%`);
  }
  if (f.incidentKind !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM incidents a WHERE a.kind = ? AND a.pod_id = pods.id)');
    params.push(f.incidentKind);
  }
  if (f.states !== undefined) {
    clauses.push(f.states.length ? `state IN (${f.states.map(() => '?').join(', ')})` : '0');
    params.push(...f.states);
  }
  if (f.node !== undefined) {
    clauses.push('node = ?');
    params.push(f.node);
  }
  if (f.workload === null) clauses.push('workload IS NULL');
  else if (f.workload !== undefined) {
    clauses.push('workload = ?');
    params.push(f.workload);
  }
  if (f.sources !== undefined) {
    const has = podHasEventIn(f.sources);
    clauses.push(has.sql);
    params.push(...has.params);
  }
  if (f.withIncidents) clauses.push('incidents > 0');
  if (f.minSeverity !== undefined) {
    clauses.push('worst_severity <= ?');
    params.push(f.minSeverity);
  }
  if (f.sinceUs !== undefined) {
    clauses.push('last_time_us >= ?');
    params.push(f.sinceUs);
  }
  if (f.untilUs !== undefined) {
    clauses.push('first_time_us <= ?');
    params.push(f.untilUs);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function countPods(db: Db, f: PodFilter = {}): number {
  const w = podWhere(f);
  return (db.prepare(`SELECT count(*) AS n FROM pods ${w.sql}`).get(...w.params) as { n: number }).n;
}

/** The query of a filtered, sorted page of pods, with its bound parameters. */
function podQuery(f: PodFilter): { sql: string; params: (string | number)[] } {
  const w = podWhere(f);
  const sort = ORDER[f.sort ?? 'start'];
  const dir = f.desc ? 'DESC' : 'ASC';
  // NULLs (no duration) last whatever the direction
  const order = sort
    .split(', ')
    .map((c) => `${c} IS NULL, ${c} ${dir}`)
    .join(', ');
  return { sql: `SELECT * FROM pods ${w.sql} ORDER BY ${order}, id LIMIT ? OFFSET ?`, params: [...w.params, f.limit ?? -1, f.offset ?? 0] };
}

export function listPods(db: Db, f: PodFilter = {}): PodRow[] {
  const q = podQuery(f);
  return (db.prepare(q.sql).all(...q.params) as PodDbRow[]).map(toRow);
}

/** The same pods one at a time: memory stays flat however many there are (`kubelog pods` on a million). */
export function* iteratePods(db: Db, f: PodFilter = {}): Generator<PodRow> {
  const q = podQuery(f);
  for (const r of db.prepare(q.sql).iterate(...q.params) as Iterable<PodDbRow>) yield toRow(r);
}

/** Pods matching a UID, a UID prefix (4+ characters), `ns/name`, or a bare name. */
export function findPods(db: Db, query: string): PodRow[] {
  const q = query.trim().toLowerCase();
  const exact = db.prepare('SELECT * FROM pods WHERE uid = ? OR key = ?').all(q, query) as PodDbRow[];
  if (exact.length) return exact.map(toRow);
  const slash = query.indexOf('/');
  const byName = (slash > 0
    ? db.prepare('SELECT * FROM pods WHERE namespace = ? AND name = ? ORDER BY first_time_us').all(query.slice(0, slash), query.slice(slash + 1))
    : db.prepare('SELECT * FROM pods WHERE name = ? ORDER BY first_time_us').all(query)) as PodDbRow[];
  if (byName.length) return byName.map(toRow);
  if (/^[0-9a-f-]{4,}$/.test(q)) {
    const prefix = db.prepare("SELECT * FROM pods WHERE uid GLOB ? ORDER BY first_time_us LIMIT 50").all(`${q}*`) as PodDbRow[];
    if (prefix.length) return prefix.map(toRow);
  }
  return [];
}

/** A row of the incidents table. */
export interface IncidentRow {
  id: number;
  pod_id: number | null;
  node: string | null;
  kind: IncidentKind;
  severity: number;
  time_us: number | null;
  record_id: number;
  lines: number;
  evidence: string;
  subject: string | null;
  detail: string;
}

/** Incidents as the CLI and the web show them: each evidence line with its time. */
export function incidentViews(db: Db, rows: readonly IncidentRow[], multi: boolean): IncidentView[] {
  const timeOf = db.prepare('SELECT time_us FROM records WHERE id = ?').pluck();
  return rows.map((a) => {
    const evidence = (JSON.parse(a.evidence) as number[]).map((id) => vp(id, (timeOf.get(id) as number | null | undefined) ?? null, multi));
    const out: IncidentView = { ...vp(a.record_id, a.time_us, multi), kind: a.kind, severity: SEVERITIES[a.severity]!, lines: a.lines, evidence, detail: a.detail };
    if (a.subject !== null) out.subject = a.subject;
    return out;
  });
}

/** Records by id, decoding each block once. */
export function recordsById(db: Db, ids: readonly number[]): Map<number, LogRecord> {
  const out = new Map<number, LogRecord>();
  if (ids.length === 0) return out;
  const blockOf = db.prepare('SELECT block_id FROM records WHERE id = ?').pluck();
  const byBlock = new Map<number, Set<number>>();
  for (const id of ids) {
    const b = blockOf.get(id) as number | undefined;
    if (b === undefined) continue;
    let set = byBlock.get(b);
    if (!set) byBlock.set(b, (set = new Set()));
    set.add(lineOf(id));
  }
  const block = db.prepare('SELECT source_id, data, format FROM blocks WHERE id = ?');
  for (const [b, lines] of byBlock) {
    const row = block.get(b) as { source_id: number; data: Buffer; format: number };
    const picked: LogRecord[] = [];
    for (const e of decodeEntries(decompressBlock(row.data, row.format))) {
      if (e.kind === 'record' && lines.has(e.record.line)) picked.push(e.record);
    }
    // the decoded strings are slices of the whole block's text, which they would keep alive: a
    // pod of 28,000 events kept ~1,500 blocks (890 MB) for `kubelog pod`. Copies keep only themselves.
    for (const r of JSON.parse(JSON.stringify(picked)) as LogRecord[]) out.set(row.source_id * LINE_BITS + r.line, r);
  }
  return out;
}

const vp = (id: number | null, timeUs: number | null, multiSource: boolean): ViewPoint => {
  const p: ViewPoint = { line: id === null ? 0 : lineOf(id) };
  if (timeUs !== null) p.timeUs = timeUs;
  if (multiSource && id !== null) p.source = sourceOf(id);
  return p;
};

/** The pod whose key (a UID, or `~namespace/name`) or UID is exactly this. */
export function podIdByKey(db: Db, key: string): number | undefined {
  return db.prepare('SELECT id FROM pods WHERE key = ? OR uid = ? ORDER BY key = ? DESC, id LIMIT 1').pluck().get(key, key, key) as number | undefined;
}

/** The pod key of each UID that is a pod's (records name their pod by UID; see codec podUidOf). */
export function podKeysOfUids(db: Db, uids: Iterable<string>): Map<string, string> {
  const keyOf = db.prepare('SELECT key FROM pods WHERE uid = ? ORDER BY id LIMIT 1').pluck();
  const out = new Map<string, string>();
  for (const uid of uids) {
    if (out.has(uid)) continue;
    const key = keyOf.get(uid) as string | undefined;
    if (key !== undefined) out.set(uid, key);
  }
  return out;
}

export interface PodDetailOptions {
  /** Every event's raw log text. */
  raw?: boolean;
  /**
   * When points name their source: only when the database has several (the CLI's output), or
   * always (the web app asks for the lines around a point by source).
   */
  sources?: 'several' | 'always';
  /** false: no events (the web asks for a busy pod's by time window, store/pod-events.ts). */
  events?: boolean;
}

/** Whether points name their source (PodDetailOptions.sources). */
const namesSources = (db: Db, sources: PodDetailOptions['sources']): boolean => sources === 'always' || (db.prepare('SELECT count(*) FROM sources').pluck().get() as number) > 1;

/** A row of pod_events_view. */
export interface EventRow {
  record_id: number;
  lane: Lane | null;
  kind: string;
}

/** Events with their records' text, decoding each block once; an event whose record is gone is left out. */
export function eventViews(db: Db, rows: readonly EventRow[], opts: Pick<PodDetailOptions, 'raw' | 'sources'>): EventView[] {
  const multi = namesSources(db, opts.sources);
  const records = recordsById(db, rows.map((e) => e.record_id));
  return rows.flatMap((e): EventView[] => {
    const r = records.get(e.record_id);
    if (!r) return [];
    const ev: EventView = { ...vp(e.record_id, r.timeUs ?? null, multi), lane: e.lane, kind: e.kind, msg: r.msg, kv: r.kv };
    if (r.severity) ev.severity = r.severity;
    if (opts.raw) ev.raw = r.raw;
    return [ev];
  });
}

/** One pod with phases, incidents and every event's record text. */
export function podDetail(db: Db, podId: number, opts: PodDetailOptions = {}): PodView | undefined {
  const pod = db.prepare('SELECT * FROM pods WHERE id = ?').get(podId) as (PodDbRow & { first_record_id: number; last_record_id: number; finished_record_id: number | null; finished_evidence: string | null }) | undefined;
  if (!pod) return undefined;
  const multi = namesSources(db, opts.sources);
  const phases = db.prepare('SELECT * FROM phases WHERE pod_id = ? ORDER BY seq').all(podId) as {
    phase: PhaseName;
    evidence: 'exact' | 'inferred';
    open: number;
    calls: number;
    start_us: number | null;
    end_us: number | null;
    start_record_id: number;
    end_record_id: number;
    start_by: string;
    end_by: string;
    grace_period_s: number | null;
  }[];
  const incidents = incidentViews(db, db.prepare('SELECT * FROM incidents WHERE pod_id = ? ORDER BY record_id').all(podId) as IncidentRow[], multi);
  const stored = JSON.parse(pod.breakdown_json) as { startup: Breakdown<StoredPoint>[]; teardown: Breakdown<StoredPoint>[] };
  const at = ([id, t]: StoredPoint) => vp(id, t, multi);
  const view: PodView = {
    key: pod.key,
    uid: pod.uid,
    static: pod.static === 1,
    exact: pod.exact === 1,
    state: pod.state,
    first: vp(pod.first_record_id, pod.first_time_us, multi),
    last: vp(pod.last_record_id, pod.last_time_us, multi),
    phases: phases.map((ph) => {
      const start = vp(ph.start_record_id, ph.start_us, multi);
      const end = vp(ph.end_record_id, ph.end_us, multi);
      const out: PhaseView = {
        phase: ph.phase,
        start,
        end,
        startBy: markOf(ph.start_by),
        endBy: markOf(ph.end_by),
        evidence: ph.evidence,
        open: ph.open === 1,
        calls: ph.calls,
        durationUs: durationOf(start, end),
      };
      if (ph.grace_period_s !== null) out.gracePeriodS = ph.grace_period_s;
      return out;
    }),
    finished: pod.finished_record_id === null ? null : { ...vp(pod.finished_record_id, pod.finished_us, multi), evidence: (pod.finished_evidence ?? 'exact') as 'exact' | 'inferred' },
    incidents,
    startup: stored.startup.map((b) => breakdownView(b, at)),
    teardown: stored.teardown.map((b) => breakdownView(b, at)),
    events: opts.events === false ? [] : [...podEvents(db, podId, opts)],
  };
  if (pod.namespace !== null) view.namespace = pod.namespace;
  if (pod.name !== null) view.name = pod.name;
  if (pod.workload !== null) view.workload = pod.workload;
  if (pod.node !== null) view.node = pod.node;
  if (pod.mirror_of !== null) view.mirrorOf = pod.mirror_of;
  return view;
}

/** Events a page holds: a page's records are decoded together, block by block. */
export const EVENT_PAGE = 4096;

/**
 * A pod's events with their records' text, a page at a time: a pod that logged a line a second for
 * weeks has a million, which as views do not fit in memory at once. In line order, except those
 * of an input that ran newest first: from its last line up, as the lifecycle rebuild read them
 * (pipeline/rebuild.ts), so that a pod's events read forward in time.
 */
export function* podEvents(db: Db, podId: number, opts: Pick<PodDetailOptions, 'raw' | 'sources'> = {}, page = EVENT_PAGE): Generator<EventView> {
  const reversed = newestFirstSourceIds(db);
  const forward = db.prepare('SELECT record_id, lane, kind FROM pod_events_view WHERE pod_id = ? AND record_id > ? AND record_id < ? ORDER BY record_id LIMIT ?');
  const backward = db.prepare('SELECT record_id, lane, kind FROM pod_events_view WHERE pod_id = ? AND record_id >= ? AND record_id < ? ORDER BY record_id DESC LIMIT ?');
  // record ids are source << 32 | line: each source a range, read in its own direction
  const ranges: [number, number, boolean][] =
    reversed.size === 0 ? [[-1, Number.MAX_SAFE_INTEGER, false]] : (db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[]).map((s) => [s * LINE_BITS - 1, (s + 1) * LINE_BITS, reversed.has(s)]);
  for (let [lo, hi, down] of ranges) {
    for (;;) {
      const rows = (down ? backward.all(podId, lo + 1, hi, page) : forward.all(podId, lo, hi, page)) as EventRow[];
      if (rows.length === 0) break;
      yield* eventViews(db, rows, opts);
      if (down) hi = rows[rows.length - 1]!.record_id;
      else lo = rows[rows.length - 1]!.record_id;
    }
  }
}

/**
 * A condition on `pods` (a row of that table): the pod has an event in one of these sources. Record
 * ids are source << 32 | line: one range of the pod's (pod_id, record_id) key per source.
 */
export function podHasEventIn(sources: readonly number[]): { sql: string; params: number[] } {
  if (!sources.length) return { sql: '0', params: [] };
  const ranges = sources.map(() => '(e.record_id >= ? AND e.record_id < ?)');
  return {
    sql: `EXISTS (SELECT 1 FROM pod_events e WHERE e.pod_id = pods.id AND (${ranges.join(' OR ')}))`,
    params: sources.flatMap((id) => [id * LINE_BITS, (id + 1) * LINE_BITS]),
  };
}
