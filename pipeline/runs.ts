// The runs that write a database, as the commands start them, each under the database's write lock:
// an ingest (ingest/, in a worker thread) followed by the pod lifecycles rebuilt over the whole
// database, then the full-text and secondary indexes (no first view needs them); and a rebuild
// alone. Showing progress, summaries and errors is the caller's.
import type { IngestProgress, IngestResult } from '../ingest/ingest.js';
import { ingestInWorker } from '../ingest/ingest-thread.js';
import { StoreError } from '../store/errors.js';
import { lifecycleState } from '../store/lifecycle-state.js';
import { WriteLock } from '../store/write-lock.js';
import type { RebuildResult } from './rebuild.js';
import { RebuildInterrupted, rebuildInWorker } from './rebuild-thread.js';
import { IndexInterrupted, indexInWorker, type IndexResult } from './index-thread.js';

export interface IngestRunResult extends IngestResult {
  /** The lifecycle model rebuilt over the whole database after the ingest (absent when nothing was added). */
  lifecycle?: RebuildResult;
  /** The full-text index and the deferred indexes, built after the lifecycles (absent when not run). */
  indexes?: IndexResult;
}

/** The steps of an ingest run, in order. */
export type RunStep = 'records' | 'lifecycles' | 'indexes';

export interface IngestRunOptions {
  db: string;
  /** Files, directories, globs, `-`; none means stdin. */
  args: string[];
  node?: string | undefined;
  year?: number | undefined;
  tz?: string | undefined;
  jobs?: number | undefined;
  /** Stops the ingest, or the rebuild after it. */
  signal: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** The ingest has ended (stored, failed or interrupted); before the lifecycles are rebuilt. */
  onIngestEnd?: () => void;
  /** The records are stored; called before the lifecycles are rebuilt, when they are. */
  onStored?: () => void;
  onRebuild?: () => void;
  /** The pod lifecycles are stored (or were current): the pods are queryable. */
  onLifecycles?: () => void;
  /** Told each step as it starts (`kubelog serve FILE` shows them). */
  onStep?: (step: RunStep) => void;
}

/** The rebuild after an ingest failed (not interrupted); the records are stored. */
export class RebuildFailed extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** The index step after the lifecycles failed (not interrupted); records and pods are stored. */
export class IndexFailed extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/**
 * The ingest, then — when the records changed, or an ingest that was killed before it rebuilt
 * them left them stale (the database says so) — the pod lifecycles, then the full-text index and
 * the secondary indexes (also what an earlier run, killed before it finished them, left to do).
 * The write lock is taken once the inputs are read and kept to the end. `interruptedIn`: the step
 * a stop came in after the records were all stored — `lifecycles` (they stay marked stale for the
 * next ingest to build) or `indexes` (the pods are ready; the database says how far the index
 * got); `result.interrupted` is then true too.
 */
export async function ingestAndRebuild(o: IngestRunOptions): Promise<{ result: IngestRunResult; interruptedIn?: 'lifecycles' | 'indexes' }> {
  const held: { lock?: WriteLock } = {};
  try {
    let result: IngestRunResult;
    o.onStep?.('records');
    try {
      result = await ingestInWorker({
        db: o.db,
        args: o.args,
        ...(o.node ? { node: o.node } : {}),
        ...(o.year ? { year: o.year } : {}),
        ...(o.tz ? { tz: o.tz } : {}),
        ...(o.jobs ? { jobs: o.jobs } : {}),
        deferIndexes: true,
        signal: o.signal,
        takeLock: () => (held.lock = WriteLock.acquire(o.db, 'ingest')).token,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
    } finally {
      o.onIngestEnd?.();
    }
    o.onStored?.();
    if (held.lock && !result.interrupted && lifecycleState(held.lock.db).stale) {
      try {
        o.onStep?.('lifecycles');
        o.onRebuild?.();
        result.lifecycle = await rebuildInWorker(o.db, undefined, undefined, o.signal);
      } catch (e) {
        if (e instanceof RebuildInterrupted) {
          result.interrupted = true;
          // stopped after the rebuild committed: it is the index that waits
          return { result, interruptedIn: lifecycleState(held.lock.db).stale ? 'lifecycles' : 'indexes' };
        }
        if (e instanceof StoreError) throw e;
        throw new RebuildFailed(e as Error);
      }
    }
    o.onLifecycles?.();
    if (held.lock && !result.interrupted) {
      try {
        o.onStep?.('indexes');
        result.indexes = await indexInWorker(o.db, { signal: o.signal });
      } catch (e) {
        if (e instanceof IndexInterrupted) {
          result.interrupted = true;
          return { result, interruptedIn: 'indexes' };
        }
        if (e instanceof StoreError) throw e;
        throw new IndexFailed(e as Error);
      }
    }
    return { result };
  } finally {
    held.lock?.release();
  }
}

/**
 * `kubelog rebuild`: the records must not change while they are replayed, so it is refused while an
 * ingest writes; then what an ingest killed before it finished the indexes left to do.
 */
export async function rebuildStored(db: string): Promise<{ rebuild: RebuildResult; indexes: IndexResult }> {
  const lock = WriteLock.acquire(db, 'rebuild');
  try {
    const rebuild = await rebuildInWorker(db);
    return { rebuild, indexes: await indexInWorker(db) };
  } finally {
    lock.release();
  }
}
