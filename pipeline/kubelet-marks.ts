// The kubelet's own crashes and restarts while a pod lived: the node's incidents (pod_id NULL,
// lifecycle/node-incidents.ts) that fall inside the pod's span, for the marks on its timeline. A
// pod's open phase often ends at one of them. Bound parameters only.
import type { Db } from '../store/db.js';
import { incidentViews, type IncidentRow } from './pods.js';
import type { IncidentView } from '../lifecycle/view.js';
import { LINE_BITS } from '../store/writer.js';

/**
 * The kubelet's incidents a pod's answer holds at most: a pod of a crash-looping kubelet's node may
 * have lived through hundreds of thousands (a process a line); the count says how many there are.
 */
export const MAX_KUBELET_MARKS = 2000;

/** The node incident kinds that are the kubelet's own life. */
export const KUBELET_KINDS = ['kubelet-crash', 'kubelet-restart'] as const;

/**
 * The kubelet's crashes and restarts on the pod's node between its first line and its last line or
 * phase end: the first MAX_KUBELET_MARKS, and how many there are. A restart
 * systemd announces may have no time of its own: its record's time counts. A pod of a log that
 * names no node sees those of its own source only (two unnamed nodes are not one).
 */
export function kubeletIncidentsOfPod(db: Db, podId: number, multiSource: boolean): { incidents: IncidentView[]; total: number } {
  // an open phase runs on to where its kubelet crashed or restarted: past the pod's last line
  const pod = db
    .prepare('SELECT node, first_time_us, max(last_time_us, coalesce((SELECT max(end_us) FROM phases WHERE pod_id = pods.id), last_time_us)) AS last_time_us, first_record_id FROM pods WHERE id = ?')
    .get(podId) as
    | { node: string | null; first_time_us: number | null; last_time_us: number | null; first_record_id: number }
    | undefined;
  if (!pod || pod.first_time_us === null || pod.last_time_us === null) return { incidents: [], total: 0 };
  const source = Math.floor(pod.first_record_id / LINE_BITS);
  const where = `FROM incidents i LEFT JOIN records r ON r.id = i.record_id
       WHERE i.pod_id IS NULL AND i.kind IN (${KUBELET_KINDS.map(() => '?').join(', ')})
         AND (i.node = ? OR (? IS NULL AND i.node IS NULL AND i.record_id >= ? AND i.record_id < ?))
         AND coalesce(i.time_us, r.time_us) BETWEEN ? AND ?`;
  const params = [...KUBELET_KINDS, pod.node, pod.node, source * LINE_BITS, (source + 1) * LINE_BITS, pod.first_time_us, pod.last_time_us];
  const rows = db.prepare(`SELECT i.* ${where} ORDER BY i.record_id LIMIT ${MAX_KUBELET_MARKS}`).all(...params) as IncidentRow[];
  const total = rows.length < MAX_KUBELET_MARKS ? rows.length : (db.prepare(`SELECT count(*) ${where}`).pluck().get(...params) as number);
  const timeOf = db.prepare('SELECT time_us FROM records WHERE id = ?').pluck();
  const incidents = incidentViews(
    db,
    rows.map((r) => (r.time_us === null ? { ...r, time_us: (timeOf.get(r.record_id) as number | null | undefined) ?? null } : r)),
    multiSource,
  );
  return { incidents, total };
}
