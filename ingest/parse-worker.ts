// The parse worker: one input at a time, read (files directly; stdin bytes pulled from the main
// thread), gunzipped when its first bytes say gzip, hashed, parsed with the project's
// KubeletLogParser, and sent back as batches of encoded blocks. The writer thread (ingest.ts) only writes SQLite.
// A worker serves one job after another (`{type: 'job'}` messages), so its start-up is paid once.
//
// Each batch carries the entries whose lines are before the resume point R (the parser's openFrom:
// the first line of its earliest record still open) plus the progress at R, so every committed batch leaves the database holding exactly a prefix of the
// input. Entries after R wait here until R passes them (a bounded number; beyond HELD_CAP they are
// sent early and counted later, and a resume deletes them).
import { parentPort } from 'node:worker_threads';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { KubeletLogParser, type ParseEvent } from '../parser/index.js';
import { Batcher, detach } from './batcher.js';
import { headFacts } from './head-facts.js';
import type { Progress } from '../store/batch.js';
import { type BatchMsg, type EndMsg, type FromWorker, type ReadProgress, type ToWorker, type WorkerJob } from './protocol.js';
import { contentChunks } from './peek.js';
import { GzipDataError } from './gunzip.js';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

/** Unacknowledged batches in flight before reading pauses. */
const MAX_IN_FLIGHT = 2;
/** Entries kept back (waiting for an earlier record to complete) before they are sent anyway. */
const HELD_CAP = 20_000;
/** Bytes handed to the parser at a time, between which a full batch is sent. */
const PARSE_SLICE = 64 * 1024;

class InputFailure extends Error {}

class JobRun {
  readonly name: string;
  private bytesIn = 0;
  private gzip = false;
  /** Damaged gzip data ended the content here. */
  private damage: GzipDataError | undefined;
  private stdin: Readable | undefined;
  private inFlight = 0;
  private wake: (() => void) | undefined;

  private readonly lineBase: number;
  private readonly offsetBase: number;
  private readonly hash = createHash('sha256');
  /** (content length, sha256 of the content up to it) at chunk ends not older than the last resume point. */
  private boundaries: Array<[number, string]> = [[0, createHash('sha256').digest('hex')]];

  private readonly batch: Batcher;
  /** The resume point R and its offset (the parser's: 0 = the first byte parsed). */
  private r = 1;
  private rOffset = 0;
  private pos = 0;
  private firstTimeUs: number | undefined;
  private maxTimeUs: number | undefined;
  private host: string | undefined;
  private readonly envelopes: Record<string, number> = {};
  private readonly parser: KubeletLogParser;
  private lastPost = Date.now();

  constructor(private readonly job: WorkerJob) {
    this.name = job.input.kind === 'file' ? job.input.path : job.input.name;
    this.lineBase = job.start.line - 1;
    this.offsetBase = job.start.offset;
    this.batch = new Batcher(this.lineBase, this.offsetBase, job.blockEntries, job.dictCap);
    this.parser = new KubeletLogParser(job.parse, (e) => this.onEvent(e));
  }

  // ---- messages from the writer thread ----

  onMessage(m: ToWorker): void {
    if (m.type === 'ack') {
      if (m.arenas) this.batch.recycle(m.arenas);
      this.inFlight--;
      if (this.wake && this.inFlight < MAX_IN_FLIGHT) {
        const w = this.wake;
        this.wake = undefined;
        w();
      }
    } else if (m.type === 'chunk') {
      this.bytesIn += m.data.byteLength;
      this.stdin?.push(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    } else if (m.type === 'eof') this.stdin?.push(null);
    else if (m.type === 'stdin-error') this.stdin?.destroy(new InputFailure(`${this.name}: ${m.message}`));
  }

  private send(batch: BatchMsg): Promise<void> {
    this.inFlight++;
    port.postMessage(batch satisfies FromWorker, transferList(batch));
    if (this.inFlight < MAX_IN_FLIGHT) return Promise.resolve();
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  // ---- input ----

  private fileReadable(path: string): Readable {
    const s = createReadStream(path, { highWaterMark: 1 << 20 });
    s.on('data', (d: Buffer | string) => (this.bytesIn += d.length));
    return s;
  }

  /**
   * The input's content. Damaged gzip data ends it: everything before the damage is parsed and
   * stored like a whole input (a cut .gz that is later found whole continues from there), and
   * the damage is reported with the result.
   */
  private async *content(): AsyncIterable<Buffer> {
    let source: Readable;
    if (this.job.input.kind === 'file') source = this.fileReadable(this.job.input.path);
    // stdin or a stream file: the writer thread sends one chunk per `want`
    else source = this.stdin = new Readable({ highWaterMark: 1 << 20, read: () => post({ type: 'want' }) });
    try {
      yield* contentChunks(source, (gz) => (this.gzip = gz));
    } catch (e) {
      if (e instanceof InputFailure) throw e;
      if (e instanceof GzipDataError) {
        this.damage = e;
        return;
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputFailure(`${this.name}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (e as Error).message})`}`);
    }
  }

  // ---- parser events ----

  private onEvent(e: ParseEvent): void {
    switch (e.type) {
      case 'record': {
        const rec = e.record;
        let lines = 1;
        for (let i = rec.raw.indexOf('\n'); i >= 0; i = rec.raw.indexOf('\n', i + 1)) lines++;
        const t = rec.timeUs;
        if (t !== undefined) {
          if (this.firstTimeUs === undefined || t < this.firstTimeUs) this.firstTimeUs = t;
          if (this.maxTimeUs === undefined || t > this.maxTimeUs) this.maxTimeUs = t;
        }
        if (this.host === undefined && rec.transport?.host) this.host = detach(rec.transport.host);
        this.envelopes[rec.envelope] = (this.envelopes[rec.envelope] ?? 0) + 1;
        this.batch.addRecord(rec, lines);
        break;
      }
      case 'foreign':
        this.batch.addForeign(e.foreign);
        break;
      case 'rejected':
        this.batch.addRejected(e.rejected);
        break;
      case 'diagnostic':
        this.batch.addDiagnostic(e.diagnostic.line, e.diagnostic.level, e.diagnostic.code, e.diagnostic.message);
        break;
    }
  }

  // ---- accounting ----

  /** Advance R; count and release what is now below it. */
  private advance(): void {
    const at = this.parser.openFrom();
    this.r = at.line;
    this.rOffset = at.offset;
    this.batch.release(this.r, HELD_CAP);
  }

  /** Progress at the current R. */
  private progressNow(): Progress {
    const r = this.r;
    const offset = this.rOffset + this.offsetBase;
    let i = 0;
    while (i + 1 < this.boundaries.length && this.boundaries[i + 1]![0] <= offset) i++;
    if (i > 0) this.boundaries = this.boundaries.slice(i);
    const [verifyLen, verifyHash] = this.boundaries[0]!;
    const p: Progress = { line: r + this.lineBase, offset, verifyLen, verifyHash, counts: structuredClone(this.batch.counts) };
    if (this.batch.lastTimeUs !== undefined) p.lastTimeUs = this.batch.lastTimeUs;
    const time = this.parser.settledTimes();
    if (time) p.time = time;
    return p;
  }

  private readProgress(): ReadProgress {
    return { bytes: this.bytesIn, content: this.pos, lines: this.parser.counts.linesRead + this.lineBase };
  }

  private takeBatch(): BatchMsg {
    return { type: 'batch', ...this.batch.take(), progress: this.progressNow(), read: this.readProgress() };
  }

  private async afterChunk(): Promise<void> {
    this.advance();
    const n = this.batch.ready;
    const now = Date.now();
    if (n >= this.job.batchEntries || (n > 0 && now - this.lastPost > 1000)) {
      this.lastPost = now;
      await this.send(this.takeBatch());
    } else if (now - this.lastPost > 200) {
      this.lastPost = now;
      post({ type: 'read', read: this.readProgress() });
    }
  }

  /**
   * Parse a chunk a slice at a time, sending a batch whenever one is full. A 1 MiB chunk can hold a
   * million lines (blank ones): parsed at once, all of them waited in the batch's arenas, which
   * then went to the writer thread as one batch (2 M blank lines peaked at 850 MB).
   */
  private async parse(sub: Buffer): Promise<void> {
    for (let at = 0; at < sub.length; at += PARSE_SLICE) {
      const piece = at === 0 && sub.length <= PARSE_SLICE ? sub : sub.subarray(at, Math.min(sub.length, at + PARSE_SLICE));
      this.parser.push(piece);
      if (at + PARSE_SLICE < sub.length) {
        this.advance();
        if (this.batch.ready >= this.job.batchEntries) {
          this.lastPost = Date.now();
          await this.send(this.takeBatch());
        }
      }
    }
  }

  // ---- the job ----

  async run(): Promise<void> {
    const job = this.job;
    const snapshotsWanted = [...new Set(job.snapshotsAt)].filter((n) => n > 0).sort((a, b) => a - b);
    const snapshots: Record<string, string> = {};
    const verify = job.verify && job.verify.len > 0 ? job.verify : undefined;
    let verified = !verify;
    if (job.verify && !verify) post({ type: 'verified' });
    let nextSnap = 0;
    const offsetBase = this.offsetBase;

    for await (const chunk of this.content()) {
      const pos = this.pos;
      const end = pos + chunk.length;
      // 1. hash, stopping at the requested snapshot points and the verify point
      const stops: number[] = [];
      while (nextSnap < snapshotsWanted.length && snapshotsWanted[nextSnap]! <= end) stops.push(snapshotsWanted[nextSnap++]!);
      if (!verified && verify!.len <= end) stops.push(verify!.len);
      if (stops.length === 0) this.hash.update(chunk);
      else {
        stops.sort((a, b) => a - b);
        let from = 0;
        for (const s of stops) {
          if (s - pos > from) this.hash.update(chunk.subarray(from, s - pos));
          from = s - pos;
          const digest = this.hash.copy().digest('hex');
          snapshots[String(s)] = digest;
          if (!verified && s === verify!.len) {
            if (digest !== verify!.hash) {
              post({ type: 'verify-failed', reason: `its first ${s} bytes differ from what was ingested before` });
              return;
            }
            verified = true;
            post({ type: 'verified' });
          }
        }
        if (from < chunk.length) this.hash.update(from === 0 ? chunk : chunk.subarray(from));
      }
      // 2. parse what is at or after the start offset
      if (end > offsetBase) {
        if (!verified) throw new Error('internal: verify point after the start offset');
        await this.parse(pos >= offsetBase ? chunk : chunk.subarray(offsetBase - pos));
      }
      this.pos = end;
      this.boundaries.push([end, this.hash.copy().digest('hex')]);
      if (end > offsetBase) await this.afterChunk();
      else if (Date.now() - this.lastPost > 200) {
        this.lastPost = Date.now();
        post({ type: 'read', read: this.readProgress() });
      }
    }
    if (!verified || this.pos < offsetBase) {
      post({ type: 'verify-failed', reason: `it is shorter (${this.pos} bytes) than what was ingested before (${offsetBase} bytes)` });
      return;
    }

    // ---- end of input ----
    // Where a later run continues if this input grows: before the records that only the end of
    // input completed (the last record may go on in the appended bytes; a last line without its
    // newline may be half-written).
    this.advance();
    const resume = this.progressNow();
    const pc = this.parser.end();
    // everything is accounted for now: R = lines read + 1
    this.r = pc.linesRead + 1;
    this.batch.release(this.r, HELD_CAP);
    if (this.batch.unaccounted) {
      throw new Error(`${this.name}: internal line accounting error: ${this.batch.unaccounted} entries not accounted at the end`);
    }
    const last = this.takeBatch();
    last.progress.offset = this.pos;
    const c = this.batch.counts;
    if (c.lines !== pc.linesRead || c.records !== pc.records || c.recordLines !== pc.recordLines || c.foreign !== pc.foreign || c.rejected !== pc.rejected || c.diagnostics !== pc.diagnostics) {
      throw new Error(`${this.name}: internal line accounting mismatch: ${JSON.stringify(c)} vs the parser's ${JSON.stringify(pc)}`);
    }
    const msg: EndMsg = { type: 'end', last, resume, contentLen: this.pos, contentHash: this.hash.digest('hex'), gzip: this.gzip, snapshots, envelopes: this.envelopes };
    if (this.firstTimeUs !== undefined) msg.firstTimeUs = this.firstTimeUs;
    if (this.maxTimeUs !== undefined) msg.lastTimeUs = this.maxTimeUs;
    if (this.host !== undefined) msg.host = this.host;
    const top = Object.entries(this.envelopes).sort((a, b) => b[1] - a[1])[0];
    if (top) msg.envelope = top[0];
    if (this.damage) msg.damage = { message: this.damage.message, lines: pc.linesRead + this.lineBase };
    port.postMessage(msg satisfies FromWorker, transferList(msg.last));
  }
}

function transferList(b: BatchMsg): ArrayBuffer[] {
  return [b.meta.buffer as ArrayBuffer, b.bodies.buffer as ArrayBuffer, b.order.buffer as ArrayBuffer];
}

let current: JobRun | undefined;
port.on('message', (m: ToWorker) => {
  if (m.type === 'facts') {
    post({ type: 'facts', facts: m.heads.map((h) => headFacts(h.head, h.opts)) });
  } else if (m.type === 'job') {
    const run = (current = new JobRun(m.job));
    run.run().then(
      () => {
        if (current === run) current = undefined;
      },
      (e: unknown) => {
        if (current === run) current = undefined;
        post({ type: 'error', message: e instanceof Error ? e.message : String(e), input: e instanceof InputFailure });
      },
    );
  } else current?.onMessage(m);
});
