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
  processes: KubeletProcessView[];
  incidents: NodeIncidentView[];
  events: NodeEventView[];
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
  node: string | null;
  kind: string;
  severity: number;
  time_us: number | null;
  record_id: number;
  lines: number;
  evidence: string;
  detail: string;
}

interface EventRow {
  node: string | null;
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
 * Every node's kubelet life, nodes in the order their first kubelet process ran. `node`: only that
 * node ('' for the sources that name none).
 */
export function nodeLives(db: Db, node?: string): NodeLife[] {
  const nodeSql = node === undefined ? '' : node === '' ? 'WHERE node IS NULL' : 'WHERE node = ?';
  const args = node === undefined || node === '' ? [] : [node];
  const processes = db.prepare(`SELECT * FROM kubelet_processes ${nodeSql} ORDER BY epoch`).all(...args) as ProcessRow[];
  const incidents = db
    .prepare(`SELECT node, kind, severity, time_us, record_id, lines, evidence, detail FROM incidents ${nodeSql ? `${nodeSql} AND` : 'WHERE'} pod_id IS NULL ORDER BY record_id`)
    .all(...args) as IncidentRow[];
  const events = db.prepare(`SELECT node, kind, first_record_id, last_record_id, first_time_us, last_time_us, lines, detail FROM node_events ${nodeSql} ORDER BY first_record_id`).all(...args) as EventRow[];
  const lives = new Map<string | null, NodeLife>();
  const life = (n: string | null): NodeLife => {
    let l = lives.get(n);
    if (!l) lives.set(n, (l = { node: n, processes: [], incidents: [], events: [] }));
    return l;
  };
  for (const r of processes) life(r.node).processes.push(processView(r));
  const timeOf = db.prepare('SELECT time_us FROM records WHERE id = ?').pluck();
  for (const r of incidents) {
    const at = (id: number): number | null => (id === r.record_id ? r.time_us : ((timeOf.get(id) as number | null | undefined) ?? null));
    life(r.node).incidents.push({
      kind: r.kind,
      severity: SEVERITIES[r.severity] ?? 'info',
      at: point(r.record_id, r.time_us),
      lines: r.lines,
      evidence: (JSON.parse(r.evidence) as number[]).map((id) => point(id, at(id))),
      detail: r.detail,
    });
  }
  for (const r of events) life(r.node).events.push({ kind: r.kind, first: point(r.first_record_id, r.first_time_us), last: point(r.last_record_id, r.last_time_us), lines: r.lines, detail: r.detail });
  return [...lives.values()];
}
