// The query workers of `kubelog serve`. better-sqlite3 is synchronous: a query on the thread that
// serves HTTP stops every other request until it ends (a broad search took seconds, and 200
// clients waited behind each other). So the answers run in a few worker threads, each with its
// own read-only connection, and the HTTP thread only reads parameters and sends text.
//
// Each request has a deadline for waiting and answering together (30 s; 120 s for slow answers):
// past it, the request is answered 503 and a worker still busy with it is replaced (SQLite
// cannot be interrupted from outside; terminating the thread is what stops it). Slow answers (SLOW_ANSWERS) never fill
// every worker, so the quick ones — the pod list, the raw lines, the overview — always find one.
// Requests beyond `maxWaiting` (of each kind) are refused at once rather than queued without bound.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../../store/worker-url.js';
import { SLOW_ANSWERS, type AnswerArgs, type AnswerName } from './answers.js';
import { HttpError } from './errors.js';

export interface QueryTask {
  id: number;
  name: AnswerName;
  args: unknown;
}

export interface QueryReply {
  id: number;
  json?: string;
  error?: { status: number; code: string; message: string };
}

export interface QueryPoolOptions {
  dbPath: string;
  /** Worker threads (default: the cores, at least 2 and at most 4). */
  size?: number;
  /** A request's whole time, waiting and answering (default 30 s). */
  deadlineMs?: number;
  /** The same for slow answers (SLOW_ANSWERS: a pod of a day's events reads most of the log; default 120 s). */
  slowDeadlineMs?: number;
  /** Requests waiting for a worker beyond which new ones are refused at once, quick and slow ones each (default 512). */
  maxWaiting?: number;
  /** Old-generation heap of each worker in MB: an answer that needs more fails alone (default 768). */
  heapMb?: number;
}

interface Job {
  id: number;
  name: AnswerName;
  args: unknown;
  slow: boolean;
  deadlineMs: number;
  resolve: (json: string) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class QueryPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private readonly deadlineMs: number;
  private readonly slowDeadlineMs: number;
  private readonly maxWaiting: number;
  private readonly slowMax: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: QueryPoolOptions) {
    const size = opts.size ?? Math.min(4, Math.max(2, availableParallelism()));
    this.deadlineMs = opts.deadlineMs ?? 30_000;
    this.slowDeadlineMs = opts.slowDeadlineMs ?? 120_000;
    this.maxWaiting = opts.maxWaiting ?? 512;
    this.slowMax = Math.max(1, size - 1);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * The answer's JSON text; rejects with an HttpError (the answer's own, or 503 when busy or too
   * slow). `signal`: the client went away; `deadlineMs`: this request's own deadline.
   */
  run<K extends AnswerName>(name: K, args: AnswerArgs[K], opts: { signal?: AbortSignal; deadlineMs?: number } = {}): Promise<string> {
    const { signal } = opts;
    if (this.closed) return Promise.reject(new HttpError(503, 'closing', 'kubelog serve is stopping'));
    // each kind waits in its own bound: a flood of searches does not refuse the pod list
    const slow = SLOW_ANSWERS.has(name);
    const deadlineMs = opts.deadlineMs ?? (slow ? this.slowDeadlineMs : this.deadlineMs);
    const waiting = this.waiting.filter((j) => j.slow === slow).length;
    if (waiting >= this.maxWaiting) {
      return Promise.reject(new HttpError(503, 'busy', `the server has ${waiting} ${slow ? 'slow ' : ''}requests waiting already: try again in a moment`));
    }
    return new Promise<string>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        name,
        args,
        slow,
        resolve,
        reject,
        deadlineMs,
        timer: setTimeout(() => this.expire(job), deadlineMs),
        signal,
        onAbort: () => this.abandon(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.waiting.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new HttpError(503, 'closing', 'kubelog serve is stopping'));
    for (const slot of this.slots) if (slot.job) this.settle(slot.job, new HttpError(503, 'closing', 'kubelog serve is stopping'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(workerUrl('query-worker.js', 'web/server'), {
      workerData: { dbPath: this.opts.dbPath },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb ?? 768 },
    });
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: QueryReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      if (reply.json !== undefined) this.settle(job, reply.json);
      else this.settle(job, new HttpError(reply.error!.status, reply.error!.code, reply.error!.message));
      this.dispatch();
    });
    const died = (e: Error | undefined): void => {
      if (this.closed || !this.slots.includes(slot)) return;
      const job = slot.job;
      slot.job = null;
      if (job) {
        const oom = (e as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        this.settle(
          job,
          oom
            ? new HttpError(503, 'too-large', `answering ${job.name} needed more memory than a query may use (${this.opts.heapMb ?? 768} MB): narrow the request`)
            : new HttpError(500, 'internal', `internal error: the query worker stopped (${e?.message ?? 'exited'}). This is a bug in kubelog; please report it with the request that caused it.`),
        );
      }
      this.replace(slot);
    };
    worker.on('error', died);
    worker.on('exit', () => died(undefined));
    return slot;
  }

  /** A new worker in the slot's place; the old one is stopped (and its answer ignored). */
  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.job) continue;
      const slowRunning = this.slots.filter((s) => s.job?.slow).length;
      const at = this.waiting.findIndex((j) => !j.slow || slowRunning < this.slowMax);
      if (at < 0) return;
      const job = this.waiting.splice(at, 1)[0]!;
      slot.job = job;
      const task: QueryTask = { id: job.id, name: job.name, args: job.args };
      slot.worker.postMessage(task);
    }
  }

  private expire(job: Job): void {
    const at = this.waiting.indexOf(job);
    const seconds = Math.round(job.deadlineMs / 100) / 10;
    if (at >= 0) {
      this.waiting.splice(at, 1);
      this.settle(job, new HttpError(503, 'busy', `the server was busy with other requests for ${seconds} s: try again in a moment`));
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    slot.job = null;
    this.settle(job, new HttpError(503, 'timeout', `answering ${job.name} took longer than ${seconds} s and was stopped: narrow it (a time window, fewer or longer search words)`));
    this.replace(slot);
  }

  /** The client went away: a request still waiting is dropped (one being answered finishes). */
  private abandon(job: Job): void {
    const at = this.waiting.indexOf(job);
    if (at < 0) return;
    this.waiting.splice(at, 1);
    this.settle(job, new HttpError(499, 'gone', 'the client closed the connection'));
  }

  private settle(job: Job, outcome: string | Error): void {
    clearTimeout(job.timer);
    job.signal?.removeEventListener('abort', job.onAbort);
    if (typeof outcome === 'string') job.resolve(outcome);
    else job.reject(outcome);
  }
}
