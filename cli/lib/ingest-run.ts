// `kubelog ingest`'s work as commands share it (`ingest`, `serve FILE…`, `diff` of logs): the ingest
// and the pod lifecycles rebuilt after it, then the indexes (pipeline/runs.ts), with the progress
// bar and Ctrl-C handling, then the summary. Errors that stop it end the command; the exit
// code of a partial failure (an input that failed, an interrupted run) is the caller's to set.
import { Flags } from '@oclif/core';
import type { IngestProgress } from '../../ingest/ingest.js';
import { IndexFailed, ingestAndRebuild, RebuildFailed, type IngestRunResult, type RunStep } from '../../pipeline/runs.js';
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
  onStep?: (step: RunStep) => void;
  onProgress?: (p: IngestProgress) => void;
}

/** The signal that interrupted the ingest. */
let stopSignal: NodeJS.Signals | undefined;

/** The exit code of an interrupted ingest, as a shell reports a process its signal stopped: 130 for SIGINT, 143 for SIGTERM. */
export function interruptedExitCode(): number {
  return stopSignal === 'SIGTERM' ? 143 : 130;
}

export async function runIngest(o: IngestRun): Promise<IngestRunResult> {
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
  try {
    return await ingestAndReport(o, abort.signal, showBar ? bar : undefined);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

async function ingestAndReport(o: IngestRun, signal: AbortSignal, bar: ProgressBar | undefined): Promise<IngestRunResult> {
  const json = !!o.json || !!o.silent;
  let run: Awaited<ReturnType<typeof ingestAndRebuild>>;
  try {
    run = await ingestAndRebuild({
      db: o.db,
      args: o.args,
      node: o.node,
      year: o.year,
      tz: o.tz,
      jobs: o.jobs,
      signal,
      ...(bar || o.onProgress
        ? {
            onProgress: (p: IngestProgress) => {
              bar?.update(p);
              o.onProgress?.(p);
            },
          }
        : {}),
      ...(bar ? { onRebuild: () => process.stderr.write('building pod lifecycles …\r') } : {}),
      ...(o.onStep ? { onStep: o.onStep } : {}),
      onIngestEnd: () => bar?.done(),
      onStored: () => {
        if (process.env.KUBELOG_RUSAGE) process.stderr.write(`kubelog-rusage-ingest ${rusage()}\n`);
      },
      onLifecycles: () => {
        if (process.env.KUBELOG_RUSAGE) process.stderr.write(`kubelog-rusage-lifecycles ${rusage()}\n`);
        if (bar) process.stderr.write('building the search index …\r');
      },
    });
  } catch (e) {
    if (e instanceof RebuildFailed) fail(`${o.db}: building pod lifecycles failed: ${e.message}`, { exit: 1, code: 'REBUILD_FAILED', input: o.db });
    if (e instanceof IndexFailed) fail(`${o.db}: building the search index failed: ${e.message}`, { exit: 1, code: 'INDEX_FAILED', input: o.db });
    throw e;
  }
  const { result } = run;
  if (run.interruptedIn) {
    if (!json) process.stderr.write(run.interruptedIn === 'lifecycles' ? `interrupted while building the pod lifecycles: run the same command again to build them\n` : indexInterrupted(o.db));
    return result;
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
