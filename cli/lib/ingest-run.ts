// `kubelog ingest`'s work as commands share it (`ingest`, and `serve FILE…`): the ingest with its
// progress bar and Ctrl-C handling, then the pod lifecycles rebuilt over the whole database, then
// the summary. Errors that stop it end the command; the exit code of a partial failure (an input
// that failed, an interrupted run) is the caller's to set.
import { Flags, type Command } from '@oclif/core';
import { InputReadError, StoreError } from '../../store/errors.js';
import type { IngestResult } from '../../store/ingest.js';
import { ingestInWorker } from '../../store/ingest-thread.js';
import { rebuildInWorker } from '../../store/rebuild-thread.js';
import { renderSummary } from './ingest-summary.js';
import { ProgressBar } from './progress.js';

/** How lines are read: the flags of every command that ingests. */
export const readingFlags = {
  node: Flags.string({ description: 'node name to record (default: the syslog/journal host name in the log)' }),
  year: Flags.integer({ description: 'year of times that have none; overrides what the log says (default: from the log, else the file time)', min: 1970, max: 9999 }),
  tz: Flags.string({ description: 'zone of times that have none, overriding what the log says: UTC, +08:00, or a name like Europe/Berlin (default: from the log, else UTC)' }),
};

export interface IngestRun {
  db: string;
  /** Files, directories, globs, `-`; none means stdin. */
  args: string[];
  node?: string | undefined;
  year?: number | undefined;
  tz?: string | undefined;
  jobs?: number;
  /** --json: no progress, no summary, errors as the command's. */
  json?: boolean;
  quiet?: boolean;
}

export async function runIngest(cmd: Command, o: IngestRun): Promise<IngestResult> {
  const json = !!o.json;
  const bar = new ProgressBar();
  const showBar = !json && !o.quiet && bar.enabled;
  const abort = new AbortController();
  let sigints = 0;
  const onSigint = () => {
    if (++sigints > 1) process.exit(130);
    if (showBar) bar.done();
    if (!json) process.stderr.write('interrupted: storing what is complete … (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let result: IngestResult;
  try {
    result = await ingestInWorker({
      db: o.db,
      args: o.args,
      ...(o.node ? { node: o.node } : {}),
      ...(o.year ? { year: o.year } : {}),
      ...(o.tz ? { tz: o.tz } : {}),
      ...(o.jobs ? { jobs: o.jobs } : {}),
      signal: abort.signal,
      ...(showBar ? { onProgress: (p) => bar.update(p) } : {}),
    });
  } catch (e) {
    if (showBar) bar.done();
    const exit = e instanceof InputReadError ? 2 : e instanceof StoreError ? 1 : 0;
    if (!exit) throw e;
    if (json) cmd.error((e as Error).message, { exit });
    // one unwrapped line naming the file: easy to read, easy to grep
    process.stderr.write(`error: ${(e as Error).message}\n`);
    cmd.exit(exit);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (showBar) bar.done();
  if (process.env.KUBELOG_RUSAGE) process.stderr.write(`kubelog-rusage-ingest ${rusage()}\n`);
  // the derived pods, phases and anomalies follow the records (skipped when nothing was added)
  const added = result.sources.some((s) => s.added.records > 0);
  if (added && !result.interrupted) {
    try {
      if (showBar) process.stderr.write('building pod lifecycles …\r');
      result.lifecycle = await rebuildInWorker(o.db);
    } catch (e) {
      const msg = e instanceof StoreError ? e.message : `${o.db}: building pod lifecycles failed: ${(e as Error).message}`;
      if (json) cmd.error(msg, { exit: 1 });
      process.stderr.write(`error: ${msg}\n`);
      cmd.exit(1);
    }
  }
  if (!json && !o.quiet) process.stderr.write(renderSummary(result));
  for (const s of result.sources) if (s.status === 'failed' && !json) process.stderr.write(`error: ${s.error}\n`);
  if (result.interrupted && !json) {
    const cut = result.sources.find((s) => s.status === 'interrupted');
    process.stderr.write(`interrupted${cut?.note ? `: ${cut.path}: ${cut.note}` : ''}\n`);
  }
  return result;
}

/** Peak RSS and CPU time so far, for benchmarks (KUBELOG_RUSAGE=1). */
export function rusage(): string {
  const u = process.resourceUsage();
  return JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime, atMs: Math.round(performance.now()) });
}

/** For benchmarks (KUBELOG_RUSAGE=1): the whole process's peak RSS and CPU time (worker threads included) on stderr at exit. */
export function reportRusageAtExit(): void {
  if (process.env.KUBELOG_RUSAGE) process.on('exit', () => process.stderr.write(`kubelog-rusage ${rusage()}\n`));
}
