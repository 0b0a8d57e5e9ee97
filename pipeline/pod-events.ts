// One pod's events by time window, and their density over the whole pod: a pod that lives through
// the whole log has tens of thousands of events, and the pod page asks for those of the window it
// shows, a page at a time, never all of them. Keyset paging by (time_us, record_id) over the pod's
// rows of the primary key (pod_id, record_id): a pod's events are few enough to filter and sort by
// time, so no time index is kept (0013); bound parameters only.
import type { Db } from '../store/db.js';
import type { Lane } from '../lifecycle/catalogue-types.js';
import type { EventView } from '../lifecycle/view.js';
import { eventViews, type EventRow } from './pods.js';

/** Where a page of a window ends: the last event's time and record id (the next page starts after it). */
export interface EventCursor {
  timeUs: number;
  recordId: number;
}

export const cursorOfText = (text: string): EventCursor | undefined => {
  const m = /^(-?\d{1,16}):(\d{1,16})$/.exec(text);
  if (!m) return undefined;
  const c = { timeUs: Number(m[1]), recordId: Number(m[2]) };
  return Number.isSafeInteger(c.timeUs) && Number.isSafeInteger(c.recordId) ? c : undefined;
};
export const cursorText = (c: EventCursor): string => `${c.timeUs}:${c.recordId}`;

/** A pod's events by lane: per time bucket, how many, and how many of them are warnings or errors. */
export interface PodEventDensity {
  /** The first bucket's start (the pod's first timed event) and each bucket's width, µs; null: no timed event. */
  fromUs: number | null;
  toUs: number | null;
  bucketUs: number;
  buckets: number;
  /** Every event, and those without a time (in no bucket). */
  total: number;
  untimed: number;
  /** Per lane (null: none), its non-empty buckets as [bucket index, events, warnings, errors (E and F)]. */
  lanes: Array<{ lane: Lane | null; events: number; buckets: Array<[number, number, number, number]> }>;
}

export const DENSITY_BUCKETS = 400;

/**
 * Where an event's time and severity are read: beside it (migration 0010), or, in a database from
 * an older kubelog opened read-only (`kubelog serve` migrates nothing), from its record; the
 * same answers, each event then a lookup by record id instead of an index range.
 */
function eventColumns(db: Db): { time: string; severity: string; join: string } {
  const own = (db.prepare("SELECT 1 FROM pragma_table_info('pod_events') WHERE name = 'time_us'").get() as unknown) !== undefined;
  return own ? { time: 'e.time_us', severity: 'e.severity', join: '' } : { time: 'r.time_us', severity: 'r.severity', join: 'JOIN records r ON r.id = e.record_id' };
}

export function podEventCount(db: Db, podId: number): number {
  return db.prepare('SELECT count(*) FROM pod_events WHERE pod_id = ?').pluck().get(podId) as number;
}

/** The span of the pod's timed events, from the index's two ends. */
function timedSpan(db: Db, podId: number): { fromUs: number; toUs: number } | null {
  const c = eventColumns(db);
  const end = (dir: 'ASC' | 'DESC') => db.prepare(`SELECT ${c.time} FROM pod_events e ${c.join} WHERE e.pod_id = ? AND ${c.time} IS NOT NULL ORDER BY ${c.time} ${dir} LIMIT 1`).pluck().get(podId) as number | undefined;
  const first = end('ASC');
  return first === undefined ? null : { fromUs: first, toUs: end('DESC')! };
}

export function podEventDensity(db: Db, podId: number, buckets = DENSITY_BUCKETS): PodEventDensity {
  const span = timedSpan(db, podId);
  const bucketUs = span ? Math.max(1, Math.ceil((span.toUs - span.fromUs + 1) / buckets)) : 0;
  const c = eventColumns(db);
  // CAST: a JS number is bound as a real, and the bucket must be an integer division
  const rows = db
    .prepare(
      `SELECT t.lane AS lane, CASE WHEN ${c.time} IS NULL THEN -1 ELSE (${c.time} - CAST(? AS INTEGER)) / CAST(? AS INTEGER) END AS b, count(*) AS n,
         sum(${c.severity} = 'W') AS w, sum(${c.severity} IN ('E', 'F')) AS err
       FROM pod_events e JOIN event_types t ON t.id = e.type ${c.join} WHERE e.pod_id = ? GROUP BY t.lane, b ORDER BY t.lane, b`,
    )
    .all(span?.fromUs ?? 0, Math.max(1, bucketUs), podId) as Array<{ lane: Lane | null; b: number; n: number; w: number; err: number }>;
  const lanes = new Map<Lane | null, PodEventDensity['lanes'][number]>();
  let total = 0;
  let untimed = 0;
  for (const r of rows) {
    let lane = lanes.get(r.lane);
    if (!lane) lanes.set(r.lane, (lane = { lane: r.lane, events: 0, buckets: [] }));
    lane.events += r.n;
    total += r.n;
    if (r.b < 0) untimed += r.n;
    else lane.buckets.push([r.b, r.n, r.w, r.err]);
  }
  return { fromUs: span?.fromUs ?? null, toUs: span?.toUs ?? null, bucketUs, buckets: span ? buckets : 0, total, untimed, lanes: [...lanes.values()] };
}

export interface EventWindow {
  /** The window asked for, or the span of the pod's timed events. */
  fromUs: number | null;
  toUs: number | null;
  /** Events in the window (with a time in it), of which `events` are the page after `after`. */
  total: number;
  events: EventView[];
  /** The cursor of the next page; null: this page is the window's last. */
  next: EventCursor | null;
}

/** A page of the pod's timed events in [fromUs, toUs], by time then record, after a cursor. */
export function podEventWindow(db: Db, podId: number, w: { fromUs?: number; toUs?: number; limit: number; after?: EventCursor; sources: 'several' | 'always' }): EventWindow {
  const span = w.fromUs === undefined || w.toUs === undefined ? timedSpan(db, podId) : null;
  const fromUs = w.fromUs ?? span?.fromUs ?? null;
  const toUs = w.toUs ?? span?.toUs ?? null;
  if (fromUs === null || toUs === null) return { fromUs, toUs, total: 0, events: [], next: null };
  const c = eventColumns(db);
  const total = db.prepare(`SELECT count(*) FROM pod_events e ${c.join} WHERE e.pod_id = ? AND ${c.time} >= ? AND ${c.time} <= ?`).pluck().get(podId, fromUs, toUs) as number;
  const after = w.after ?? { timeUs: fromUs, recordId: -1 };
  // one more than the page: whether there is a next page, without a second query
  const rows = db
    .prepare(
      `SELECT e.record_id, ${c.time} AS time_us, t.lane, t.kind FROM pod_events e JOIN event_types t ON t.id = e.type ${c.join}
       WHERE e.pod_id = ? AND ${c.time} <= ? AND (${c.time}, e.record_id) > (?, ?) AND ${c.time} >= ?
       ORDER BY ${c.time}, e.record_id LIMIT ?`,
    )
    .all(podId, toUs, after.timeUs, after.recordId, fromUs, w.limit + 1) as Array<EventRow & { time_us: number }>;
  const more = rows.length > w.limit;
  const page = more ? rows.slice(0, w.limit) : rows;
  const last = page[page.length - 1];
  return { fromUs, toUs, total, events: eventViews(db, page, { sources: w.sources }), next: more && last ? { timeUs: last.time_us, recordId: last.record_id } : null };
}
