// What a database holds: its sources with their line accounting, the nodes they came from, the
// time span and the numbers of pods and records. Read from the sources table (kept up to date by
// every ingest batch), never by counting records.
import type { IncidentKind } from '../lifecycle/incidents.js';
import type { Db } from '../store/db.js';
import { listSources } from '../store/sources.js';
import { recordSpan } from './overview.js';
import type { LogTotals } from '../lifecycle/diff/types.js';

export interface SourceSummary extends LogTotals {
  id: number;
  path: string;
  node: string | null;
  envelope: string | null;
  gzip: boolean;
  complete: boolean;
}

export interface NodeSummary {
  node: string | null;
  sources: number;
  pods: number;
  firstUs: number | null;
  lastUs: number | null;
}

export interface DatabaseContents {
  sources: SourceSummary[];
  nodes: NodeSummary[];
  firstUs: number | null;
  lastUs: number | null;
  pods: number;
  records: number;
  /** The incident kinds found on pods, with how many pods show each: the filters a user can pick. */
  incidentKinds: Array<{ kind: IncidentKind; pods: number }>;
}

export function databaseContents(db: Db): DatabaseContents {
  const sources = listSources(db).map(
    (s): SourceSummary => ({
      id: s.id,
      path: s.path,
      node: s.node,
      envelope: s.envelope,
      gzip: s.gzip === 1,
      complete: s.complete === 1,
      firstUs: s.first_time_us,
      lastUs: s.last_time_us,
      linesRead: s.lines_read,
      records: s.records,
      foreignLines: s.foreign_lines,
      rejectedLines: s.rejected_lines,
    }),
  );
  const podsByNode = new Map<string | null, number>();
  for (const r of db.prepare('SELECT node, count(*) AS n FROM pods GROUP BY node').all() as Array<{ node: string | null; n: number }>) podsByNode.set(r.node, r.n);
  const nodes = new Map<string | null, NodeSummary>();
  for (const s of sources) {
    const n = nodes.get(s.node) ?? { node: s.node, sources: 0, pods: podsByNode.get(s.node) ?? 0, firstUs: null, lastUs: null };
    n.sources++;
    n.firstUs = minOf(n.firstUs, s.firstUs);
    n.lastUs = maxOf(n.lastUs, s.lastUs);
    nodes.set(s.node, n);
  }
  const span = recordSpan(db);
  return {
    sources,
    nodes: [...nodes.values()],
    firstUs: span.fromUs,
    lastUs: span.toUs,
    pods: db.prepare('SELECT count(*) FROM pods').pluck().get() as number,
    records: sources.reduce((t, s) => t + s.records, 0),
    incidentKinds: db.prepare('SELECT kind, count(DISTINCT pod_id) AS pods FROM incidents WHERE pod_id IS NOT NULL GROUP BY kind ORDER BY pods DESC, kind').all() as Array<{ kind: IncidentKind; pods: number }>,
  };
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
