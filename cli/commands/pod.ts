import { Args, Flags } from '@oclif/core';
import { findPods, podDetail } from '../../pipeline/pods.js';
import type { PodView } from '../../lifecycle/view.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, openForReading, warnNewestFirst } from '../lib/db.js';
import { reportRusageAtExit } from '../lib/ingest-run.js';
import { fail } from '../lib/errors.js';
import { renderPod } from '../lib/render-pod.js';
import { renderPods } from '../lib/render-pods.js';
import { wantsColor } from '../lib/color.js';

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

  async run(): Promise<PodView> {
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
      const view = podDetail(db, found[0]!.id, { raw: flags.raw || this.jsonEnabled() })!;
      if (!this.jsonEnabled()) process.stdout.write(renderPod(view, { width: process.stdout.columns ?? 120, color: wantsColor(), raw: flags.raw }));
      return view;
    } finally {
      db.close();
    }
  }
}
