// The lifecycle model over a database: replay the stored records (sources in time order, lines in
// order; an input that ran newest first from its last line up) through the pure builder and store pods, phases, incidents, each pod's events, and the
// kubelet's processes and node lane. All
// derived: `kubelog rebuild` drops and recomputes them in one transaction, which also marks them
// current (store/lifecycle-state.ts). The caller holds the write lock: the records must not change
// while they are replayed.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { decodeEntries, decompressBlock, type Entry as LogEntry } from '../store/codec.js';
import { newestFirstSourceIds } from '../store/sources.js';
import { LifecycleBuilder, type KubeletRuns, type PodLifecycle } from '../lifecycle/model.js';
import { conditionIncident, processIncident } from '../lifecycle/node-incidents.js';
import type { Incident } from '../lifecycle/incidents.js';
import type { KubeletProcess, LifePoint } from '../lifecycle/kubelet-life-types.js';
import type { PhaseSummary, StoredPoint } from '../lifecycle/view.js';
import { lengthUs, mapPoints } from '../lifecycle/breakdown.js';
import { ChunkedRows, type ChunkSpill, type Spills } from '../lifecycle/rows.js';
import { StringIds } from '../lifecycle/columns.js';
import { SpillFiles } from './spill-file.js';
import type { BoundaryMark, Point } from '../lifecycle/phases.js';
import type { LogRecord } from '../parser/types.js';
import { markLifecyclesCurrent } from '../store/lifecycle-state.js';
import { PartitionedBuild } from './partitioned-build.js';
import { RowBatch } from '../store/row-batch.js';

const LINE_BITS = 2 ** 32;

export interface RebuildResult {
  records: number;
  pods: number;
  restarts: number;
  /** Kubelet processes that crashed (panic, fatal error, a signal's goroutine dump). */
  crashes: number;
  unattached: number;
  incidents: number;
  seconds: number;
}

interface SourceRow {
  id: number;
  node: string | null;
}

// The builder keeps identities per node; a source without a node name is a node of its own, under a
// key no host name can be (host names have no spaces). That key is the builder's, never a node's name.
const SOURCE_SCOPE = 'source ';
const scopeOf = (s: SourceRow): string => s.node ?? `${SOURCE_SCOPE}${s.id}`;
const nodeName = (scope: string | undefined): string | null => (scope === undefined || scope === '' || scope.startsWith(SOURCE_SCOPE) ? null : scope);

/**
 * Pod UIDs built at once at most: a model holds ~0.9-1.3 KB a pod until its last pod is built, so
 * a log of more pods is built a partition of pods at a time (partitioned-build.ts), each from its
 * own records, and memory holds the model of this many pods (~30 MB) whatever the log's pod count.
 */
export const PODS_PER_PARTITION = 25_000;

export interface RebuildOptions {
  /** Pods a pass builds at most (PODS_PER_PARTITION); the partitions are sized from the stored pod UIDs. */
  podsPerPartition?: number;
}

export function rebuildLifecycles(db: Db, opts: RebuildOptions = {}): RebuildResult {
  const t0 = process.hrtime.bigint();
  const sources = db.prepare('SELECT id, node FROM sources ORDER BY first_time_us IS NULL, first_time_us, id').all() as SourceRow[];
  const blocks = db.prepare('SELECT data, format FROM blocks WHERE source_id = ? ORDER BY first_id');
  // an input that ran newest first (gcloud logging read, logcli, journalctl -r) is replayed from
  // its last line up: a pod read backwards would end before it began
  const backwards = db.prepare('SELECT data, format FROM blocks WHERE source_id = ? ORDER BY first_id DESC');
  const reversed = newestFirstSourceIds(db);
  const blocksOf = (s: SourceRow): Iterable<LogEntry> => (reversed.has(s.id) ? entriesBackwards(backwards, s.id) : entriesOf(blocks, s.id));
  const podUids = db.prepare('SELECT count(*) FROM pod_uids').pluck().get() as number;
  const partitions = Math.max(1, Math.ceil(podUids / (opts.podsPerPartition ?? PODS_PER_PARTITION)));
  // the per-record rows go to files beside the database: memory does not grow with the log
  const files = db.memory ? undefined : new SpillFiles(db.name);
  const split = partitions > 1 ? new PartitionedBuild(db.memory ? null : db.name, partitions, files?.spills) : undefined;
  try {
    return rebuildWith(db, sources, blocksOf, files?.spills, split, t0);
  } finally {
    files?.close();
    split?.close();
  }
}

function* entriesOf(blocks: Statement, sourceId: number): Iterable<LogEntry> {
  for (const b of blocks.iterate(sourceId) as Iterable<{ data: Buffer; format: number }>) yield* decodeEntries(decompressBlock(b.data, b.format));
}

function* entriesBackwards(blocks: Statement, sourceId: number): Iterable<LogEntry> {
  for (const b of blocks.iterate(sourceId) as Iterable<{ data: Buffer; format: number }>) yield* decodeEntries(decompressBlock(b.data, b.format)).reverse();
}

function rebuildWith(
  db: Db,
  sources: SourceRow[],
  entriesOfSource: (s: SourceRow) => Iterable<LogEntry>,
  spills: Spills | undefined,
  split: PartitionedBuild | undefined,
  t0: bigint,
): RebuildResult {
  // one builder for every pod at once, or (many pods) a census first, then a partition at a time
  const single = split ? undefined : new LifecycleBuilder(undefined, spills);
  // row i: the record id of the builder's record i
  const ids = new ChunkedRows(8, spills?.('ids'));
  const idOf = (i: number) => {
    const { view, at } = ids.get(i);
    return view.getFloat64(at, true);
  };
  const facts = new RecordFacts(spills?.('record-facts'));
  const nodeOfIndex: { from: number; node: string | null }[] = [];
  for (const s of sources) {
    nodeOfIndex.push({ from: ids.length, node: s.node });
    const scope = scopeOf(s);
    for (const e of entriesOfSource(s)) {
      // systemd's lines about the kubelet unit tell how a kubelet process stopped or started
      if (e.kind === 'foreign') {
        single?.addForeign(e.foreign, scope);
        split?.countForeign(e.foreign, scope);
      }
      if (e.kind !== 'record') continue;
      if (single) single.add(e.record, scope);
      else split!.count(e.record, ids.length, scope);
      const id = s.id * LINE_BITS + e.record.line;
      const { view, at } = ids.next();
      view.setFloat64(at, id, true);
      const fact = recordFact(e.record);
      if (fact) facts.add(id, fact[0], fact[1]);
    }
  }
  if (split) {
    let index = 0;
    for (const s of sources) {
      const scope = scopeOf(s);
      for (const e of entriesOfSource(s)) if (e.kind === 'record') split.route(e.record, index++, scope);
    }
  }
  const nodeAt = (index: number) => {
    let node: string | null = null;
    for (const n of nodeOfIndex) if (n.from <= index) node = n.node;
    return node;
  };
  let written = { pods: 0, incidents: 0 };
  let unattached = 0;
  let node = { incidents: 0, crashes: 0 };
  const runs = single?.kubeletRuns ?? split!.runs;
  db.transaction(() => {
    db.exec('DELETE FROM pod_events; DELETE FROM event_types; DELETE FROM incidents; DELETE FROM phases; DELETE FROM pods; DELETE FROM kubelet_processes; DELETE FROM node_events;');
    // each pod is stored as the builder completes it, and dropped: the whole model never exists at once
    const model = modelWriter(db, idOf, nodeAt);
    if (single) {
      model.write(single.pods());
      unattached = single.unattachedRecords;
    } else {
      for (let part = 0; part < split!.partitions; part++) {
        const builder = split!.builder(part, spills);
        model.write(builder.pods());
        unattached += builder.unattachedRecords;
      }
    }
    written = model.written();
    writeDiffFacts(db, sources, facts);
    node = writeNodeLife(db, runs, idOf, nodeAt);
    written.incidents += node.incidents;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    db.prepare('INSERT INTO lifecycle_runs (at_ms, records, pods, restarts, unattached, seconds, facts, incidents) VALUES (?, ?, ?, ?, ?, ?, 1, ?)').run(
      Date.now(),
      ids.length,
      written.pods,
      runs.processes.restarts,
      unattached,
      seconds,
      written.incidents,
    );
    markLifecyclesCurrent(db);
  }).immediate();
  return {
    records: ids.length,
    pods: written.pods,
    restarts: runs.processes.restarts,
    crashes: node.crashes,
    unattached,
    incidents: written.incidents,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

/**
 * Each record's startup facts (record id, podStartSLOduration, PLEG event type) as 24-byte rows
 * that can leave memory (a spill): one record in a hundred has them, whatever the log's size.
 */
class RecordFacts {
  private readonly rows: ChunkedRows;
  private readonly types = new StringIds();

  constructor(spill?: ChunkSpill) {
    this.rows = new ChunkedRows(24, spill);
  }

  add(id: number, slo: number | null, type: string | null): void {
    const { view, at } = this.rows.next();
    view.setFloat64(at, id, true);
    view.setFloat64(at + 8, slo ?? NaN, true);
    view.setInt32(at + 16, type === null ? -1 : this.types.id(type), true);
  }

  *all(): Iterable<[number, number | null, string | null]> {
    for (let i = 0; i < this.rows.length; i++) {
      const { view, at } = this.rows.get(i);
      const slo = view.getFloat64(at + 8, true);
      const type = view.getInt32(at + 16, true);
      yield [view.getFloat64(at, true), Number.isNaN(slo) ? null : slo, type < 0 ? null : this.types.at(type)];
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What kubelog diff measures a pod's startup by (pipeline/diff-side.ts), when the record has it. */
function recordFact(r: LogRecord): [number | null, string | null] | undefined {
  const slo = r.kv.podStartSLOduration;
  const ev = r.kv.event;
  // kept as a number into RecordFacts' few types: no string of a block's text stays alive
  const type = isObject(ev) && typeof ev.Type === 'string' ? ev.Type : null;
  return typeof slo === 'number' || type !== null ? [typeof slo === 'number' ? slo : null, type] : undefined;
}

/** schemas/migrations/0004_diff_facts.sql: message counts per source, and the records' startup facts. */
function writeDiffFacts(db: Db, sources: SourceRow[], facts: RecordFacts): void {
  db.exec('DELETE FROM message_counts; DELETE FROM record_facts;');
  const counts = db.prepare(`INSERT INTO message_counts (source_id, msg_id, printf, severity, records, first_time_us, last_time_us, max_v)
    SELECT ?, msg_id, printf, severity, count(*), min(time_us), max(time_us), max(v) FROM records WHERE id >= ? AND id < ? GROUP BY msg_id, printf, severity`);
  for (const s of sources) counts.run(s.id, s.id * LINE_BITS, (s.id + 1) * LINE_BITS);
  const ins = db.prepare('INSERT OR REPLACE INTO record_facts (record_id, slo_s, pleg_type) VALUES (?, ?, ?)');
  for (const f of facts.all()) ins.run(f);
}

function summed(p: PodLifecycle, phase: string): number | null {
  let total: number | null = null;
  for (const ph of p.phases) {
    if (ph.phase !== phase || ph.end.timeUs === undefined || ph.start.timeUs === undefined) continue;
    total = (total ?? 0) + (ph.end.timeUs - ph.start.timeUs);
  }
  return total;
}

/** How a boundary is known, as stored: the evidence, and the catalogue entry of its line. */
const byText = (b: BoundaryMark): string => (b.by ? `${b.evidence}:${b.by}` : b.evidence);

const SEVERITY_NUMBER = { critical: 0, error: 1, warning: 2, info: 3 } as const;

type Inserter = (inc: Incident, podId: number | null, node: string | null) => void;

function incidentInserter(db: Db, idOf: (index: number) => number): Inserter {
  const ins = db.prepare('INSERT INTO incidents (pod_id, node, kind, severity, time_us, record_id, lines, evidence, subject, detail) VALUES (?,?,?,?,?,?,?,?,?,?)');
  return (inc, podId, node) =>
    ins.run(podId, node, inc.kind, SEVERITY_NUMBER[inc.severity], inc.at.timeUs ?? null, idOf(inc.at.index), inc.lines, JSON.stringify(inc.evidence.map((e) => idOf(e.index))), inc.subject ?? null, inc.detail);
}

/** Stores pods as they are built, in as many calls as there are passes; one event-type numbering for all. */
function modelWriter(db: Db, idOf: (index: number) => number, nodeAt: (index: number) => string | null): { write(pods: Iterable<PodLifecycle>): void; written(): { pods: number; incidents: number } } {
  const insPod = db.prepare(`INSERT INTO pods (key, uid, namespace, name, workload, node, static, mirror_of, exact, state, first_time_us, last_time_us,
    first_record_id, last_record_id, finished_us, finished_record_id, finished_evidence, events, incidents, incident_kinds, worst_severity,
    sync_us, terminating_us, terminated_us, phases_json, startup_us, startup_open, breakdown_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insPhase = db.prepare(`INSERT INTO phases (pod_id, seq, phase, evidence, open, calls, start_us, end_us, start_record_id, end_record_id, start_by, end_by, grace_period_s)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insIncident = incidentInserter(db, idOf);
  const insEvent = new RowBatch(db, 'INSERT OR IGNORE INTO pod_events (pod_id, record_id, type, time_us, severity) VALUES', 5);
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
  let incidents = 0;
  let count = 0;
  const write = (pods: Iterable<PodLifecycle>): void => {
    for (const p of pods) {
      count++;
      const phases: PhaseSummary[] = p.phases.map((ph) => ({
        phase: ph.phase,
        evidence: ph.evidence,
        open: ph.open,
        calls: ph.calls,
        startUs: ph.start.timeUs ?? null,
        endUs: ph.end.timeUs ?? null,
        startLine: ph.start.line,
        endLine: ph.end.line,
        startBy: ph.startBy,
        endBy: ph.endBy,
      }));
      const kinds = [...new Set(p.incidents.map((a) => a.kind))];
      const worst = p.incidents.length ? Math.min(...p.incidents.map((i) => SEVERITY_NUMBER[i.severity])) : null;
      const node = nodeName(p.node) ?? nodeAt(p.first.index);
      const stored = (pt: Point): StoredPoint => [idOf(pt.index), pt.timeUs ?? null];
      const startup = p.startup[0];
      const startupUs = startup ? lengthUs(startup) : null;
      const podId = Number(
        insPod.run(
          p.key,
          p.uid,
          p.namespace ?? null,
          p.name ?? null,
          p.workload ?? null,
          node,
          p.static ? 1 : 0,
          p.mirrorOf ?? null,
          p.exact ? 1 : 0,
          p.state,
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
          worst,
          summed(p, 'sync'),
          summed(p, 'terminating'),
          summed(p, 'terminated'),
          JSON.stringify(phases),
          startupUs,
          // a lower bound: the log ends inside it, or begins after the pod's admission
          startup?.open || startup?.beganBefore ? 1 : 0,
          JSON.stringify({ startup: p.startup.map((b) => mapPoints(b, stored)), teardown: p.teardown.map((b) => mapPoints(b, stored)) }),
        ).lastInsertRowid,
      );
      p.phases.forEach((ph, seq) =>
        insPhase.run(podId, seq, ph.phase, ph.evidence, ph.open ? 1 : 0, ph.calls, ph.start.timeUs ?? null, ph.end.timeUs ?? null, rec(ph.start), rec(ph.end), byText(ph.startBy), byText(ph.endBy), ph.gracePeriodS ?? null),
      );
      for (const a of p.incidents) {
        insIncident(a, podId, node);
        incidents++;
      }
      for (const e of p.events) insEvent.add(podId, idOf(e.index), typeOf(e.kind, e.lane), e.timeUs ?? null, e.severity ?? null);
    }
    insEvent.flush();
  };
  return { write, written: () => ({ pods: count, incidents }) };
}

/** The first record of a process's start: systemd's line is not a record, the flags dump after it is. */
const startRecord = (k: KubeletProcess): LifePoint | undefined =>
  k.start ? [k.start.at, ...k.start.evidence.map((e) => e.at)].find((p) => p.index >= 0 && p.foreign === undefined) : undefined;

/**
 * The kubelet's processes, the node lane and the node's incidents, a process at a time (a log may
 * have as many processes as records). Returns the incidents written and the processes that crashed.
 */
function writeNodeLife(db: Db, runs: KubeletRuns, idOf: (index: number) => number, nodeAt: (index: number) => string | null): { incidents: number; crashes: number } {
  const recordId = (p: LifePoint | undefined): number | null => (p && p.index >= 0 && p.foreign === undefined ? idOf(p.index) : null);
  const nodeOf = (host: string, p: LifePoint): string | null => nodeName(host) ?? (p.index >= 0 ? nodeAt(p.index) : null);
  const insProc = db.prepare(`INSERT INTO kubelet_processes (epoch, node, pid, version, start_record_id, start_time_us, start_evidence, first_record_id, last_record_id,
    first_time_us, last_time_us, records, end_kind, end_record_id, end_time_us, end_signal, end_message, version_estimate, version_basis, verbosity, verbosity_level)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insIncident = incidentInserter(db, idOf);
  const nodeOfIncident = (inc: Incident) => nodeName(inc.subject) ?? nodeAt(inc.at.index);
  let incidents = 0;
  let crashes = 0;
  for (const { process: k, next } of runs.described()) {
    if (k.end.kind === 'crash') crashes++;
    const inc = processIncident(k, next);
    if (inc) {
      insIncident(inc, null, nodeOfIncident(inc));
      incidents++;
    }
    const first = recordId(k.first);
    const last = recordId(k.last);
    if (first === null || last === null) continue;
    insProc.run(
      k.epoch,
      nodeOf(k.host, k.first),
      k.pid ?? null,
      k.version ?? null,
      recordId(startRecord(k)),
      k.start?.at.timeUs ?? startRecord(k)?.timeUs ?? null,
      k.start ? JSON.stringify(k.start.evidence.map((e) => e.kind)) : null,
      first,
      last,
      k.first.timeUs ?? null,
      k.last.timeUs ?? null,
      k.records,
      k.end.kind,
      recordId(k.end.at),
      k.end.at.timeUs ?? null,
      k.end.signal ?? null,
      k.end.message ?? null,
      k.profile?.version ?? null,
      k.profile?.versionBasis ?? null,
      k.profile?.verbosity ?? null,
      k.profile?.level ?? null,
    );
  }
  const insEvent = db.prepare('INSERT INTO node_events (node, epoch, kind, first_record_id, last_record_id, first_time_us, last_time_us, lines, detail) VALUES (?,?,?,?,?,?,?,?,?)');
  for (const e of runs.nodeSpans()) {
    const inc = conditionIncident(e);
    if (inc) {
      insIncident(inc, null, nodeOfIncident(inc));
      incidents++;
    }
    const first = recordId(e.first);
    const last = recordId(e.last);
    if (first === null || last === null) continue;
    insEvent.run(nodeOf(e.host, e.first), e.epoch, e.kind, first, last, e.first.timeUs ?? null, e.last.timeUs ?? null, e.count, e.detail);
  }
  return { incidents, crashes };
}
