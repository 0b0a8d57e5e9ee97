// The kubelet's own life per node, as the lifecycle rebuild stored it (migrations 0007, 0008): each
// kubelet process (start, version, -v, how it ended), the node's incidents (crashes, restarts, the
// node not ready) and the node lane's events. Queries only: pipeline/rebuild.ts writes these tables.
import type { Db } from './db.js';
import { LINE_BITS } from './writer.js';

export interface NodePoint {
  source: number;
  line: number;
  /** Epoch µs; absent for logs without times. */
  timeUs?: number;
}

export interface KubeletProcessView {
  pid: number | null;
  /** The version the process printed (`v1.28.3`). */
  version: string | null;
  /** What its lines tell of its version: `1.28`, `1.31-1.32`, `≤1.20`, `unknown`; and on what basis. */
  versionEstimate: { label: string; basis: string } | null;
  /** Its -v: `exact` from its flags dump, `at-least` from the messages it logged, `unknown`. */
  verbosity: { kind: string; level: number } | null;
  /** How its start shows (systemd, `Starting kubelet`, the flags dump, …); null: the log begins inside it. */
  start: { at: NodePoint | null; timeUs: number | null; evidence: string[] } | null;
  first: NodePoint;
  last: NodePoint;
  records: number;
  /** crash | exit | stop | restart | log-end, and the line that says so. */
  end: { kind: string; at: NodePoint | null; timeUs: number | null; signal: string | null; message: string | null };
}

export interface NodeIncidentView {
  kind: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  at: NodePoint;
  lines: number;
  evidence: NodePoint[];
  detail: string;
}

export interface NodeEventView {
  kind: string;
  first: NodePoint;
  last: NodePoint;
  lines: number;
  detail: string;
}

export interface NodeLife {
  /** null: sources that name no node. */
  node: string | null;
  processes: Iterable<KubeletProcessView>;
  incidents: Iterable<NodeIncidentView>;
  events: Iterable<NodeEventView>;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

function point(id: number, timeUs: number | null): NodePoint {
  const p: NodePoint = { source: Math.floor(id / LINE_BITS), line: id % LINE_BITS };
  if (timeUs !== null) p.timeUs = timeUs;
  return p;
}

interface ProcessRow {
  node: string | null;
  pid: number | null;
  version: string | null;
  version_estimate: string | null;
  version_basis: string | null;
  verbosity: string | null;
  verbosity_level: number | null;
  start_record_id: number | null;
  start_time_us: number | null;
  start_evidence: string | null;
  first_record_id: number;
  last_record_id: number;
  first_time_us: number | null;
  last_time_us: number | null;
  records: number;
  end_kind: string;
  end_record_id: number | null;
  end_time_us: number | null;
  end_signal: string | null;
  end_message: string | null;
}

interface IncidentRow {
  kind: string;
  severity: number;
  time_us: number | null;
  record_id: number;
  lines: number;
  evidence: string;
  detail: string;
}

interface EventRow {
  kind: string;
  first_record_id: number;
  last_record_id: number;
  first_time_us: number | null;
  last_time_us: number | null;
  lines: number;
  detail: string;
}

function processView(r: ProcessRow): KubeletProcessView {
  return {
    pid: r.pid,
    version: r.version,
    versionEstimate: r.version_estimate === null ? null : { label: r.version_estimate, basis: r.version_basis ?? 'none' },
    verbosity: r.verbosity === null ? null : { kind: r.verbosity, level: r.verbosity_level ?? 0 },
    start:
      r.start_evidence === null
        ? null
        : { at: r.start_record_id === null ? null : point(r.start_record_id, r.start_time_us), timeUs: r.start_time_us, evidence: JSON.parse(r.start_evidence) as string[] },
    first: point(r.first_record_id, r.first_time_us),
    last: point(r.last_record_id, r.last_time_us),
    records: r.records,
    end: { kind: r.end_kind, at: r.end_record_id === null ? null : point(r.end_record_id, r.end_time_us), timeUs: r.end_time_us, signal: r.end_signal, message: r.end_message },
  };
}

/**
 * The nodes of the kubelet's life tables: in the order their first kubelet process ran, then those
 * only an incident or a node event names. `only`: that node alone ('' for the sources that name
 * none), when the tables have it.
 */
export function lifeNodes(db: Db, only?: string): (string | null)[] {
  const nodes: (string | null)[] = [];
  const seen = new Set<string | null>();
  const queries = [
    'SELECT node FROM kubelet_processes GROUP BY node ORDER BY min(epoch)',
    'SELECT node FROM incidents WHERE pod_id IS NULL GROUP BY node ORDER BY min(record_id)',
    'SELECT node FROM node_events GROUP BY node ORDER BY min(first_record_id)',
  ];
  for (const q of queries) {
    for (const node of db.prepare(q).pluck().iterate() as Iterable<string | null>) {
      if (seen.has(node)) continue;
      seen.add(node);
      nodes.push(node);
    }
  }
  if (only === undefined) return nodes;
  const wanted = only === '' ? null : only;
  return nodes.filter((n) => n === wanted);
}

/** A node's kubelet processes in the order they ran, read as they are used. */
export function* nodeProcessViews(db: Db, node: string | null): Generator<KubeletProcessView> {
  for (const r of db.prepare('SELECT * FROM kubelet_processes WHERE node IS ? ORDER BY epoch').iterate(node) as Iterable<ProcessRow>) yield processView(r);
}

/** A node's incidents (not a pod's) in log order, read as they are used. */
export function* nodeIncidentViews(db: Db, node: string | null): Generator<NodeIncidentView> {
  const timeOf = db.prepare('SELECT time_us FROM records WHERE id = ?').pluck();
  const rows = db.prepare('SELECT kind, severity, time_us, record_id, lines, evidence, detail FROM incidents WHERE pod_id IS NULL AND node IS ? ORDER BY record_id');
  for (const r of rows.iterate(node) as Iterable<IncidentRow>) {
    const at = (id: number): number | null => (id === r.record_id ? r.time_us : ((timeOf.get(id) as number | null | undefined) ?? null));
    yield {
      kind: r.kind,
      severity: SEVERITIES[r.severity] ?? 'info',
      at: point(r.record_id, r.time_us),
      lines: r.lines,
      evidence: (JSON.parse(r.evidence) as number[]).map((id) => point(id, at(id))),
      detail: r.detail,
    };
  }
}

/** A node's lane (its conditions as spans) in log order, read as they are used. */
export function* nodeEventViews(db: Db, node: string | null): Generator<NodeEventView> {
  const rows = db.prepare('SELECT kind, first_record_id, last_record_id, first_time_us, last_time_us, lines, detail FROM node_events WHERE node IS ? ORDER BY first_record_id');
  for (const r of rows.iterate(node) as Iterable<EventRow>) yield { kind: r.kind, first: point(r.first_record_id, r.first_time_us), last: point(r.last_record_id, r.last_time_us), lines: r.lines, detail: r.detail };
}

/**
 * Every node's kubelet life, nodes as lifeNodes() orders them; each list is read from the database
 * as it is iterated (a log may hold a process per line), once.
 */
export function nodeLives(db: Db, only?: string): NodeLife[] {
  return lifeNodes(db, only).map((node) => ({ node, processes: nodeProcessViews(db, node), incidents: nodeIncidentViews(db, node), events: nodeEventViews(db, node) }));
}
