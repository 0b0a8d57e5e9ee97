import { randomUUID } from 'node:crypto';
import { Args, Flags } from '@oclif/core';
import { findPods, podDetail, podEvents } from '../../pipeline/pods.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, openForReading, warnNewestFirst } from '../lib/db.js';
import { reportRusageAtExit } from '../lib/ingest-run.js';
import { fail } from '../lib/errors.js';
import { renderPodEvent, renderPodHead } from '../lib/render-pod.js';
import { renderPods } from '../lib/render-pods.js';
import { wantsColor } from '../lib/color.js';
import { safeJson } from '../lib/terminal-text.js';
import { StdoutWriter } from '../lib/stdout.js';

/** Stands in the JSON of the view for its events, written one by one in its place: no log text can guess it. */
const eventsHere = (): string => `\u0000events ${randomUUID()}`;

export default class Pod extends KubelogCommand {
  static override summary = "One pod's timeline: its state, phases, incidents, and every event with its time.";
  static override description = `Finds the pod by UID, UID prefix (4+ characters), namespace/name or name, and shows its
phases as bars scaled to the terminal, then its incidents, then every record that names it with
the time since its first record and the lane (api, worker, runtime, network, volumes, cgroups,
status, probes, errors). --raw adds the log lines themselves.`;
  static override examples = ['<%= config.bin %> pod 4f3761db', '<%= config.bin %> pod default/nginx-deployment-9456bbbf9-cvrr7 --raw', '<%= config.bin %> pod 4f3761db --json | jq .phases'];
  static override args = { pod: Args.string({ description: 'UID, UID prefix, namespace/name or name', required: true, ignoreStdin: true }) };
  static override flags = {
    db: dbFlag,
    raw: Flags.boolean({ description: 'show the raw log lines of every event' }),
  };

  /**
   * Writes its answer itself, the events a page at a time, as text or as the JSON of PodView
   * (schemas/pod.schema.json): a pod of a million events would not fit in memory as one view.
   */
  async run(): Promise<void> {
    const { args, flags } = await this.parse(Pod);
    reportRusageAtExit();
    const db = openForReading(flags.db);
    try {
      warnNewestFirst(db);
      const found = findPods(db, args.pod);
      if (found.length === 0) fail(`no pod matches "${args.pod}" in ${flags.db} (try: kubelog pods --name "*part-of-name*")`, { exit: 1, code: 'POD_NOT_FOUND', input: args.pod });
      if (found.length > 1) {
        const list = renderPods(found, found.length, { width: process.stderr.columns ?? 120, color: false });
        fail(`"${args.pod}" matches ${found.length} pods; give the UID (or a longer prefix):\n${list}`, { exit: 1, code: 'POD_AMBIGUOUS', input: args.pod });
      }
      const id = found[0]!.id;
      const view = podDetail(db, id, { events: false })!;
      const events = podEvents(db, id, { raw: flags.raw || this.jsonEnabled() });
      const out = new StdoutWriter();
      const write = async (s: string) => {
        out.write(s);
        if (out.needsDrain) await out.drained();
      };
      if (this.jsonEnabled()) {
        const here = eventsHere();
        const [head, tail] = safeJson({ ...view, events: here }, 2).split(safeJson(here)) as [string, string];
        await write(`${head}[`);
        let first = true;
        for (const e of events) {
          await write(`${first ? '' : ','}\n    ${safeJson(e)}`);
          first = false;
          if (out.closed) break;
        }
        await write(`${first ? '' : '\n  '}]${tail}\n`);
      } else {
        const o = { width: process.stdout.columns ?? 120, color: wantsColor(), raw: flags.raw };
        const count = db.prepare('SELECT count(*) FROM pod_events_view WHERE pod_id = ?').pluck().get(id) as number;
        await write(renderPodHead(view, count, o));
        for (const e of events) {
          await write(renderPodEvent(e, view.first, o));
          if (out.closed) break; // `kubelog pod … | head`
        }
      }
      await out.finish();
    } finally {
      db.close();
    }
  }
}
