// The ingest pipeline: inputs → parse worker (read, gunzip, hash, parse, encode) → this thread
// (one SQLite writer). Parsing and writing run on the two cores at once; every batch is one
// transaction together with its source's progress, so an ingest killed at any moment leaves a
// consistent prefix that the next run of the same command completes.
import { Worker } from 'node:worker_threads';
import { createReadStream, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ParseOptions, TimeReport } from '../parser/index.js';
import { formatIsoUs } from '../parser/time.js';
import { wallYearMonthAt } from '../parser/zone.js';
import { openDatabase, type Db } from '../store/db.js';
import { StoreError, asStoreError } from '../store/errors.js';
import { InputReadError } from './input-error.js';
import { expandArgs, gunzipHead, HEAD_BYTES, openStreamFile, orderByContentTime, readFileHead, type FileInput } from './inputs.js';
import { contentChunks, isGzip } from './peek.js';
import { GzipDataError } from './gunzip.js';
import type { HeadFacts } from './head-facts.js';
import { siblingTimes } from './sibling-times.js';
import { addCounts, zeroCounts, type LineCounts } from '../store/batch.js';
import type { EndMsg, FromWorker, ReadProgress, ToWorker, WorkerJob } from './protocol.js';
import {
  createSource,
  deleteSource,
  findCandidates,
  getSource,
  parseOptionsOf,
  resumeState,
  rewindToResumePoint,
  storedCounts,
  storedRecords,
  touchSource,
  type SourceRow,
} from '../store/sources.js';
import { timeReportOf } from './time-report.js';
import { StoreWriter, type SourceRun } from '../store/writer.js';
import { deferRecordIndexes, restoreDeferredIndexes } from '../store/indexes.js';
import { buildSearchIndex } from '../store/search-index.js';
import { lifecycleState, markLifecyclesCurrent, markLifecyclesStale } from '../store/lifecycle-state.js';
import { holdsWriteLock, WriteLock } from '../store/write-lock.js';
import { workerUrl } from '../store/worker-url.js';
import { IdBitmap } from '../store/id-bitmap.js';
import { INGEST_YOUNG_GENERATION_MB } from './thread-limits.js';

export interface IngestOptions {
  /** Database path. */
  db: string;
  /** Files, directories, globs, `-`; none means stdin. */
  args: string[];
  node?: string;
  year?: number;
  tz?: string;
  /** Inputs parsed at once (each in its own worker). */
  jobs?: number;
  stdin?: Readable;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Entries per transaction / per compressed block. */
  batchEntries?: number;
  blockEntries?: number;
  /**
   * Leave the full-text index and the records' secondary indexes for the caller to build after the
   * pod lifecycles (index-thread.ts), instead of building them before returning.
   */
  deferIndexes?: boolean;
  /** Values per local string dictionary of a parse worker before it starts over (tests). */
  dictCap?: number;
  /**
   * The caller takes the database's write lock (store/write-lock.ts) and keeps it past the ingest
   * (the CLI rebuilds the lifecycles under it): called once the inputs are read, it returns the
   * lock's token. Without it, the ingest takes the lock and gives it up when it ends.
   */
  takeLock?: () => string | Promise<string>;
}

export interface IngestProgress {
  /** Input bytes read so far (compressed bytes for gzip) and in all (undefined with stdin). */
  bytes: number;
  totalBytes?: number;
  lines: number;
  inputs: number;
  inputsDone: number;
  current: string[];
}

export type SourceStatus = 'new' | 'resumed' | 'grown' | 'unchanged' | 'failed' | 'interrupted';

/** A range's line accounting as the command reports it (`linesRead`, like `kubelog parse`). */
export type Counts = Omit<LineCounts, 'lines'> & { linesRead: number };

export interface SourceResult {
  /** The source's id in the database (null when nothing was stored). */
  id: number | null;
  path: string;
  status: SourceStatus;
  /** Why: resumed after an interrupted ingest, grew since the last one, … */
  note?: string;
  node: string | null;
  envelope: string | null;
  gzip: boolean;
  /** Bytes taken from the input (compressed for gzip) and content bytes read in this run. */
  bytes: number;
  contentBytes: number;
  /** Lines added by this run: linesRead = recordLines + foreign + rejected. */
  added: Counts;
  /** What the database holds for this source after the run. */
  stored: Counts | null;
  firstTime: string | null;
  lastTime: string | null;
  /** How its times were dated: the year and zone assumed and why, and the lines that disagreed (all of the source, not just this run). */
  time?: TimeReport;
  /** Sources this one replaced (stdin whose content extends an earlier ingest). */
  replaced?: number[];
  error?: string;
}

export interface RejectedSample {
  input: string;
  line: number;
  code: string;
  message: string;
}

export interface IngestResult {
  db: string;
  sources: SourceResult[];
  totals: Counts & { bytes: number; contentBytes: number };
  rejectedSamples: RejectedSample[];
  /** Distinct pod UIDs named by the records added in this run. */
  podsSeen: number;
  timeSpan: { first: string | null; last: string | null };
  seconds: number;
  mbPerSecond: number;
  interrupted: boolean;
  failed: number;
}

const toCounts = ({ lines, ...rest }: LineCounts): Counts => ({ linesRead: lines, ...rest });

export const iso = (us: number | null | undefined): string | null => (us === null || us === undefined ? null : formatIsoUs(us));

/** Raised when the ingest is interrupted while it waits for stdin or a stream file. */
class Interrupted extends Error {}

/**
 * Pulls the chunks of stdin (or a stream file) for the worker, after the head that was read to
 * identify it. Every wait gives way to the abort signal: stdin or a FIFO that never sends
 * anything must not hold up Ctrl-C.
 */
class StdinReader {
  private readonly it: AsyncIterator<Buffer>;
  private readonly pre: Buffer[] = [];
  private readonly aborted: Promise<never>;
  bytes = 0;
  constructor(
    private readonly stream: Readable,
    signal: AbortSignal | undefined,
  ) {
    this.it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.aborted = new Promise<never>((_, reject) => {
      const stop = () => reject(new Interrupted('interrupted'));
      if (signal?.aborted) stop();
      else signal?.addEventListener('abort', stop, { once: true });
    });
    this.aborted.catch(() => undefined);
  }
  private read(): Promise<IteratorResult<Buffer>> {
    return Promise.race([this.it.next(), this.aborted]);
  }
  /** Stop reading: closes a stream file (stdin is the main thread's to close). The iterator's
   *  return() would wait for a read that may never come. */
  close(): void {
    this.stream.destroy();
  }
  async next(): Promise<Buffer | null> {
    const b = this.pre.shift();
    if (b) return b;
    const r = await this.read();
    if (r.done) return null;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    this.bytes += chunk.length;
    return chunk;
  }
  /** Read until HEAD_BYTES of content (after gunzip) or the end; the chunks are replayed. */
  async head(): Promise<{ head: Buffer; headIsAll: boolean; gzip: boolean }> {
    const raw: Buffer[] = [];
    let size = 0;
    let gzip: boolean | undefined;
    for (;;) {
      const r = await this.read();
      if (r.done) break;
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.bytes += chunk.length;
      raw.push(chunk);
      size += chunk.length;
      if (gzip === undefined && size >= 2) {
        const first = Buffer.concat(raw);
        gzip = isGzip(first);
      }
      if (!gzip && size >= HEAD_BYTES) break;
      if (gzip && size >= 16 * 1024) {
        try {
          if (gunzipHead(Buffer.concat(raw)).length >= HEAD_BYTES) break;
        } catch {
          break; // the worker reports corrupt data with the input's name
        }
      }
      if (size >= 64 << 20) break;
    }
    this.pre.push(...raw);
    const all = Buffer.concat(raw);
    let content: Buffer = all;
    if (gzip) {
      try {
        content = gunzipHead(all);
      } catch {
        content = Buffer.alloc(0);
      }
    }
    const done = gzip ? false : all.length < HEAD_BYTES;
    return { head: content.subarray(0, HEAD_BYTES), headIsAll: done, gzip: !!gzip };
  }
}

function askFacts(worker: Worker, heads: Array<{ head: Uint8Array; opts: ParseOptions }>): Promise<HeadFacts[]> {
  return new Promise<HeadFacts[]>((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type !== 'facts') return;
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(m.facts);
    };
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(e);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ type: 'facts', heads } satisfies ToWorker);
  });
}

/**
 * sha256 of a file's content (through gunzip when gzip), as the parse worker reads it: damaged
 * gzip data ends the content (`damage` says how).
 */
async function contentHash(file: string): Promise<{ hash: string; len: number; damage?: GzipDataError }> {
  const h = createHash('sha256');
  let len = 0;
  try {
    for await (const chunk of contentChunks(createReadStream(file, { highWaterMark: 1 << 20 }))) {
      h.update(chunk);
      len += chunk.length;
    }
  } catch (e) {
    if (!(e instanceof GzipDataError)) throw e;
    return { hash: h.digest('hex'), len, damage: e };
  }
  return { hash: h.digest('hex'), len };
}

/** A gzip file's ISIZE trailer: the content length modulo 2^32 (of its last member). */
async function gzipIsize(file: string, size: number): Promise<number | undefined> {
  if (size < 18) return undefined;
  const fh = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}

type Outcome = ({ kind: 'done'; end: EndMsg } | { kind: 'verify-failed'; reason: string } | { kind: 'error'; message: string; input: boolean } | { kind: 'interrupted' }) & { read?: ReadProgress };

interface RunState {
  read: ReadProgress;
}

export async function ingest(opts: IngestOptions): Promise<IngestResult> {
  const started = process.hrtime.bigint();
  // the inputs first: a missing file is an error before any database is created
  const { files, streams, stdin } = await expandArgs(opts.args);
  const heads: FileInput[] = [];
  for (const f of files) heads.push(await readFileHead(f));
  const inputs = { heads, streams, stdin, started };
  // stopped while the inputs were read (a diff whose other side failed): nothing was written
  if (opts.signal?.aborted) return nothingDone(opts.db, started);
  if (opts.takeLock) return ingestLocked(opts, inputs, await opts.takeLock());
  // one writer at a time: a second one deciding on the same sources would store them twice
  const lock = WriteLock.acquire(opts.db, 'ingest');
  try {
    return await ingestLocked(opts, inputs, lock.token);
  } finally {
    lock.release();
  }
}

async function ingestLocked(opts: IngestOptions, { heads, streams, stdin, started }: { heads: FileInput[]; streams: string[]; stdin: boolean; started: bigint }, lockToken: string): Promise<IngestResult> {
  const baseParse: ParseOptions = {};
  if (opts.year !== undefined) baseParse.year = opts.year;
  if (opts.tz !== undefined) baseParse.tz = opts.tz;

  const db = openDatabase(opts.db, { keepDeferredIndexes: true });
  if (!holdsWriteLock(db, lockToken)) {
    db.close();
    throw new StoreError(`${opts.db}: its write lock was taken over by another kubelog; run the same command again.`, 'LOCKED', opts.db);
  }
  const staleAtStart = lifecycleState(db).stale;
  // fewer, larger checkpoints while bulk loading (the last one, at the end, truncates the WAL)
  db.pragma('wal_autocheckpoint = 8192');
  // A large ingest (relative to what is stored) builds the records indexes once at its end.
  const stored = storedRecords(db);
  const expected = heads.reduce((a, f) => a + (f.gzip ? f.size * 8 : f.size), 0) / 250 + (streams.length + (stdin ? 1 : 0)) * 1e6;
  if (expected > stored / 2) {
    try {
      deferRecordIndexes(db);
    } catch (e) {
      db.close();
      throw asStoreError(e, opts.db, 'preparing the database');
    }
  }
  const writer = new StoreWriter(db, opts.db);
  const results: SourceResult[] = [];
  const rejectedSamples: RejectedSample[] = [];
  const allPods = new IdBitmap();
  let interrupted = false;
  let fatal: unknown;
  const running = new Map<string, RunState>();
  const live = new Set<Worker>();
  let doneBytes = 0;
  let doneLines = 0;
  let inputsDone = 0;
  const totalBytes = stdin || streams.length ? undefined : heads.reduce((a, f) => a + f.size, 0);
  const inputsCount = heads.length + streams.length + (stdin ? 1 : 0);

  const report = () => {
    if (!opts.onProgress) return;
    let bytes = doneBytes;
    let lines = doneLines;
    for (const s of running.values()) {
      bytes += s.read.bytes;
      lines += s.read.lines;
    }
    const p: IngestProgress = { bytes, lines, inputs: inputsCount, inputsDone, current: [...running.keys()] };
    if (totalBytes !== undefined) p.totalBytes = totalBytes;
    opts.onProgress(p);
  };

  const onAbort = () => {
    interrupted = true;
    for (const w of live) void w.terminate();
  };
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) interrupted = true;

  const tx = <T>(fn: () => T): T => writer.tx(fn);
  /** A transaction that changes the stored records: the pod lifecycles are stale from its commit on. */
  const changeTx = <T>(fn: () => T): T =>
    writer.tx(() => {
      markLifecyclesStale(db);
      return fn();
    });

  /** One worker per lane, reused for the lane's inputs (its start-up is paid once). */
  class Lane {
    private worker: Worker | undefined;
    get(): Worker {
      if (!this.worker) {
        this.worker = new Worker(workerUrl('parse-worker.js', 'ingest'), { resourceLimits: { maxYoungGenerationSizeMb: INGEST_YOUNG_GENERATION_MB } });
        live.add(this.worker);
      }
      return this.worker;
    }
    discard(): void {
      if (this.worker) {
        live.delete(this.worker);
        void this.worker.terminate();
      }
      this.worker = undefined;
    }
    close(): void {
      this.discard();
    }
  }

  /** Run one input for one source on the lane's worker. */
  const runWorker = (lane: Lane, name: string, job: WorkerJob, src: SourceRun, hooks: { onVerified?: () => void; stdin?: StdinReader }): Promise<Outcome> =>
    new Promise<Outcome>((resolve) => {
      const state: RunState = { read: { bytes: 0, content: 0, lines: 0 } };
      running.set(name, state);
      const worker = lane.get();
      let settled = false;
      const settle = (o: Outcome) => {
        if (settled) return;
        settled = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        running.delete(name);
        doneBytes += state.read.bytes;
        doneLines += state.read.lines;
        if (o.kind !== 'done' && o.kind !== 'verify-failed') lane.discard();
        o.read = state.read;
        resolve(o);
      };
      const fail = (e: unknown) => {
        fatal ??= e;
        onAbort();
        settle({ kind: 'interrupted' });
      };
      const onMessage = (m: FromWorker) => {
        if (settled || interrupted) return;
        try {
          switch (m.type) {
            case 'batch':
              writer.writeBatch(src, m);
              collectRejects(name, m.diagnostics);
              state.read = m.read;
              // the arenas go back to the worker to be filled again
              worker.postMessage({ type: 'ack', arenas: { meta: m.meta, bodies: m.bodies } } satisfies ToWorker, [m.meta.buffer as ArrayBuffer, m.bodies.buffer as ArrayBuffer]);
              report();
              break;
            case 'read':
              state.read = m.read;
              report();
              break;
            case 'verified':
              hooks.onVerified?.();
              break;
            case 'verify-failed':
              settle({ kind: 'verify-failed', reason: m.reason });
              break;
            case 'want': {
              const reader = hooks.stdin;
              if (!reader) break;
              reader.next().then(
                (chunk) => {
                  if (settled) return;
                  worker.postMessage((chunk ? { type: 'chunk', data: chunk } : { type: 'eof' }) satisfies ToWorker);
                  state.read = { ...state.read, bytes: reader.bytes };
                },
                (e: unknown) => {
                  if (!settled) worker.postMessage({ type: 'stdin-error', message: (e as Error).message } satisfies ToWorker);
                },
              );
              break;
            }
            case 'end':
              writer.finish(src, m, opts.node ?? m.host ?? null);
              collectRejects(name, m.last.diagnostics);
              state.read = m.last.read;
              settle({ kind: 'done', end: m });
              break;
            case 'error':
              settle({ kind: 'error', message: m.message, input: m.input });
              break;
          }
        } catch (e) {
          fail(e);
        }
      };
      const onError = (e: Error) => settle({ kind: 'error', message: `${name}: ${e.message}`, input: false });
      const onExit = () => settle(interrupted ? { kind: 'interrupted' } : { kind: 'error', message: `${name}: the parse worker stopped unexpectedly`, input: false });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      if (interrupted) settle({ kind: 'interrupted' });
      else worker.postMessage({ type: 'job', job } satisfies ToWorker);
    });

  const collectRejects = (name: string, diags: Array<[number, string, string, string]>) => {
    for (const [line, level, code, message] of diags) {
      if (level === 'error' && rejectedSamples.length < 5) rejectedSamples.push({ input: name, line, code, message });
    }
  };

  const newRun = (id: number, base: LineCounts = zeroCounts()): SourceRun => ({ id, base, pods: new IdBitmap() });

  const job = (input: WorkerJob['input'], parse: ParseOptions, extra: Partial<WorkerJob> = {}): WorkerJob => ({
    input,
    start: { offset: 0, line: 1 },
    snapshotsAt: [],
    parse,
    batchEntries: opts.batchEntries ?? 8192,
    blockEntries: opts.blockEntries ?? 256,
    ...(opts.dictCap !== undefined ? { dictCap: opts.dictCap } : {}),
    ...extra,
  });

  const finishResult = (r: SourceResult, src: SourceRun | undefined, outcome: Outcome, before: LineCounts): SourceResult => {
    if (src) allPods.addAll(src.pods);
    if (outcome.kind === 'done') {
      r.bytes = outcome.end.last.read.bytes;
      r.contentBytes = outcome.end.contentLen;
      r.envelope = outcome.end.envelope ?? null;
      r.gzip = outcome.end.gzip;
      r.firstTime = iso(outcome.end.firstTimeUs);
      r.lastTime = iso(outcome.end.lastTimeUs);
      if (outcome.end.damage) r.error = damageMessage(r.path, outcome.end.damage.message, outcome.end.damage.lines);
    } else if (outcome.read) {
      r.bytes = outcome.read.bytes;
      r.contentBytes = outcome.read.content;
    }
    if (outcome.kind === 'error') {
      r.status = 'failed';
      r.error = outcome.message;
    } else if (outcome.kind === 'interrupted') r.status = 'interrupted';
    if (r.id !== null) {
      const row = getSource(db, r.id);
      if (row) {
        // net lines added: a resumed source re-reads (and replaces) its last incomplete records
        r.added = toCounts(subtract(storedCounts(row), before));
        r.stored = toCounts(storedCounts(row));
        r.node = row.node;
        const time = timeReportOf(db, row);
        if (time) r.time = time;
        if (outcome.kind !== 'done') {
          r.note = `${r.note ? r.note + '; ' : ''}stored up to line ${row.lines_done}; run the same command again to continue`;
        }
      }
    }
    return r;
  };

  const emptyResult = (p: string, id: number | null, status: SourceStatus, gzip: boolean): SourceResult => ({
    id,
    path: p,
    status,
    node: null,
    envelope: null,
    gzip,
    bytes: 0,
    contentBytes: 0,
    added: toCounts(zeroCounts()),
    stored: null,
    firstTime: null,
    lastTime: null,
  });

  /** An input whose content is already stored whole as source `src`: nothing added. */
  const unchangedResult = (p: string, src: SourceRow, gzip: boolean, bytes: number): SourceResult => {
    const time = timeReportOf(db, src);
    return {
      ...emptyResult(p, src.id, 'unchanged', gzip),
      note: `already ingested (source ${src.id})`,
      bytes,
      stored: toCounts(storedCounts(src)),
      node: src.node,
      envelope: src.envelope,
      firstTime: iso(src.first_time_us),
      lastTime: iso(src.last_time_us),
      ...(time ? { time } : {}),
    };
  };

  const ingestFile = async (lane: Lane, f: FileInput): Promise<SourceResult> => {
    const fallbackYear = new Date(f.mtimeMs).getFullYear();
    const parse: ParseOptions = { ...baseParse, fallbackYear };
    if (f.sibling?.year) parse.siblingYear = f.sibling.year;
    if (f.sibling?.zone) parse.siblingZone = f.sibling.zone;
    const cand = findCandidates(db, f.head)[0];
    const node = opts.node;
    if (cand) {
      const same = cand.complete ? await isUnchanged(f, cand) : false;
      if (same) {
        // another --node changes the node of its pods
        (opts.node !== undefined && opts.node !== cand.node ? changeTx : tx)(() => touchSource(db, cand.id, { path: f.path, fileSize: f.size, mtimeMs: f.mtimeMs, node: opts.node }));
        const r = unchangedResult(f.path, cand, f.gzip, f.size);
        if (same.damage) r.error = damageMessage(f.path, same.damage.message, cand.lines_read);
        return r;
      }
      const rs = resumeState(cand);
      const resumeParse: ParseOptions = { ...parse };
      // continue with what the first run settled, from the wall clock of its last stored record
      // (nothing settled: nothing that needed it was stored, and the resumed run infers afresh)
      const settled = parseOptionsOf(cand).time;
      if (settled !== undefined && rs.lastTimeUs !== undefined) {
        resumeParse.resume = { assumptions: settled, ...wallYearMonthAt(rs.lastTimeUs, opts.tz ?? settled.zone?.value) };
      }
      const src = newRun(cand.id, rs.counts);
      src.firstTimeUs = cand.first_time_us ?? undefined;
      src.lastTimeUs = cand.last_time_us ?? undefined;
      const status: SourceStatus = cand.complete ? 'grown' : 'resumed';
      const r = emptyResult(f.path, cand.id, status, f.gzip);
      r.note = cand.complete ? `grown since the last ingest: continuing at line ${cand.lines_done + 1}` : `continuing an interrupted ingest at line ${cand.lines_done + 1}`;
      const outcome = await runWorker(
        lane,
        f.path,
        job({ kind: 'file', path: f.path }, resumeParse, {
          start: { offset: cand.bytes_done, line: cand.lines_done + 1 },
          verify: { len: cand.verify_len, hash: cand.verify_hash ?? '' },
        }),
        src,
        {
          onVerified: () =>
            changeTx(() => {
              rewindToResumePoint(db, cand);
              touchSource(db, cand.id, { path: f.path, fileSize: f.size, mtimeMs: f.mtimeMs, node: opts.node });
            }),
        },
      );
      if (outcome.kind !== 'verify-failed') return finishResult(r, src, outcome, storedCounts(cand));
      // same first 64 KiB, different content after: a different input
    }
    const id = changeTx(() => createSource(db, { path: f.path, node, gzip: f.gzip, fileSize: f.size, mtimeMs: f.mtimeMs, head: f.head, parseOptions: parse }));
    const src = newRun(id);
    const r = emptyResult(f.path, id, 'new', f.gzip);
    if (cand) r.note = `starts like source ${cand.id} but differs later: stored as a new source`;
    return finishResult(r, src, await runWorker(lane, f.path, job({ kind: 'file', path: f.path }, parse), src, {}), zeroCounts());
  };

  /** Whether `f` holds exactly what `cand` stored (then with the damage that ended it, if any). */
  const isUnchanged = async (f: FileInput, cand: SourceRow): Promise<false | { damage?: GzipDataError }> => {
    if (cand.content_len === null || cand.content_hash === null) return false;
    if (!f.gzip && f.size !== cand.content_len) return false;
    // a cut .gz has no ISIZE trailer: the check only applies to a file whose size changed
    if (f.gzip && f.size !== cand.file_size) {
      const isize = await gzipIsize(f.path, f.size);
      if (isize !== undefined && isize !== cand.content_len % 2 ** 32) return false;
    }
    try {
      const h = await contentHash(f.path);
      if (h.len !== cand.content_len || h.hash !== cand.content_hash) return false;
      return h.damage ? { damage: h.damage } : {};
    } catch {
      return false; // the worker reports the read error with the file's name
    }
  };

  /** stdin (`-`) or a stream file (a FIFO): read once, as it comes, through the writer thread. */
  const ingestStream = async (lane: Lane, name: string): Promise<SourceResult> => {
    const reader = new StdinReader(name === '-' ? (opts.stdin ?? process.stdin) : openStreamFile(name), opts.signal);
    try {
      return await readStream(lane, name, reader);
    } finally {
      if (name !== '-') reader.close();
    }
  };

  const readStream = async (lane: Lane, name: string, reader: StdinReader): Promise<SourceResult> => {
    let head;
    try {
      head = await reader.head();
    } catch (e) {
      if (e instanceof Interrupted) return emptyResult(name, null, 'interrupted', false);
      const r = emptyResult(name, null, 'failed', false);
      r.error = `${name}: cannot read ${name === '-' ? 'stdin' : 'it'} (${(e as Error).message})`;
      return r;
    }
    const parse: ParseOptions = { ...baseParse };
    const cands = findCandidates(db, head.head);
    const snaps = new Set<number>();
    for (const c of cands) {
      if (c.complete && c.content_len !== null) snaps.add(c.content_len);
      if (c.verify_len > 0) snaps.add(c.verify_len);
    }
    const id = changeTx(() => createSource(db, { path: name, node: opts.node, gzip: head.gzip, head: head.head, parseOptions: parse }));
    const src = newRun(id);
    const r = emptyResult(name, id, 'new', head.gzip);
    const outcome = await runWorker(lane, name, job({ kind: 'stdin', name }, parse, { snapshotsAt: [...snaps] }), src, { stdin: reader });
    if (outcome.kind === 'done') {
      const end = outcome.end;
      const same = cands.find((c) => c.complete && c.content_len === end.contentLen && c.content_hash === end.contentHash);
      if (same) {
        // identical to an earlier ingest: recognised after the fact, nothing added
        tx(() => deleteSource(db, id));
        const u: SourceResult = { ...unchangedResult(name, same, end.gzip, end.last.read.bytes), contentBytes: end.contentLen };
        if (end.damage) u.error = damageMessage(name, end.damage.message, same.lines_read);
        return u;
      }
      // earlier ingests whose content this one extends (or completes) are replaced by it
      const replaced = cands.filter((c) =>
        c.complete && c.content_len !== null ? end.snapshots[String(c.content_len)] === c.content_hash : c.verify_len > 0 && end.snapshots[String(c.verify_len)] === c.verify_hash,
      );
      if (replaced.length) {
        changeTx(() => {
          for (const c of replaced) deleteSource(db, c.id);
        });
        r.replaced = replaced.map((c) => c.id);
        r.note = `contains source${replaced.length > 1 ? 's' : ''} ${r.replaced.join(', ')} ingested earlier, which it replaces`;
      }
    }
    return finishResult(r, src, outcome, zeroCounts());
  };

  // ---- a rotated set is read oldest first: the worker reads the first record time of each head ----
  const firstLane = new Lane();
  if (heads.length > 1) {
    try {
      const facts = await askFacts(
        firstLane.get(),
        heads.map((f) => ({ head: f.head, opts: { ...baseParse, fallbackYear: new Date(f.mtimeMs).getFullYear() } })),
      );
      heads.forEach((f, i) => Object.assign(f, facts[i]));
      for (const [f, t] of siblingTimes(heads, opts.node !== undefined)) (f as FileInput).sibling = t;
    } catch (e) {
      firstLane.close();
      restoreDeferredIndexes(db);
      db.close();
      throw e;
    }
  }
  const ordered = orderByContentTime(heads);

  // ---- run the inputs, a few at a time ----
  const queue: Array<(lane: Lane) => Promise<SourceResult>> = ordered.map((f) => (lane: Lane) => ingestFile(lane, f));
  for (const name of streams) queue.push((lane: Lane) => ingestStream(lane, name));
  if (stdin) queue.push((lane: Lane) => ingestStream(lane, '-'));
  const slots = Math.max(1, Math.min(opts.jobs ?? 1, queue.length));
  const indexed: Array<SourceResult | undefined> = new Array<SourceResult | undefined>(queue.length);
  let next = 0;
  const runLane = async (_: unknown, index: number) => {
    const lane = index === 0 ? firstLane : new Lane();
    while (next < queue.length && !interrupted && fatal === undefined) {
      const i = next++;
      try {
        indexed[i] = await queue[i]!(lane);
      } catch (e) {
        const err = asStoreError(e, opts.db, 'writing');
        if (err instanceof StoreError || !(e instanceof InputReadError)) {
          fatal ??= err;
          onAbort();
          break;
        }
        const r = emptyResult(e.input, null, 'failed', false);
        r.error = e.message;
        indexed[i] = r;
      }
      inputsDone++;
      report();
    }
    lane.close();
  };
  await Promise.all(Array.from({ length: slots }, runLane));
  opts.signal?.removeEventListener('abort', onAbort);
  for (const r of indexed) if (r) results.push(r);

  try {
    // deferred: the caller builds them after the pod lifecycles (index-thread.ts); an interrupted
    // ingest leaves the records' indexes as they were
    if (!opts.deferIndexes || interrupted || fatal !== undefined) restoreDeferredIndexes(db);
    if (!opts.deferIndexes && !interrupted && fatal === undefined) buildSearchIndex(db);
  } catch (e) {
    // e.g. the disk filled up: the database is complete without them; the next ingest or rebuild builds them
    fatal ??= asStoreError(e, opts.db, 'building indexes');
  }
  // every input was stored before, whole (identical stdin included: its rows were removed again):
  // the lifecycles are what they were
  if (fatal === undefined && !staleAtStart && results.length > 0 && results.every((r) => r.status === 'unchanged')) {
    try {
      tx(() => markLifecyclesCurrent(db));
    } catch {
      // they stay marked stale: the caller rebuilds them
    }
  }
  try {
    if (fatal === undefined) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // a checkpoint failure loses nothing: the WAL stays and is replayed on the next open
  }
  db.close();
  if (fatal !== undefined) throw fatal;

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let totals = zeroCounts();
  let bytes = 0;
  let contentBytes = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const r of results) {
    totals = addCounts(totals, { lines: r.added.linesRead, ...r.added });
    bytes += r.bytes;
    contentBytes += r.contentBytes;
    if (r.status !== 'unchanged') {
      if (r.firstTime && (!first || r.firstTime < first)) first = r.firstTime;
      if (r.lastTime && (!last || r.lastTime > last)) last = r.lastTime;
    }
  }
  return {
    db: opts.db,
    sources: results,
    totals: { ...toCounts(totals), bytes, contentBytes },
    rejectedSamples,
    podsSeen: allPods.size,
    timeSpan: { first, last },
    seconds: +seconds.toFixed(3),
    mbPerSecond: +(contentBytes / 1e6 / Math.max(seconds, 1e-9)).toFixed(1),
    interrupted,
    // a damaged input whose content before the damage is stored counts too: it is not all there
    failed: results.filter((r) => r.status === 'failed' || r.error !== undefined).length,
  };
}

/** What a damaged .gz means for the ingest: what was stored, and that a rerun cannot do more. */
function damageMessage(name: string, message: string, lines: number): string {
  return `${name}: ${message}; its ${lines} lines before that are stored (a complete copy of the file, ingested later, continues from there)`;
}

/** The result of an ingest interrupted before it wrote anything. */
function nothingDone(db: string, started: bigint): IngestResult {
  return {
    db,
    sources: [],
    totals: { ...toCounts(zeroCounts()), bytes: 0, contentBytes: 0 },
    rejectedSamples: [],
    podsSeen: 0,
    timeSpan: { first: null, last: null },
    seconds: +(Number(process.hrtime.bigint() - started) / 1e9).toFixed(3),
    mbPerSecond: 0,
    interrupted: true,
    failed: 0,
  };
}

function subtract(a: LineCounts, b: LineCounts): LineCounts {
  const out = zeroCounts();
  out.lines = a.lines - b.lines;
  out.records = a.records - b.records;
  out.recordLines = a.recordLines - b.recordLines;
  out.foreign = a.foreign - b.foreign;
  out.rejected = a.rejected - b.rejected;
  out.diagnostics = a.diagnostics - b.diagnostics;
  for (const [k, v] of Object.entries(a.foreignByKind)) {
    const d = v - (b.foreignByKind[k] ?? 0);
    if (d) out.foreignByKind[k] = d;
  }
  for (const [k, v] of Object.entries(a.rejectedByReason)) {
    const d = v - (b.rejectedByReason[k] ?? 0);
    if (d) out.rejectedByReason[k] = d;
  }
  return out;
}

export type { Db };
