// Runs the index step (index-worker.ts) in a worker thread: the full-text index and the deferred
// secondary indexes, after the records and the pod lifecycles are stored. Stopping it (Ctrl-C)
// terminates the thread: the transaction under way is lost, what was committed stays, and the
// database says what is left (search-index.ts).
import { Worker } from 'node:worker_threads';
import type { IndexProgress } from '../store/search-index.js';
import { fromThreadError, type ThreadError } from '../ingest/thread-errors.js';
import { workerUrl } from '../store/worker-url.js';

export interface IndexResult {
  /** Blocks added to the full-text index, and the seconds it took. */
  blocks: number;
  searchSeconds: number;
  /** Secondary indexes of the records built again. */
  indexes: number;
  seconds: number;
}

export type IndexReply = { ok: IndexResult } | { progress: IndexProgress } | { error: ThreadError };

/** The index step was stopped: it goes on at the next ingest or `kubelog rebuild`. */
export class IndexInterrupted extends Error {}

export function indexInWorker(dbPath: string, o: { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {}): Promise<IndexResult> {
  const { signal } = o;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new IndexInterrupted('interrupted'));
    const worker = new Worker(workerUrl('index-worker.js', 'pipeline'), { workerData: { dbPath } });
    let reply: IndexReply | undefined;
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (m: IndexReply) => {
      if ('progress' in m) o.onProgress?.(m.progress);
      else reply = m;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (!reply && signal?.aborted) return reject(new IndexInterrupted('interrupted'));
      if (!reply || 'progress' in reply) return reject(new Error(`the index step stopped (exit code ${code})`));
      if ('ok' in reply) return resolve(reply.ok);
      reject(fromThreadError(reply.error));
    });
  });
}
