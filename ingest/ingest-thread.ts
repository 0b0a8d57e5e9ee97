// Runs the whole ingest (ingest.ts: its SQLite writer and the parse workers it starts) in a worker
// thread, so that what the ingest leaves behind is a thread's, not the main thread's. Measured
// after the 300 MB benchmark ingest on the main thread: its V8 heap stayed at ~50 MB committed, and
// glibc kept ~45 MB in the main arena that SQLite and the batches had freed; the rebuild worker
// that runs next came on top of both (whole command on 1 GB: 360 MB). From a thread, the heap goes
// with the isolate and the freed malloc arena is taken over by the next thread, the rebuild's
// (1 GB: 324 MB; with the smaller dictionaries and rebuild heap of the same change, 293 MB).
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import type { IngestOptions, IngestProgress, IngestResult } from './ingest.js';
import { readsStdin } from './inputs.js';
import { fromThreadError, toThreadError, type ThreadError } from './thread-errors.js';
import { workerUrl } from '../store/worker-url.js';
import { INGEST_YOUNG_GENERATION_MB } from './thread-limits.js';

/** What crosses to the worker: the options without the callbacks, the signal and the stream. */
export type IngestJob = Omit<IngestOptions, 'onProgress' | 'signal' | 'stdin' | 'takeLock'> & { progress: boolean; callerLocks: boolean };

/** The write lock the caller takes (IngestOptions.takeLock) is asked for and handed over as messages. */
export type ToIngestWorker = { type: 'abort' } | { type: 'lock'; token: string } | { type: 'lock-error'; error: ThreadError };
export type FromIngestWorker =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'want-lock' }
  | { type: 'done'; result: IngestResult }
  | { type: 'error'; error: ThreadError };

export function ingestInWorker(opts: IngestOptions): Promise<IngestResult> {
  const { onProgress, signal, stdin: stdinOpt, takeLock, ...rest } = opts;
  const job: IngestJob = { ...rest, progress: !!onProgress, callerLocks: !!takeLock };
  const stdin: Readable | undefined = readsStdin(opts.args) ? (stdinOpt ?? process.stdin) : undefined;
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl('ingest-worker.js', 'ingest'), { workerData: job, stdin: !!stdin, resourceLimits: { maxYoungGenerationSizeMb: INGEST_YOUNG_GENERATION_MB } });
    let outcome: { result: IngestResult } | { error: Error } | undefined;
    const onAbort = () => worker.postMessage({ type: 'abort' } satisfies ToIngestWorker);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    if (stdin && worker.stdin) {
      // the worker reports a failed read of stdin with the input's name; here it only ends the stream
      stdin.on('error', () => worker.stdin?.end());
      stdin.pipe(worker.stdin);
    }
    /** The ingest has finished reading: an interrupted one may not have read stdin to its end,
     *  and the worker's stdin, still open, would keep the worker (and so this process) alive. */
    const stopStdin = () => {
      if (!stdin) return;
      stdin.unpipe();
      stdin.pause();
      worker.stdin?.end();
    };
    const lend = async () => {
      try {
        worker.postMessage({ type: 'lock', token: await takeLock!() } satisfies ToIngestWorker);
      } catch (e) {
        worker.postMessage({ type: 'lock-error', error: toThreadError(e) } satisfies ToIngestWorker);
      }
    };
    worker.on('message', (m: FromIngestWorker) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'want-lock') void lend();
      else {
        outcome = m.type === 'done' ? { result: m.result } : { error: fromThreadError(m.error) };
        stopStdin();
      }
    });
    worker.on('error', (e) => (outcome ??= { error: e }));
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      stopStdin();
      if (!outcome) return reject(new Error(`the ingest stopped (exit code ${code})`));
      if ('error' in outcome) return reject(outcome.error);
      resolve(outcome.result);
    });
  });
}
