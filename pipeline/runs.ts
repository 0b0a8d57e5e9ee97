// The runs that write a database, as the commands start them, each under the database's write lock:
// an ingest (ingest/, in a worker thread) followed by the pod lifecycles rebuilt over the whole
// database, and a rebuild alone. Showing progress, summaries and errors is the caller's.
import type { IngestProgress, IngestResult } from '../ingest/ingest.js';
import { ingestInWorker } from '../ingest/ingest-thread.js';
import { StoreError } from '../store/errors.js';
import { lifecycleState } from '../store/lifecycle-state.js';
import { WriteLock } from '../store/write-lock.js';
import type { RebuildResult } from './rebuild.js';
import { RebuildInterrupted, rebuildInWorker } from './rebuild-thread.js';

export interface IngestRunResult extends IngestResult {
  /** The lifecycle model rebuilt over the whole database after the ingest (absent when nothing was added). */
  lifecycle?: RebuildResult;
}

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
}

/** The rebuild after an ingest failed (not interrupted); the records are stored. */
export class RebuildFailed extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/**
 * The ingest, then — when the records changed, or an ingest that was killed before it rebuilt
 * them left them stale (the database says so) — the pod lifecycles. The write lock is taken once
 * the inputs are read and kept until the lifecycles are rebuilt. `rebuildInterrupted`: the records
 * are all stored and the lifecycles stay marked stale for the next ingest to build
 * (`result.interrupted` is then true too).
 */
export async function ingestAndRebuild(o: IngestRunOptions): Promise<{ result: IngestRunResult; rebuildInterrupted: boolean }> {
  const held: { lock?: WriteLock } = {};
  try {
    let result: IngestRunResult;
    try {
      result = await ingestInWorker({
        db: o.db,
        args: o.args,
        ...(o.node ? { node: o.node } : {}),
        ...(o.year ? { year: o.year } : {}),
        ...(o.tz ? { tz: o.tz } : {}),
        ...(o.jobs ? { jobs: o.jobs } : {}),
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
        o.onRebuild?.();
        result.lifecycle = await rebuildInWorker(o.db, undefined, undefined, o.signal);
      } catch (e) {
        if (e instanceof RebuildInterrupted) {
          result.interrupted = true;
          return { result, rebuildInterrupted: true };
        }
        if (e instanceof StoreError) throw e;
        throw new RebuildFailed(e as Error);
      }
    }
    return { result, rebuildInterrupted: false };
  } finally {
    held.lock?.release();
  }
}

/** `kubelog rebuild`: the records must not change while they are replayed, so it is refused while an ingest writes. */
export async function rebuildStored(db: string): Promise<RebuildResult> {
  const lock = WriteLock.acquire(db, 'rebuild');
  try {
    return await rebuildInWorker(db);
  } finally {
    lock.release();
  }
}
