// Runs the lifecycle rebuild (lifecycle.ts) in a worker thread whose old generation is capped.
// The rebuild's live heap is small (its per-record rows are in spill files), but it makes garbage
// at a high rate, and V8 lets an uncapped heap grow to hundreds of megabytes before collecting
// it: the cap makes it collect sooner, at no measured cost in time (README, Benchmarks). A log
// whose live model outgrows the cap gets the rebuild again without one: the rebuild is one
// transaction, so the killed attempt left nothing behind.
import { Worker } from 'node:worker_threads';
import { StoreError } from './errors.js';
import type { RebuildResult } from './lifecycle.js';
import { workerUrl } from './worker-url.js';

/** The rebuild worker's old-generation cap. */
export const REBUILD_HEAP_MB = 160;

export type RebuildReply = { ok: RebuildResult } | { error: { message: string; storeCode?: string; stack?: string } };

/** `onUncapped`: told when the capped attempt ran out of heap and the rebuild runs again without a cap. */
export async function rebuildInWorker(dbPath: string, heapMb = REBUILD_HEAP_MB, onUncapped?: () => void): Promise<RebuildResult> {
  try {
    return await attempt(dbPath, heapMb);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
    onUncapped?.();
    return attempt(dbPath, undefined);
  }
}

function attempt(dbPath: string, heapMb: number | undefined): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl('rebuild-worker.js'), {
      workerData: { dbPath },
      resourceLimits: heapMb === undefined ? {} : { maxOldGenerationSizeMb: heapMb },
    });
    let reply: RebuildReply | undefined;
    worker.on('message', (m: RebuildReply) => (reply = m));
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!reply) return reject(new Error(`the lifecycle rebuild stopped (exit code ${code})`));
      if ('ok' in reply) return resolve(reply.ok);
      const { message, storeCode } = reply.error;
      reject(storeCode !== undefined ? new StoreError(message, storeCode) : new Error(message));
    });
  });
}
