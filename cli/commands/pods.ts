import { Flags } from '@oclif/core';
import { countPods, iteratePods, SORTS, STATES, type PodFilter, type PodRow, type PodSort } from '../../pipeline/pods.js';
import type { PodState } from '../../lifecycle/model.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, openForReading, parseTime, warnNewestFirst } from '../lib/db.js';
import { fail } from '../lib/errors.js';
import { reportRusageAtExit } from '../lib/ingest-run.js';
import { noPodsText, PodsTable } from '../lib/render-pods.js';
import { StdoutWriter } from '../lib/stdout.js';
import { safeJson } from '../lib/terminal-text.js';
import { wantsColor } from '../lib/color.js';

/** The --json answer (schemas/pods.schema.json), written as a stream: see `run`. */
export interface PodsResult {
  db: string;
  total: number;
  pods: PodRow[];
}

export default class Pods extends KubelogCommand {
  static override summary = 'List the pods of an ingested log: their state, phases with durations, incidents.';
  static override description = `One row per pod (per UID): its name, when it was first seen, the state its record ends in
(running, terminating, stuck-terminating, …), how long it spent in the pod worker's sync,
terminating and terminated phases (≥ when the log ended inside one), and its incidents. Filter
and sort to find the pods that hang in Terminating or fail to die.`;
  static override examples = [
    '<%= config.bin %> pods --incidents',
    '<%= config.bin %> pods --state stuck-terminating --state terminating --sort terminating --desc',
    '<%= config.bin %> pods --namespace default --name "nginx-*" --sort terminating --desc',
    '<%= config.bin %> pods --since 2024-06-07T06:00:00Z --until 2024-06-07T07:00:00Z --json',
  ];
  static override flags = {
    db: dbFlag,
    namespace: Flags.string({ char: 'n', description: 'only pods in this namespace' }),
    name: Flags.string({ description: 'only pods whose name matches this glob (nginx-*)' }),
    incidents: Flags.boolean({ char: 'i', description: 'only pods with incidents' }),
    severity: Flags.string({ description: 'only pods with an incident at least this severe', options: ['critical', 'error', 'warning', 'info'] }),
    state: Flags.string({ description: 'only pods whose record ends in this state (repeat for several)', options: [...STATES], multiple: true }),
    since: Flags.string({ description: 'only pods seen at or after this time (ISO 8601 or epoch seconds)' }),
    until: Flags.string({ description: 'only pods seen at or before this time' }),
    sort: Flags.string({ description: 'sort by', options: [...SORTS], default: 'start' }),
    desc: Flags.boolean({ description: 'largest first' }),
    limit: Flags.integer({ description: 'at most this many rows', min: 1 }),
  };

  /**
   * Writes its answer itself, a pod at a time, as text or as the JSON of PodsResult: a database of
   * a million pods would not fit in one string (V8's limit is ~512 MB), nor its rows in the stack.
   */
  async run(): Promise<void> {
    reportRusageAtExit();
    const { flags } = await this.parse(Pods);
    const time = (flag: 'since' | 'until'): number | undefined => {
      const text = flags[flag];
      if (text === undefined) return undefined;
      return parseTime(text) ?? fail(`--${flag} ${text}: not a time (use 2024-06-07T06:00:00Z)`, { exit: 2, code: 'INVALID_TIME', input: `--${flag} ${text}` });
    };
    const sinceUs = time('since');
    const untilUs = time('until');
    const db = openForReading(flags.db);
    try {
      warnNewestFirst(db);
      const filter: PodFilter = {
        ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.incidents ? { withIncidents: true } : {}),
        ...(flags.severity !== undefined ? { minSeverity: ['critical', 'error', 'warning', 'info'].indexOf(flags.severity) } : {}),
        ...(flags.state !== undefined ? { states: flags.state as PodState[] } : {}),
        ...(sinceUs !== undefined ? { sinceUs } : {}),
        ...(untilUs !== undefined ? { untilUs } : {}),
        sort: flags.sort as PodSort,
        desc: flags.desc,
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      };
      const total = countPods(db, filter);
      const out = new StdoutWriter();
      const write = async (s: string) => {
        out.write(s);
        if (out.needsDrain) await out.drained();
      };
      if (this.jsonEnabled()) {
        await write(`{\n  "db": ${safeJson(flags.db)},\n  "total": ${total},\n  "pods": [`);
        let first = true;
        for (const p of iteratePods(db, filter)) {
          await write(`${first ? '' : ','}\n    ${safeJson(p)}`);
          first = false;
          if (out.closed) break;
        }
        await write(`${first ? '' : '\n  '}]\n}\n`);
      } else {
        const shown = Math.min(flags.limit ?? total, total);
        if (shown === 0) await write(noPodsText(total));
        else {
          // piped into a script, names are whole: only a terminal's width cuts them
          const table = new PodsTable({ width: process.stdout.isTTY ? (process.stdout.columns ?? 120) : Number.POSITIVE_INFINITY, color: wantsColor() });
          for (const p of iteratePods(db, filter)) table.measure(p);
          await write(table.header());
          for (const row of table.rows(iteratePods(db, filter))) {
            await write(row);
            if (out.closed) break; // `kubelog pods | head`
          }
          await write(table.footer(shown, total));
        }
      }
      await out.finish();
    } finally {
      db.close();
    }
  }
}
