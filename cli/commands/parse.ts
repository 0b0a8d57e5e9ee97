import { Args, Flags } from '@oclif/core';
import { KubelogCommand } from '../lib/command.js';
import { fail } from '../lib/errors.js';
import { checkZone, tzFlag } from '../lib/zone.js';
import { KubeletLogParser, type ParseCounts, type ParseEvent } from '../../parser/index.js';
import { InputError, openInput } from '../lib/input.js';
import { toNdjsonRecord } from '../lib/ndjson.js';
import { formatCounts } from '../lib/summary.js';
import { describeTimes } from '../lib/time-summary.js';
import { StdoutWriter } from '../lib/stdout.js';
import { safeJson, safeText } from '../lib/terminal-text.js';

export default class Parse extends KubelogCommand {
  static override summary = 'Parse kubelet logs and print one JSON object per record (NDJSON), storing nothing.';
  static override description = `Reads each FILE (plain or gzip), or stdin when no FILE or "-" is given, in any envelope
kubelog knows (rsyslog, journalctl short/short-iso/json, bare klog, kubelet JSON) and prints
every record as one JSON line: handy with jq. A summary goes to stderr at the end. With --json,
an error ends the output as one more line, {"error": …}.`;
  static override examples = [
    '<%= config.bin %> parse /var/log/kubelet/kubelet.log | jq -c "select(.severity==\\"E\\")"',
    'journalctl -u kubelet -o json | <%= config.bin %> parse',
    '<%= config.bin %> parse --year 2024 --tz +08:00 kubelet.log-20240607.gz',
  ];
  static override strict = false;
  static override args = {
    // ignoreStdin: oclif would otherwise read all of a piped stdin into this argument
    file: Args.string({ description: 'log files to read ("-" for stdin); stdin when none', ignoreStdin: true }),
  };
  static override flags = {
    year: Flags.integer({ description: 'year of times that have none; overrides what the log says (default: from the log, else the file time)', min: 1970, max: 9999 }),
    tz: tzFlag,
    all: Flags.boolean({ description: 'also print foreign and rejected lines, as {"type":"foreign"|"rejected",…}' }),
    quiet: Flags.boolean({ char: 'q', description: 'no diagnostics and no summary on stderr' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Parse);
    const files = (argv as string[]).length ? (argv as string[]) : ['-'];
    if (flags.tz) checkZone(flags.tz);
    const out = new StdoutWriter();
    const started = process.hrtime.bigint();
    const totals: ParseCounts[] = [];
    const times: string[] = [];
    let shownDiagnostics = 0;
    for (const file of files) {
      let input;
      try {
        input = await openInput(file);
      } catch (e) {
        // what was parsed before goes out first: an error line under --json ends the stream
        await out.finish();
        if (e instanceof InputError) fail(e.message, { exit: 2, code: 'INPUT_UNREADABLE', input: file });
        throw e;
      }
      const label = files.length > 1 ? file : undefined;
      const parser = new KubeletLogParser(
        { ...(flags.year ? { year: flags.year } : {}), ...(input.mtimeYear ? { fallbackYear: input.mtimeYear } : {}), ...(flags.tz ? { tz: flags.tz } : {}) },
        (e: ParseEvent) => {
          if (e.type === 'record') out.write(toNdjsonRecord(e.record, label));
          else if (e.type === 'diagnostic') {
            if (!flags.quiet && e.diagnostic.level !== 'info' && shownDiagnostics++ < 20) {
              process.stderr.write(`${safeText(input.name)}:${e.diagnostic.line}: ${e.diagnostic.level}: ${safeText(e.diagnostic.message)}\n`);
            }
          } else if (flags.all) {
            out.write(safeJson(e.type === 'foreign' ? { type: 'foreign', ...e.foreign } : { type: 'rejected', ...e.rejected }) + '\n');
          }
        },
      );
      let failure: InputError | undefined;
      try {
        for await (const chunk of input.chunks) {
          parser.push(chunk);
          if (out.needsDrain) await out.drained();
          if (out.closed) break;
        }
      } catch (e) {
        failure = e instanceof InputError ? e : new InputError(`${file}: ${(e as Error).message}`);
      }
      // downstream (head, jq) went away: stop quietly, like any Unix filter on a closed pipe; the
      // line cut by the last chunk was not read to its end, so it is not parsed (nor warned about)
      if (out.closed) return;
      // the records read before a failure are printed too: a cut .gz gives everything up to the cut
      totals.push(parser.end());
      times.push(...describeTimes(parser.timeReport()).map((l, i) => (files.length > 1 && i === 0 ? `${file}: ${l}` : l)));
      if (failure) {
        await out.finish();
        if (!flags.quiet) this.summary(totals, times, started, shownDiagnostics);
        const where = failure.gzip ? `; the records of the ${totals[totals.length - 1]!.linesRead} lines before it were printed` : '';
        fail(`${failure.message}${where}`, { exit: 2, code: failure.gzip ? 'INPUT_DAMAGED' : 'INPUT_UNREADABLE', input: file });
      }
    }
    await out.finish();
    if (out.closed) return;
    if (!flags.quiet) this.summary(totals, times, started, shownDiagnostics);
  }

  private summary(totals: ParseCounts[], times: string[], started: bigint, shownDiagnostics: number): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (shownDiagnostics > 20) process.stderr.write(`… ${shownDiagnostics - 20} more diagnostics not shown
`);
    process.stderr.write(`${formatCounts(totals, seconds)}
`);
    for (const l of times) process.stderr.write(`${safeText(l)}
`);
  }
}
