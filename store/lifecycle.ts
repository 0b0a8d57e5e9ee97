// The lifecycle model over a database: replay the stored records (sources in time order, lines in
// order) through the pure builder and store pods, phases, anomalies and each pod's events. All
// derived: `kubelog rebuild` drops and recomputes them in one transaction, which also marks them
// current (store/lifecycle-state.ts). The caller holds the write lock: the records must not change
// while they are replayed.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { decodeEntries, decompressBlock } from './codec.js';
import { LifecycleBuilder, type PodLifecycle } from '../lifecycle/model.js';
import { ChunkedRows } from '../lifecycle/rows.js';
import { SpillFile } from './spill-file.js';
import type { Point } from '../lifecycle/phases.js';
import type { LogRecord } from '../parser/types.js';
import { markLifecyclesCurrent } from './lifecycle-state.js';

const LINE_BITS = 2 ** 32;

export interface RebuildResult {
  records: number;
  pods: number;
  restarts: number;
  unattached: number;
  anomalies: number;
  seconds: number;
}

interface SourceRow {
  id: number;
  node: string | null;
}

export function rebuildLifecycles(db: Db): RebuildResult {
  const t0 = process.hrtime.bigint();
  const sources = db.prepare('SELECT id, node FROM sources ORDER BY first_time_us IS NULL, first_time_us, id').all() as SourceRow[];
  const blocks = db.prepare('SELECT data, format FROM blocks WHERE source_id = ? ORDER BY first_id');
  // the per-record rows go to files beside the database: memory does not grow with the log
  const spills = db.memory ? [] : [new SpillFile(db.name, 'facts'), new SpillFile(db.name, 'ids')];
  try {
    return rebuildWith(db, sources, blocks, spills[0], spills[1], t0);
  } finally {
    for (const s of spills) s.close();
  }
}

function rebuildWith(db: Db, sources: SourceRow[], blocks: Statement, factSpill: SpillFile | undefined, idSpill: SpillFile | undefined, t0: bigint): RebuildResult {
  const builder = new LifecycleBuilder(undefined, factSpill);
  // row i: the record id of the builder's record i
  const ids = new ChunkedRows(8, idSpill);
  const idOf = (i: number) => {
    const { view, at } = ids.get(i);
    return view.getFloat64(at, true);
  };
  const facts: RecordFact[] = [];
  const nodeOfIndex: { from: number; node: string | null }[] = [];
  for (const s of sources) {
    nodeOfIndex.push({ from: ids.length, node: s.node });
    for (const b of blocks.iterate(s.id) as Iterable<{ data: Buffer; format: number }>) {
      for (const e of decodeEntries(decompressBlock(b.data, b.format))) {
        // systemd's lines about the kubelet unit tell how a kubelet process stopped or started
        if (e.kind === 'foreign') builder.addForeign(e.foreign, s.node ?? `source ${s.id}`);
        if (e.kind !== 'record') continue;
        builder.add(e.record, s.node ?? `source ${s.id}`);
        const id = s.id * LINE_BITS + e.record.line;
        const { view, at } = ids.next();
        view.setFloat64(at, id, true);
        const fact = recordFact(e.record);
        if (fact) facts.push([id, fact[0], fact[1]]);
      }
    }
  }
  const nodeAt = (index: number) => {
    let node: string | null = null;
    for (const n of nodeOfIndex) if (n.from <= index) node = n.node;
    return node;
  };
  let written = { pods: 0, anomalies: 0 };
  db.transaction(() => {
    db.exec('DELETE FROM pod_events; DELETE FROM event_types; DELETE FROM anomalies; DELETE FROM phases; DELETE FROM pods;');
    // each pod is stored as the builder completes it, and dropped: the whole model never exists at once
    written = writeModel(db, builder.pods(), idOf, nodeAt);
    writeDiffFacts(db, sources, facts);
    const totals = builder.totals();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    db.prepare('INSERT INTO lifecycle_runs (at_ms, records, pods, restarts, unattached, seconds, facts) VALUES (?, ?, ?, ?, ?, ?, 1)').run(
      Date.now(),
      ids.length,
      written.pods,
      totals.restarts,
      totals.unattached,
      seconds,
    );
    markLifecyclesCurrent(db);
  }).immediate();
  const totals = builder.totals();
  return {
    records: ids.length,
    pods: written.pods,
    restarts: totals.restarts,
    unattached: totals.unattached,
    anomalies: written.anomalies,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

/** record id, podStartSLOduration, PLEG event type */
type RecordFact = [number, number | null, string | null];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What kubelog diff measures a pod's startup by (store/diff-side.ts), when the record has it. */
function recordFact(r: LogRecord): [number | null, string | null] | undefined {
  const slo = r.kv.podStartSLOduration;
  const ev = r.kv.event;
  // a flat copy: a string cut from a block's text would keep all of that text alive
  const type = isObject(ev) && typeof ev.Type === 'string' ? (' ' + ev.Type).slice(1) : null;
  return typeof slo === 'number' || type !== null ? [typeof slo === 'number' ? slo : null, type] : undefined;
}

/** schemas/migrations/0004_diff_facts.sql: message counts per source, and the records' startup facts. */
function writeDiffFacts(db: Db, sources: SourceRow[], facts: RecordFact[]): void {
  db.exec('DELETE FROM message_counts; DELETE FROM record_facts;');
  const counts = db.prepare(`INSERT INTO message_counts (source_id, msg_id, printf, severity, records, first_time_us, last_time_us, max_v)
    SELECT ?, msg_id, printf, severity, count(*), min(time_us), max(time_us), max(v) FROM records WHERE id >= ? AND id < ? GROUP BY msg_id, printf, severity`);
  for (const s of sources) counts.run(s.id, s.id * LINE_BITS, (s.id + 1) * LINE_BITS);
  const ins = db.prepare('INSERT OR REPLACE INTO record_facts (record_id, slo_s, pleg_type) VALUES (?, ?, ?)');
  for (const f of facts) ins.run(f);
}

function summed(p: PodLifecycle, phase: string): number | null {
  let total: number | null = null;
  for (const ph of p.phases) {
    if (ph.phase !== phase || ph.end?.timeUs === undefined || ph.start.timeUs === undefined) continue;
    total = (total ?? 0) + (ph.end.timeUs - ph.start.timeUs);
  }
  return total;
}

function writeModel(db: Db, pods: Iterable<PodLifecycle>, idOf: (index: number) => number, nodeAt: (index: number) => string | null): { pods: number; anomalies: number } {
  const insPod = db.prepare(`INSERT INTO pods (key, uid, namespace, name, workload, node, static, mirror_of, exact, first_time_us, last_time_us,
    first_record_id, last_record_id, finished_us, finished_record_id, finished_evidence, events, anomalies, anomaly_kinds,
    sync_us, terminating_us, terminated_us, phases_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insPhase = db.prepare(`INSERT INTO phases (pod_id, seq, phase, evidence, open, calls, start_us, end_us, start_record_id, end_record_id, grace_period_s)
    VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
  const insAnomaly = db.prepare('INSERT INTO anomalies (pod_id, kind, time_us, record_id, detail) VALUES (?,?,?,?,?)');
  const insEvent = db.prepare('INSERT OR IGNORE INTO pod_events (pod_id, record_id, type) VALUES (?,?,?)');
  const insType = db.prepare('INSERT INTO event_types (kind, lane) VALUES (?, ?)');
  // kind → lane → event_types.id: a few dozen, numbered as they first occur (no key string per event)
  const types = new Map<string, Map<string | null, number>>();
  const typeOf = (kind: string, lane: string | null): number => {
    let lanes = types.get(kind);
    if (!lanes) types.set(kind, (lanes = new Map()));
    let id = lanes.get(lane);
    if (id === undefined) lanes.set(lane, (id = Number(insType.run(kind, lane).lastInsertRowid)));
    return id;
  };
  const rec = (p: Point) => idOf(p.index);
  let anomalies = 0;
  let count = 0;
  for (const p of pods) {
    count++;
    const phases = p.phases.map((ph) => ({
      phase: ph.phase,
      evidence: ph.evidence,
      open: ph.open,
      calls: ph.calls,
      startUs: ph.start.timeUs ?? null,
      endUs: ph.end?.timeUs ?? null,
      startLine: ph.start.line,
      endLine: ph.end?.line ?? null,
    }));
    const kinds = [...new Set(p.incidents.map((a) => a.kind))];
    const podId = Number(
      insPod.run(
        p.key,
        p.uid,
        p.namespace ?? null,
        p.name ?? null,
        p.workload ?? null,
        nodeAt(p.first.index),
        p.static ? 1 : 0,
        p.mirrorOf ?? null,
        p.exact ? 1 : 0,
        p.first.timeUs ?? null,
        p.last.timeUs ?? null,
        rec(p.first),
        rec(p.last),
        p.finished?.timeUs ?? null,
        p.finished ? rec(p.finished) : null,
        p.finished?.evidence ?? null,
        p.events.length,
        p.incidents.length,
        JSON.stringify(kinds),
        summed(p, 'sync'),
        summed(p, 'terminating'),
        summed(p, 'terminated'),
        JSON.stringify(phases),
      ).lastInsertRowid,
    );
    p.phases.forEach((ph, seq) =>
      insPhase.run(podId, seq, ph.phase, ph.evidence, ph.open ? 1 : 0, ph.calls, ph.start.timeUs ?? null, ph.end?.timeUs ?? null, rec(ph.start), ph.end ? rec(ph.end) : null, ph.gracePeriodS ?? null),
    );
    for (const a of p.incidents) {
      insAnomaly.run(podId, a.kind, a.at.timeUs ?? null, rec(a.at), a.detail);
      anomalies++;
    }
    for (const e of p.events) insEvent.run(podId, idOf(e.index), typeOf(e.kind, e.lane));
  }
  return { pods: count, anomalies };
}
