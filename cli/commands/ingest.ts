import { Args, Flags } from '@oclif/core';
import { KubelogCommand } from '../lib/command.js';
import { checkZone } from '../lib/zone.js';
import type { IngestRunResult } from '../../pipeline/runs.js';
import { interruptedExitCode, readingFlags, reportRusageAtExit, runIngest } from '../lib/ingest-run.js';

export default class Ingest extends KubelogCommand {
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
  static override args = {
    file: Args.string({ description: 'log files, directories or globs ("-" for stdin); stdin when none', ignoreStdin: true }),
  };
  static override flags = {
    db: Flags.string({ description: 'database file (created if missing)', default: 'kubelog.db', env: 'KUBELOG_DB' }),
    ...readingFlags,
    jobs: Flags.integer({ description: 'files parsed at once, each in its own worker thread', min: 1, max: 16, default: 1 }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress bar and no summary' }),
  };

  async run(): Promise<IngestRunResult> {
    reportRusageAtExit();
    const { argv, flags } = await this.parse(Ingest);
    if (flags.tz) checkZone(flags.tz);
    const result = await runIngest({ db: flags.db, args: argv as string[], node: flags.node, year: flags.year, tz: flags.tz, jobs: flags.jobs, json: this.jsonEnabled(), quiet: flags.quiet });
    if (result.interrupted) process.exitCode = interruptedExitCode();
    else if (result.failed > 0) process.exitCode = 1;
    return result;
  }
}
