// The whole log at a glance: every pod in a time window as compact rows of phases and incidents,
// and how many records (warnings, errors) fall in each slice of the window. Sized for the web
// app's first screen on a day of a busy node (millions of records, thousands of pods).
import type { Db } from '../store/db.js';
import { podWhere, STATES, type PodFilter } from './pods.js';
import type { IncidentKind, IncidentSeverity } from '../lifecycle/incidents.js';
import type { PodState } from '../lifecycle/model.js';
import type { PhaseSummary } from '../lifecycle/view.js';
import type { PhaseName } from '../lifecycle/phases.js';
import { beganBeforeLog } from '../lifecycle/open-end.js';

export interface TimeWindow {
  /** Epoch µs, inclusive; absent: from the first record / to the last. */
  fromUs?: number;
  toUs?: number;
  /** Only pods first seen on, and records read from, this node. */
  node?: string;
}

export interface OverviewPodRow {
  key: string;
  uid: string | null;
  namespace: string | null;
  name: string | null;
  node: string | null;
  static: boolean;
  state: PodState;
  firstUs: number | null;
  lastUs: number | null;
  /**
   * [phase, startUs, endUs, open, exact, beganBeforeLog]: an open phase ends where the log (or its
   * kubelet) stopped; one that began before the log starts at the pod's first line. Either way its
   * length is a lower bound.
   */
  phases: Array<[PhaseName, number | null, number | null, boolean, boolean, boolean]>;
  /** [kind, timeUs, severity] */
  incidents: Array<[IncidentKind, number | null, IncidentSeverity]>;
}

/** A kubelet process of the node (kubelet_processes): where it started and how it ended. */
export interface KubeletProcessRow {
  node: string | null;
  pid: number | null;
  version: string | null;
  /** Its first and last record's times. */
  firstUs: number | null;
  lastUs: number | null;
  /** How it ended: crash, exit, stop, restart (a new process follows), or log-end (still running). */
  end: 'crash' | 'exit' | 'stop' | 'restart' | 'log-end';
  /** The crash or exit record's time; null when only a systemd line says it ended. */
  endUs: number | null;
  signal: string | null;
  message: string | null;
}

export interface RecordHistogram {
  fromUs: number | null;
  bucketUs: number;
  records: number[];
  warnings: number[];
  errors: number[];
}

/** Earliest and latest record time (of a node's sources). */
export function recordSpan(db: Db, node?: string): { fromUs: number | null; toUs: number | null } {
  const row = (
    node === undefined
      ? db.prepare('SELECT min(first_time_us) AS f, max(last_time_us) AS l FROM sources').get()
      : db.prepare('SELECT min(first_time_us) AS f, max(last_time_us) AS l FROM sources WHERE node = ?').get(node)
  ) as { f: number | null; l: number | null };
  return { fromUs: row.f, toUs: row.l };
}

/** At most this many kubelet processes per answer: a kubelet crash-looping for a day has thousands. */
export const MAX_KUBELETS = 2000;

/**
 * The kubelet processes whose records overlap [fromUs, toUs] (of a node), in time order: their
 * starts and ends mark the kubelet's restarts and crashes on the overview's axis. At most
 * MAX_KUBELETS, and how many there are.
 */
export function kubeletProcesses(db: Db, w: TimeWindow): { total: number; rows: KubeletProcessRow[] } {
  const where: string[] = [];
  const params: Record<string, number | string> = {};
  if (w.node !== undefined) {
    where.push('node = @node');
    params.node = w.node;
  }
  if (w.toUs !== undefined) {
    where.push('first_time_us <= @to');
    params.to = w.toUs;
  }
  if (w.fromUs !== undefined) {
    where.push('coalesce(end_time_us, last_time_us) >= @from');
    params.from = w.fromUs;
  }
  const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT count(*) FROM kubelet_processes ${sql}`).pluck().get(params) as number;
  const rows = db
    .prepare(
      `SELECT node, pid, version, first_time_us AS firstUs, last_time_us AS lastUs, end_kind AS "end", end_time_us AS endUs, end_signal AS signal, end_message AS message
       FROM kubelet_processes ${sql} ORDER BY first_time_us IS NULL, first_time_us, epoch LIMIT ${MAX_KUBELETS}`,
    )
    .all(params) as KubeletProcessRow[];
  return { total, rows };
}

/** The overview's row orders (the app's sort menu). */
export const OVERVIEW_SORTS = ['start', 'name', 'state', 'incidents', 'terminating', 'last'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

// pods of logs without times last in every order: they have no place on the axis; then by first
// line, and the pods one line names (a kubelet's first SyncLoop ADD) by name: not by row id, which
// follows the order pods were built in and a partitioned rebuild writes partition by partition
const BY_START = 'first_time_us IS NULL, first_time_us, first_record_id, namespace, name, key';
const ORDER: Record<OverviewSort, string> = {
  start: BY_START,
  // as the app labels a row: namespace/name, or the key of a pod the log never named
  name: "CASE WHEN name IS NULL THEN key ELSE coalesce(namespace, '?') || '/' || name END COLLATE NOCASE",
  // stuck first, then being torn down, running, done (pipeline/pods.ts STATES)
  state: `CASE state ${STATES.map((st, i) => `WHEN '${st}' THEN ${i}`).join(' ')} ELSE ${STATES.length} END, coalesce(terminating_us, 0) DESC, ${BY_START}`,
  incidents: `coalesce(worst_severity, 9), incidents DESC, ${BY_START}`,
  // a pod stuck terminating first, whatever its length (a stuck pod that came late in the log has
  // a short lower bound), then the longest teardowns, those still running at the log's end
  // counted to it
  terminating: `state = 'stuck-terminating' DESC, coalesce(terminating_us, 0) DESC, ${BY_START}`,
  last: 'last_time_us IS NULL, last_time_us DESC',
};

export interface OverviewQuery extends TimeWindow {
  /** Case-insensitive substring of `namespace/name`, or a UID prefix. */
  text?: string;
  /** Only pods with an incident. */
  withIncidents?: boolean;
  sort?: OverviewSort;
  offset: number;
  limit: number;
}

export interface OverviewPage {
  /** Pods matching the query, and how many of them have an incident. */
  total: number;
  withIncidents: number;
  /** The page: `limit` rows from `offset`. */
  rows: OverviewPodRow[];
}

/**
 * One page of the pods overlapping the window (pods without times overlap none; without a
 * window, every pod), filtered and sorted as the overview asks. A page, not every pod: a day of
 * a busy node has 200,000, 52 MB of rows.
 */
export function overviewPage(db: Db, q: OverviewQuery): OverviewPage {
  const filter: PodFilter = {};
  if (q.fromUs !== undefined) filter.sinceUs = q.fromUs;
  if (q.toUs !== undefined) filter.untilUs = q.toUs;
  if (q.node !== undefined) filter.node = q.node;
  if (q.text !== undefined) filter.text = q.text;
  if (q.withIncidents) filter.withIncidents = true;
  const where = podWhere(filter);
  const counts = db.prepare(`SELECT count(*) AS total, coalesce(sum(incidents > 0), 0) AS withIncidents FROM pods ${where.sql}`).get(...where.params) as { total: number; withIncidents: number };
  const rows = q.limit > 0 ? overviewRowsWhere(db, where, ORDER[q.sort ?? 'start'], q.limit, q.offset) : [];
  return { ...counts, rows };
}

/** Pods matching a filter as overview rows, by first time (the filter's sort and paging are not used). */
export function overviewRows(db: Db, filter: PodFilter): OverviewPodRow[] {
  return overviewRowsWhere(db, podWhere(filter), BY_START, -1, 0);
}

function overviewRowsWhere(db: Db, where: { sql: string; params: (string | number)[] }, order: string, limit: number, offset: number): OverviewPodRow[] {
  // only the columns a row draws: `SELECT *` reads each pod's whole row and costs 3× as much
  const pods = db
    .prepare(`SELECT id, key, uid, namespace, name, node, static, state, first_time_us, last_time_us, phases_json FROM pods ${where.sql} ORDER BY ${order}, id LIMIT ? OFFSET ?`)
    .all(...where.params, limit, offset) as OverviewDbRow[];
  const incidents = new Map<number, Array<[IncidentKind, number | null, IncidentSeverity]>>();
  const rows = db
    .prepare('SELECT pod_id, kind, time_us, severity FROM incidents WHERE pod_id IN (SELECT value FROM json_each(?)) ORDER BY pod_id, record_id')
    .all(JSON.stringify(pods.map((p) => p.id))) as Array<{ pod_id: number; kind: IncidentKind; time_us: number | null; severity: number }>;
  for (const a of rows) {
    let list = incidents.get(a.pod_id);
    if (!list) incidents.set(a.pod_id, (list = []));
    list.push([a.kind, a.time_us, SEVERITY_NAMES[a.severity]!]);
  }
  return pods.map((p) => ({
    key: p.key,
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    node: p.node,
    static: p.static === 1,
    state: p.state,
    firstUs: p.first_time_us,
    lastUs: p.last_time_us,
    phases: (JSON.parse(p.phases_json) as PhaseSummary[]).map((ph) => [ph.phase, ph.startUs, ph.endUs, ph.open, ph.evidence === 'exact', beganBeforeLog(ph)]),
    incidents: incidents.get(p.id) ?? [],
  }));
}

interface OverviewDbRow {
  id: number;
  key: string;
  uid: string | null;
  namespace: string | null;
  name: string | null;
  node: string | null;
  static: number;
  state: PodState;
  first_time_us: number | null;
  last_time_us: number | null;
  phases_json: string;
}

const SEVERITY_NAMES: readonly IncidentSeverity[] = ['critical', 'error', 'warning', 'info'];

/**
 * Records, warnings (W) and errors (E, F) in `buckets` equal slices of [fromUs, toUs], in one
 * statement: each slice is a count over one range of the records_time index, and a count over the
 * same range of the small W/E/F index (0003_severity_time.sql), so no record row is read. (A GROUP
 * BY over the slice number sorts every record of the window first: 2 to 3 times slower on 1.5M
 * records; reading severity from the rows, about 4 times slower.) The `severity IN (…)` term is
 * spelled as in the index's WHERE so that SQLite uses it.
 */
export function recordHistogram(db: Db, fromUs: number, toUs: number, buckets: number, node?: string): RecordHistogram {
  const bucketUs = Math.max(1, Math.ceil((toUs - fromUs + 1) / buckets));
  const bySource = node === undefined ? '' : ' AND (id >> 32) IN (SELECT id FROM sources WHERE node = @node)';
  const range = `time_us >= @from + i * @width AND time_us < @from + (i + 1) * @width AND time_us <= @to${bySource}`;
  // bound as BigInt: JavaScript numbers are bound as REAL, and the slice bounds are integer µs
  const sql = `WITH RECURSIVE slice(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM slice WHERE i + 1 < @buckets)
    SELECT json_array(
      (SELECT count(*) FROM records WHERE ${range}),
      (SELECT json_array(sum(severity = 'W'), sum(severity IN ('E', 'F'))) FROM records WHERE severity IN ('W', 'E', 'F') AND ${range})
    ) AS counts
    FROM slice ORDER BY i`;
  const params: Record<string, bigint | string> = { buckets: BigInt(buckets), from: BigInt(fromUs), width: BigInt(bucketUs), to: BigInt(toUs) };
  if (node !== undefined) params.node = node;
  const out: RecordHistogram = { fromUs, bucketUs, records: [], warnings: [], errors: [] };
  for (const counts of db.prepare(sql).pluck().all(params) as string[]) {
    const [n, [w, e]] = JSON.parse(counts) as [number, [number | null, number | null]];
    out.records.push(n);
    out.warnings.push(w ?? 0);
    out.errors.push(e ?? 0);
  }
  return out;
}
