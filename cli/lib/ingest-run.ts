// `kubelog ingest`'s work as commands share it (`ingest`, `serve FILE…`, `diff` of logs): the ingest
// with its progress bar and Ctrl-C handling, then the pod lifecycles rebuilt over the whole
// database, then the full-text and secondary indexes (no first view needs them), under one write
// lock, then the summary. Errors that stop it end the command; the exit
// code of a partial failure (an input that failed, an interrupted run) is the caller's to set.
import { Flags } from '@oclif/core';
import { StoreError } from '../../store/errors.js';
import type { IngestProgress, IngestResult } from '../../store/ingest.js';
import { IndexInterrupted, indexInWorker } from '../../store/index-thread.js';
import type { IngestStep } from '../../web/api/types.js';
import { ingestInWorker } from '../../store/ingest-thread.js';
import { lifecycleState } from '../../store/lifecycle-state.js';
import { RebuildInterrupted, rebuildInWorker } from '../../store/rebuild-thread.js';
import { WriteLock } from '../../store/write-lock.js';
import { fail } from './errors.js';
import { renderSummary } from './ingest-summary.js';
import { ProgressBar } from './progress.js';
import { safeText } from './terminal-text.js';
import { tzFlag } from './zone.js';

/** How lines are read: the flags of every command that ingests. */
export const readingFlags = {
  node: Flags.string({ description: 'node name to record (default: the syslog/journal host name in the log)' }),
  year: Flags.integer({ description: 'year of times that have none; overrides what the log says (default: from the log, else the file time)', min: 1970, max: 9999 }),
  tz: tzFlag,
};

export interface IngestRun {
  db: string;
  /** Files, directories, globs, `-`; none means stdin. */
  args: string[];
  node?: string | undefined;
  year?: number | undefined;
  tz?: string | undefined;
  jobs?: number;
  /** --json: no progress, no summary. */
  json?: boolean;
  /** No progress, no summary; failed inputs are still reported. */
  quiet?: boolean;
  /** Nothing on stderr: the caller reports what went wrong. */
  silent?: boolean;
  /** Stops the ingest as Ctrl-C does (a diff whose other side failed). */
  signal?: AbortSignal;
  /** Told each step as it starts (`kubelog serve FILE` shows them), and the records' progress. */
  onStep?: (step: Extract<IngestStep, 'records' | 'lifecycles' | 'indexes'>) => void;
  onProgress?: (p: IngestProgress) => void;
}

/** The signal that interrupted the ingest. */
let stopSignal: NodeJS.Signals | undefined;

/** The exit code of an interrupted ingest, as a shell reports a process its signal stopped: 130 for SIGINT, 143 for SIGTERM. */
export function interruptedExitCode(): number {
  return stopSignal === 'SIGTERM' ? 143 : 130;
}

export async function runIngest(o: IngestRun): Promise<IngestResult> {
  const json = !!o.json || !!o.silent;
  const bar = new ProgressBar();
  const showBar = !json && !o.quiet && bar.enabled;
  const abort = new AbortController();
  let signals = 0;
  const onSigint = (signal: NodeJS.Signals) => {
    stopSignal = signal;
    if (++signals > 1) process.exit(interruptedExitCode());
    if (showBar) bar.done();
    if (!json) process.stderr.write('interrupted: storing what is complete … (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const onAbort = () => abort.abort();
  o.signal?.addEventListener('abort', onAbort);
  // taken once the inputs are read, kept until the lifecycles are rebuilt
  const held: { lock?: WriteLock } = {};
  try {
    return await ingestAndRebuild(o, abort.signal, held, showBar ? bar : undefined);
  } finally {
    held.lock?.release();
    o.signal?.removeEventListener('abort', onAbort);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

async function ingestAndRebuild(o: IngestRun, signal: AbortSignal, held: { lock?: WriteLock }, bar: ProgressBar | undefined): Promise<IngestResult> {
  const json = !!o.json || !!o.silent;
  let result: IngestResult;
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
      signal,
      takeLock: () => (held.lock = WriteLock.acquire(o.db, 'ingest')).token,
      ...(bar || o.onProgress
        ? {
            onProgress: (p: IngestProgress) => {
              bar?.update(p);
              o.onProgress?.(p);
            },
          }
        : {}),
    });
  } finally {
    bar?.done();
  }
  if (process.env.KUBELOG_RUSAGE) process.stderr.write(`kubelog-rusage-ingest ${rusage()}\n`);
  // the derived pods, phases and incidents follow the records: rebuilt when the records changed,
  // and after an ingest that was killed before it rebuilt them (the database says so)
  if (held.lock && !result.interrupted && lifecycleState(held.lock.db).stale) {
    try {
      o.onStep?.('lifecycles');
      if (bar) process.stderr.write('building pod lifecycles …\r');
      result.lifecycle = await rebuildInWorker(o.db, undefined, undefined, signal);
    } catch (e) {
      if (e instanceof RebuildInterrupted) {
        // the records are all stored; the lifecycles stay marked stale for the next ingest to build,
        // unless the rebuild had committed them when it was stopped (then it is the index that waits)
        result.interrupted = true;
        if (!json) process.stderr.write(lifecycleState(held.lock.db).stale ? `interrupted while building the pod lifecycles: run the same command again to build them\n` : indexInterrupted(o.db));
        return result;
      }
      if (e instanceof StoreError) throw e;
      fail(`${o.db}: building pod lifecycles failed: ${(e as Error).message}`, { exit: 1, code: 'REBUILD_FAILED', input: o.db });
    }
  }
  if (process.env.KUBELOG_RUSAGE) process.stderr.write(`kubelog-rusage-lifecycles ${rusage()}\n`);
  // the full-text index and the secondary indexes no first view needs: after the pods are queryable;
  // also what an earlier ingest, killed before it finished them, left to do
  if (held.lock && !result.interrupted) {
    try {
      o.onStep?.('indexes');
      if (bar) process.stderr.write('building the search index …\r');
      result.indexes = await indexInWorker(o.db, { signal });
    } catch (e) {
      if (e instanceof IndexInterrupted) {
        // records and pods are all stored; the database says how far the index got
        result.interrupted = true;
        if (!json) process.stderr.write(indexInterrupted(o.db));
        return result;
      }
      if (e instanceof StoreError) throw e;
      fail(`${o.db}: building the search index failed: ${(e as Error).message}`, { exit: 1, code: 'INDEX_FAILED', input: o.db });
    }
  }
  if (!json && !o.quiet) process.stderr.write(renderSummary(result));
  for (const s of result.sources) if (s.error && !json) process.stderr.write(`error: ${safeText(s.error)}\n`);
  if (result.interrupted && !json) {
    const cut = result.sources.find((s) => s.status === 'interrupted');
    process.stderr.write(`interrupted${cut?.note ? `: ${safeText(cut.path)}: ${safeText(cut.note)}` : ''}\n`);
  }
  return result;
}

const indexInterrupted = (db: string): string =>
  `interrupted while building the search index: the pods are ready; run the same command again (or kubelog rebuild --db ${safeText(db)}) to finish it\n`;

/** Peak RSS and CPU time so far, for benchmarks (KUBELOG_RUSAGE=1). */
export function rusage(): string {
  const u = process.resourceUsage();
  return JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime, atMs: Math.round(performance.now()) });
}

/** For benchmarks (KUBELOG_RUSAGE=1): the whole process's peak RSS and CPU time (worker threads included) on stderr at exit. */
export function reportRusageAtExit(): void {
  if (process.env.KUBELOG_RUSAGE) process.on('exit', () => process.stderr.write(`kubelog-rusage ${rusage()}\n`));
}
