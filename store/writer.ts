// The single SQLite writer: one transaction per batch from a parse worker, holding the batch's
// blocks, index rows and the source's progress (the full-text index is built after the ingest:
// search-index.ts), so a kill at any moment leaves a
// database that ends at a batch boundary — a consistent prefix of every input.
//
// The worker did the per-record work (encoding, local string ids, numbers in a Float64Array); here
// each record costs one row bound from numbers, and each block one compression and two inserts.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { asStoreError } from './errors.js';
import { BLOCK_FORMAT, compressBlock } from './codec.js';
import { IdBitmap } from './id-bitmap.js';
import { addCounts, assembleBatch, ByteArena, C, REC_COLS, SEVERITIES, type LineCounts, type Progress, type SourceEnd, type StoredBatch } from './batch.js';

/** The id of a line of a source is source_id × LINE_BITS + line. */
export const LINE_BITS = 2 ** 32;

/** Local (per job) string ids of a worker → database ids. */
interface JobDicts {
  msgs: number[];
  callers: number[];
  pods: number[];
  printfs: string[];
  streams: number[];
}

/** What the writer keeps about a source while it is being ingested. */
export interface SourceRun {
  id: number;
  /** Counts of the lines before this run's first line (a resumed source). */
  base: LineCounts;
  /** pod_uids ids of the records written in this run. */
  pods: IdBitmap;
  firstTimeUs?: number;
  lastTimeUs?: number;
  dicts?: JobDicts;
  /** The time assumptions last stored in the source's parse_options. */
  timeJson?: string;
}

/** Database ids kept per interner; beyond, the cache starts over (its strings are most of the writer's live heap). */
const CACHE_LIMIT = 20_000;
/** Rows per multi-row INSERT (fewer calls into SQLite). */
const ROWS_PER_INSERT = 64;
const RECORD_PARAMS = 11;

class Interner {
  private cache = new Map<string, number>();
  constructor(
    private readonly select: Statement,
    private readonly insert: Statement,
  ) {}
  id(value: string): number {
    const hit = this.cache.get(value);
    if (hit !== undefined) return hit;
    const row = this.select.get(value) as { id: number } | undefined;
    const id = row ? row.id : Number(this.insert.run(value).lastInsertRowid);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(value, id);
    return id;
  }
  clear(): void {
    this.cache.clear();
  }
}

export class StoreWriter {
  private readonly insBlock: Statement;
  private readonly maxBlock: Statement;
  private readonly insRecord1: Statement;
  private readonly insRecordN: Statement;
  private readonly insOther: Statement;
  private readonly insDiag: Statement;
  private readonly updProgress: Statement;
  private readonly updTimes: Statement;
  private readonly updTimeAssumptions: Statement;
  private readonly selStream: Statement;
  private readonly insStream: Statement;
  private readonly msgs: Interner;
  private readonly callers: Interner;
  private readonly uids: Interner;
  private readonly streams = new Map<string, number>();
  private nextBlockId = 0;
  private readonly scratch = { out: new ByteArena(8 << 20) };
  private readonly args: Array<number | string | null> = new Array<number | string | null>(ROWS_PER_INSERT * RECORD_PARAMS);

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
  ) {
    this.insBlock = db.prepare('INSERT INTO blocks (id, source_id, first_id, last_id, entries, format, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.maxBlock = db.prepare('SELECT coalesce(max(id), 0) AS m FROM blocks');
    const cols = 'INSERT INTO records (id, block_id, span, time_us, severity, stream_id, caller_id, msg_id, pod_uid_id, printf, v) VALUES ';
    const one = `(${new Array(RECORD_PARAMS).fill('?').join(', ')})`;
    this.insRecord1 = db.prepare(cols + one);
    this.insRecordN = db.prepare(cols + new Array(ROWS_PER_INSERT).fill(one).join(', '));
    this.insOther = db.prepare('INSERT INTO lines_other (id, block_id, rejected, kind, offset) VALUES (?, ?, ?, ?, ?)');
    this.insDiag = db.prepare('INSERT INTO diagnostics (source_id, line, level, code, message) VALUES (?, ?, ?, ?, ?)');
    this.updProgress = db.prepare(`UPDATE sources SET lines_done = @linesDone, bytes_done = @bytesDone, verify_len = @verifyLen, verify_hash = @verifyHash,
      lines_read = @lines, records = @records, record_lines = @recordLines, foreign_lines = @foreign, rejected_lines = @rejected,
      diagnostics = @diagnostics, foreign_by_kind = @foreignByKind, rejected_by_reason = @rejectedByReason, resume = @resume, updated_at = @now
      WHERE id = @id`);
    this.updTimeAssumptions = db.prepare(`UPDATE sources SET parse_options = json_set(parse_options, '$.time', json(?)) WHERE id = ?`);
    this.updTimes = db.prepare(`UPDATE sources SET first_time_us = min(coalesce(first_time_us, @first), @first), last_time_us = max(coalesce(last_time_us, @last), @last) WHERE id = @id`);
    this.selStream = db.prepare('SELECT id FROM streams WHERE host = ? AND ident = ? AND pid = ? AND klog_pid = ?');
    this.insStream = db.prepare('INSERT INTO streams (host, ident, pid, klog_pid) VALUES (?, ?, ?, ?)');
    this.msgs = new Interner(db.prepare('SELECT id FROM messages WHERE msg = ?'), db.prepare('INSERT INTO messages (msg) VALUES (?)'));
    this.callers = new Interner(db.prepare('SELECT id FROM callers WHERE caller = ?'), db.prepare('INSERT INTO callers (caller) VALUES (?)'));
    this.uids = new Interner(db.prepare('SELECT id FROM pod_uids WHERE uid = ?'), db.prepare('INSERT INTO pod_uids (uid) VALUES (?)'));
  }

  /** Write a batch and the source's progress in one transaction. */
  writeBatch(src: SourceRun, batch: StoredBatch): void {
    this.tx(() => {
      this.writeEntries(src, batch);
      this.writeProgress(src, batch.progress, batch.progress);
    });
  }

  /** The last batch and the source's completion, in one transaction. */
  finish(src: SourceRun, end: SourceEnd, node: string | null): void {
    this.tx(() => {
      this.writeEntries(src, end.last);
      this.writeProgress(src, end.last.progress, end.resume);
      this.db
        .prepare(
          `UPDATE sources SET complete = 1, content_len = @len, content_hash = @hash, gzip = @gzip,
           envelope = coalesce(@envelope, envelope), node = coalesce(node, @node), updated_at = @now WHERE id = @id`,
        )
        .run({ id: src.id, len: end.contentLen, hash: end.contentHash, gzip: end.gzip ? 1 : 0, envelope: end.envelope ?? null, node, now: Date.now() });
    });
  }

  /** Run `fn` in an IMMEDIATE transaction; SQLite errors become StoreErrors naming the database. */
  tx<T>(fn: () => T): T {
    try {
      return this.db
        .transaction(() => {
          this.nextBlockId = (this.maxBlock.get() as { m: number }).m + 1;
          return fn();
        })
        .immediate();
    } catch (e) {
      // ids cached during a rolled-back transaction may not exist
      this.msgs.clear();
      this.callers.clear();
      this.uids.clear();
      this.streams.clear();
      throw asStoreError(e, this.dbPath, 'writing');
    }
  }

  private streamId(host: string, ident: string, pid: number, klogPid: number): number {
    const key = `${host}\u0000${ident}\u0000${pid}\u0000${klogPid}`;
    const hit = this.streams.get(key);
    if (hit !== undefined) return hit;
    const row = this.selStream.get(host, ident, pid, klogPid) as { id: number } | undefined;
    const id = row ? row.id : Number(this.insStream.run(host, ident, pid, klogPid).lastInsertRowid);
    // a log may have a PID a line (a crash-looping kubelet): a cache, not a second streams table
    if (this.streams.size >= CACHE_LIMIT) this.streams.clear();
    this.streams.set(key, id);
    return id;
  }

  private applyDict(src: SourceRun, batch: StoredBatch): JobDicts {
    const d = batch.dict;
    if (!src.dicts || d.reset) src.dicts = { msgs: [], callers: [], pods: [], printfs: [], streams: [] };
    const j = src.dicts;
    for (const m of d.msgs) j.msgs.push(this.msgs.id(m));
    for (const c of d.callers) j.callers.push(this.callers.id(c));
    for (const p of d.pods) {
      const id = this.uids.id(p);
      j.pods.push(id);
      src.pods.add(id);
    }
    for (const p of d.printfs) j.printfs.push(p);
    for (const [host, ident, pid, klogPid] of d.streams) j.streams.push(this.streamId(host, ident, pid, klogPid));
    return j;
  }

  private writeEntries(src: SourceRun, raw: StoredBatch): void {
    const base = src.id * LINE_BITS;
    const j = this.applyDict(src, raw);
    const batch = assembleBatch(raw, this.scratch);
    const firstBlock = this.nextBlockId;
    const data = batch.data;
    const nBlocks = batch.blockAt.length - 1;
    for (let b = 0; b < nBlocks; b++) {
      const id = firstBlock + b;
      const m = b * 3;
      const payload = data.subarray(batch.blockAt[b]!, batch.blockAt[b + 1]!);
      this.insBlock.run(id, src.id, base + batch.blockMeta[m]!, base + batch.blockMeta[m + 1]!, batch.blockMeta[m + 2]!, BLOCK_FORMAT, compressBlock(payload));
    }
    this.nextBlockId = firstBlock + nBlocks;

    const recs = batch.recs;
    const n = recs.length / REC_COLS;
    const args = this.args;
    let tMin = src.firstTimeUs;
    let tMax = src.lastTimeUs;
    let filled = 0;
    for (let i = 0, k = 0; i < n; i++, k += REC_COLS) {
      const t = recs[k + C.timeUs]!;
      const timeUs = Number.isNaN(t) ? null : t;
      if (timeUs !== null) {
        if (tMin === undefined || timeUs < tMin) tMin = timeUs;
        if (tMax === undefined || timeUs > tMax) tMax = timeUs;
      }
      const stream = recs[k + C.stream]!;
      const caller = recs[k + C.caller]!;
      const pod = recs[k + C.pod]!;
      const printf = recs[k + C.printf]!;
      const v = recs[k + C.v]!;
      const a = filled * RECORD_PARAMS;
      args[a] = base + recs[k + C.line]!;
      args[a + 1] = firstBlock + recs[k + C.block]!;
      args[a + 2] = recs[k + C.span]!;
      args[a + 3] = timeUs;
      args[a + 4] = recs[k + C.severity] ? SEVERITIES[recs[k + C.severity]!]! : null;
      args[a + 5] = stream < 0 ? null : j.streams[stream]!;
      args[a + 6] = caller < 0 ? null : j.callers[caller]!;
      args[a + 7] = j.msgs[recs[k + C.msg]!]!;
      args[a + 8] = pod < 0 ? null : j.pods[pod]!;
      args[a + 9] = printf < 0 ? null : j.printfs[printf]!;
      args[a + 10] = Number.isNaN(v) ? null : v;
      if (++filled === ROWS_PER_INSERT) {
        this.insRecordN.run(args);
        filled = 0;
      }
    }
    for (let r = 0; r < filled; r++) this.insRecord1.run(args.slice(r * RECORD_PARAMS, (r + 1) * RECORD_PARAMS));
    for (const [line, b, rejected, kind, offset] of batch.others) this.insOther.run(base + line, firstBlock + b, rejected, kind, offset < 0 ? null : offset);
    for (const [line, level, code, message] of raw.diagnostics) this.insDiag.run(src.id, line, level, code, message);
    if (tMin !== undefined && tMax !== undefined && (tMin !== src.firstTimeUs || tMax !== src.lastTimeUs)) {
      src.firstTimeUs = tMin;
      src.lastTimeUs = tMax;
      this.updTimes.run({ id: src.id, first: tMin, last: tMax });
    }
  }

  /** Counts = everything stored; the resume point (and its counts) may be earlier (a finished source). */
  private writeProgress(src: SourceRun, stored: Progress, resume: Progress): void {
    // what the parser assumed to date the input is stored with it, in the transaction of the batch it dated
    const time = stored.time ?? resume.time;
    if (time) {
      const json = JSON.stringify(time);
      if (json !== src.timeJson) {
        this.updTimeAssumptions.run(json, src.id);
        src.timeJson = json;
      }
    }
    const c = addCounts(src.base, stored.counts);
    const rc = addCounts(src.base, resume.counts);
    this.updProgress.run({
      id: src.id,
      linesDone: resume.line - 1,
      bytesDone: resume.offset,
      verifyLen: resume.verifyLen,
      verifyHash: resume.verifyHash,
      lines: c.lines,
      records: c.records,
      recordLines: c.recordLines,
      foreign: c.foreign,
      rejected: c.rejected,
      diagnostics: c.diagnostics,
      foreignByKind: JSON.stringify(c.foreignByKind),
      rejectedByReason: JSON.stringify(c.rejectedByReason),
      resume: JSON.stringify(resume.lastTimeUs !== undefined ? { counts: rc, lastTimeUs: resume.lastTimeUs } : { counts: rc }),
      now: Date.now(),
    });
  }
}
