import type { RebuildResult } from '../../pipeline/rebuild.js';
import { rebuildStored } from '../../pipeline/runs.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag } from '../lib/db.js';
import { fail } from '../lib/errors.js';
import { existsSync } from 'node:fs';

export default class Rebuild extends KubelogCommand {
  static override summary = "Recompute pods, phases, incidents and the kubelet's processes from the stored records.";
  static override description =
    'Ingest does this already; run it after upgrading kubelog, whose lifecycle model may have learned more. It also completes the search index (and the indexes an interrupted ingest dropped).';
  static override flags = { db: dbFlag };

  async run(): Promise<RebuildResult> {
    const { flags } = await this.parse(Rebuild);
    if (!existsSync(flags.db)) fail(`${flags.db}: no such database`, { exit: 2, code: 'NO_DATABASE', input: flags.db });
    const { rebuild: r, indexes: x } = await rebuildStored(flags.db);
    this.log(`${r.pods} pods, ${r.incidents} incidents, ${r.restarts} kubelet restarts from ${r.records} records (${r.unattached} name no pod) in ${r.seconds.toFixed(2)} s`);
    // what an ingest killed before it finished the search index left to do
    if (x.blocks || x.indexes) this.log(`search index: ${x.blocks} blocks added; ${x.indexes} indexes built again (${x.seconds.toFixed(2)} s)`);
    return r;
  }
}
