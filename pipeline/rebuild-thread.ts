// Runs the lifecycle rebuild (lifecycle.ts) in a worker thread whose old generation is capped.
// The rebuild's live heap is small (its per-record rows are in spill files), but it makes garbage
// at a high rate, and V8 lets an uncapped heap grow to hundreds of megabytes before collecting
// it: the cap makes it collect sooner, at no measured cost in time (README, Benchmarks). What is
// live grows with the pods and their containers, and slowly with the records (~2 bytes a record
// on the 2 GB benchmark log, 36 MB after 9 M records, since every per-record store spills), so the
// cap is sized from both. A log whose live model outgrows it anyway gets the rebuild again without
// one: the rebuild is one transaction, so the killed attempt left nothing behind.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { openDatabase } from '../store/db.js';
import { storedRecords } from '../store/sources.js';
import { PODS_PER_PARTITION, type RebuildResult } from './rebuild.js';
import { fromThreadError, type ThreadError } from '../ingest/thread-errors.js';
import { workerUrl } from '../store/worker-url.js';

/**
 * The rebuild worker's old-generation cap for a database of this many records and pod UIDs: 64 MB,
 * 12 bytes a record (slack since the row lists spill too: 4 bytes, 122 MB for the 2 GB log, saved
 * 11 MB of RSS and cost 14 s of 120) and 1,344 bytes a pod UID (~1.5× the ~0.9 KB measured:
 * the rebuild of 100,839 pods of two lines each ran in a 120 MB old generation, not in 100; a
 * column, a set and ~9 strings a pod had needed ~1.9 KB before the shared row lists). A node that
 * churns through short-lived pods has few records per pod: a cap from the records alone had every
 * such rebuild run out of heap and start again uncapped.
 */
export const rebuildHeapMb = (records: number, podUids = 0): number => Math.ceil(64 + (records * 12 + podUids * 1344) / 2 ** 20);

/**
 * Pod UIDs one pass of the rebuild builds (rebuild.ts): PODS_PER_PARTITION unless
 * KUBELOG_PODS_PER_PARTITION says otherwise (fewer bounds memory harder, at some speed; the tests
 * make small logs take the partitioned path with it).
 */
export function podsPerPartition(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.KUBELOG_PODS_PER_PARTITION;
  if (v === undefined || v === '') return PODS_PER_PARTITION;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`KUBELOG_PODS_PER_PARTITION must be a whole number of pods, 1 or more, not ${JSON.stringify(v)}`);
  return n;
}

/**
 * V8's young generation of a rebuild that builds its pods in several passes (more pod UIDs than a
 * pass takes), in MB. There the rebuild's peak is the command's: 1 M pod UIDs (40 passes) peaked at
 * 263 MB with V8's default, 236 MB with 8, ~12% slower (2026-12-08, quiet machine). A rebuild in
 * one pass peaks below the ingest before it (the 300 MB benchmark log: 214 MB against 273) and keeps
 * the default, which is 13-20% faster there.
 */
export const PARTITIONED_YOUNG_GENERATION_MB = 8;

function storedSize(dbPath: string, perPass: number): { records: number; podUids: number; partitioned: boolean } {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const podUids = db.prepare('SELECT count(*) FROM pod_uids').pluck().get() as number;
    return {
      records: storedRecords(db),
      // a rebuild holds one partition's pods at a time (rebuild.ts)
      podUids: Math.min(podUids, perPass),
      partitioned: podUids > perPass,
    };
  } finally {
    db.close();
  }
}

export type RebuildReply = { ok: RebuildResult } | { error: ThreadError };

/** The rebuild was stopped (its transaction never committed: nothing of it is stored). */
export class RebuildInterrupted extends Error {}

/**
 * `onUncapped`: told when the capped attempt ran out of heap and the rebuild runs again without a
 * cap. `signal`: stops it (Ctrl-C) with a RebuildInterrupted.
 */
export async function rebuildInWorker(dbPath: string, heapMb?: number, onUncapped?: () => void, signal?: AbortSignal): Promise<RebuildResult> {
  const perPass = podsPerPartition();
  const size = storedSize(dbPath, perPass);
  const young = size.partitioned ? { maxYoungGenerationSizeMb: PARTITIONED_YOUNG_GENERATION_MB } : {};
  try {
    return await attempt(dbPath, perPass, { ...young, maxOldGenerationSizeMb: heapMb ?? rebuildHeapMb(size.records, size.podUids) }, signal);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
    onUncapped?.();
    return attempt(dbPath, perPass, young, signal);
  }
}

function attempt(dbPath: string, perPass: number, limits: ResourceLimits, signal: AbortSignal | undefined): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RebuildInterrupted('interrupted'));
    const worker = new Worker(workerUrl('rebuild-worker.js', 'pipeline'), {
      workerData: { dbPath, podsPerPartition: perPass },
      resourceLimits: limits,
    });
    let reply: RebuildReply | undefined;
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (m: RebuildReply) => (reply = m));
    worker.on('error', reject);
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (!reply && signal?.aborted) return reject(new RebuildInterrupted('interrupted'));
      if (!reply) return reject(new Error(`the lifecycle rebuild stopped (exit code ${code})`));
      if ('ok' in reply) return resolve(reply.ok);
      reject(fromThreadError(reply.error));
    });
  });
}
