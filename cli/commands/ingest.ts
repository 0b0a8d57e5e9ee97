import { Args, Command, Flags } from '@oclif/core';
import { checkZone } from '../lib/zone.js';
import { openDatabase } from '../../store/db.js';
import { rebuildLifecycles } from '../../store/lifecycle.js';
import { ingest, type Counts, type IngestResult } from '../../store/ingest.js';
import { InputReadError, StoreError } from '../../store/errors.js';
import { ProgressBar } from '../lib/progress.js';

export default class Ingest extends Command {
  static override summary = 'Parse kubelet logs into a SQLite database that the other commands read.';
  static override description = `Reads each FILE (plain or gzip; a directory means the files in it; a quoted glob such as
'kubelet.log*' is expanded), or stdin when no FILE or "-" is given, and stores every line:
records, foreign lines (other programs, blanks) and rejected lines, with full-text search.
A rotated set is read oldest first, by the time of its content.

Ingesting the same bytes again adds nothing; a file that has grown adds only its new part; an
ingest that was interrupted (Ctrl-C, kill) continues where it stopped when run again.`;
  static override examples = [
    '<%= config.bin %> ingest /var/log/kubelet/kubelet.log*',
    'cat /var/log/kubelet/kubelet.log | <%= config.bin %> ingest --db node-1.db',
    'journalctl -u kubelet -o json | <%= config.bin %> ingest',
    '<%= config.bin %> ingest --year 2024 --tz +08:00 /var/log/kubelet/',
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ description: 'log files, directories or globs ("-" for stdin); stdin when none', ignoreStdin: true }),
  };
  static override flags = {
    db: Flags.string({ description: 'database file (created if missing)', default: 'kubelog.db', env: 'KUBELOG_DB' }),
    node: Flags.string({ description: 'node name to record (default: the syslog/journal host name in the log)' }),
    year: Flags.integer({ description: 'year for timestamps that have none (default: from the log, else the file time)', min: 1970, max: 9999 }),
    tz: Flags.string({ description: 'zone of klog times when the log does not say: UTC, +08:00, or a name like Europe/Berlin' }),
    jobs: Flags.integer({ description: 'files parsed at once, each in its own worker thread', min: 1, max: 16, default: 1 }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress bar and no summary' }),
  };

  async run(): Promise<IngestResult> {
    if (process.env.KUBELOG_RUSAGE) {
      // for benchmarks: the whole process's peak RSS and CPU time (worker threads included)
      process.on('exit', () => process.stderr.write(`kubelog-rusage ${rusage()}\n`));
    }
    const { argv, flags } = await this.parse(Ingest);
    const json = this.jsonEnabled();
    if (flags.tz) checkZone(flags.tz, this);
    const bar = new ProgressBar();
    const showBar = !json && !flags.quiet && bar.enabled;
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
      result = await ingest({
        db: flags.db,
        args: argv as string[],
        ...(flags.node ? { node: flags.node } : {}),
        ...(flags.year ? { year: flags.year } : {}),
        ...(flags.tz ? { tz: flags.tz } : {}),
        jobs: flags.jobs,
        signal: abort.signal,
        ...(showBar ? { onProgress: (p) => bar.update(p) } : {}),
      });
    } catch (e) {
      if (showBar) bar.done();
      const exit = e instanceof InputReadError ? 2 : e instanceof StoreError ? 1 : 0;
      if (!exit) throw e;
      if (json) this.error((e as Error).message, { exit });
      // one unwrapped line naming the file: easy to read, easy to grep
      process.stderr.write(`error: ${(e as Error).message}\n`);
      this.exit(exit);
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
        const db = openDatabase(flags.db);
        try {
          result.lifecycle = rebuildLifecycles(db);
        } finally {
          db.close();
        }
      } catch (e) {
        const msg = e instanceof StoreError ? e.message : `${flags.db}: building pod lifecycles failed: ${(e as Error).message}`;
        if (json) this.error(msg, { exit: 1 });
        process.stderr.write(`error: ${msg}\n`);
        this.exit(1);
      }
    }
    if (!json && !flags.quiet) process.stderr.write(renderSummary(result));
    for (const s of result.sources) if (s.status === 'failed' && !json) process.stderr.write(`error: ${s.error}\n`);
    if (result.interrupted) {
      if (!json) {
        const cut = result.sources.find((s) => s.status === 'interrupted');
        process.stderr.write(`interrupted${cut?.note ? `: ${cut.path}: ${cut.note}` : ''}\n`);
      }
      process.exitCode = 130;
    } else if (result.failed > 0) process.exitCode = 1;
    return result;
  }
}

/** Peak RSS and CPU time so far, for benchmarks (KUBELOG_RUSAGE=1). */
function rusage(): string {
  const u = process.resourceUsage();
  return JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime, atMs: Math.round(performance.now()) });
}

function breakdown(m: Record<string, number>): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v)
    .map(([k, v]) => `${v} ${k}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function formatLineCounts(c: Counts): string {
  return `${c.linesRead} lines read: ${c.records} records in ${c.recordLines} lines, ${c.foreign} foreign${breakdown(c.foreignByKind)}, ${c.rejected} rejected${breakdown(c.rejectedByReason)}`;
}

export function renderSummary(r: IngestResult): string {
  const out: string[] = [];
  for (const s of r.sources) {
    const what = s.status === 'failed' ? 'failed' : s.status === 'unchanged' ? 'unchanged, nothing to add' : formatLineCounts(s.added);
    out.push(`${s.status.padEnd(11)} ${s.path}${s.id !== null ? ` (source ${s.id})` : ''}: ${what}${s.note ? `; ${s.note}` : ''}`);
  }
  const t = r.totals;
  out.push(`${formatLineCounts(t)}; ${t.diagnostics} diagnostics`);
  for (const x of r.rejectedSamples) out.push(`  rejected ${x.input}:${x.line}: ${x.code}: ${x.message}`);
  if (t.rejected > r.rejectedSamples.length && r.rejectedSamples.length) out.push(`  … ${t.rejected - r.rejectedSamples.length} more rejected lines (table lines_other)`);
  const span = r.timeSpan.first ? `; ${r.timeSpan.first} … ${r.timeSpan.last}` : '';
  out.push(`${r.podsSeen} pods seen${span}`);
  if (r.lifecycle) {
    const l = r.lifecycle;
    out.push(`${l.pods} pod lifecycles, ${l.anomalies} anomalies${l.restarts ? `, ${l.restarts} kubelet restarts` : ''} (${l.seconds.toFixed(2)} s): kubelog pods --db ${r.db}`);
  }
  out.push(`${(t.contentBytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s (${r.mbPerSecond.toFixed(1)} MB/s) into ${r.db}`);
  return out.join('\n') + '\n';
}
