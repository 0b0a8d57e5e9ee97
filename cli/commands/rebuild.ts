import { Command } from '@oclif/core';
import type { RebuildResult } from '../../store/lifecycle.js';
import { rebuildInWorker } from '../../store/rebuild-thread.js';
import { StoreError } from '../../store/errors.js';
import { dbFlag } from '../lib/db.js';
import { existsSync } from 'node:fs';

export default class Rebuild extends Command {
  static override summary = 'Recompute pods, phases and anomalies from the stored records.';
  static override description = 'Ingest does this already; run it after upgrading kubelog, whose lifecycle model may have learned more.';
  static override enableJsonFlag = true;
  static override flags = { db: dbFlag };

  async run(): Promise<RebuildResult> {
    const { flags } = await this.parse(Rebuild);
    if (!existsSync(flags.db)) this.error(`${flags.db}: no such database`, { exit: 2 });
    try {
      const r = await rebuildInWorker(flags.db);
      this.log(`${r.pods} pods, ${r.anomalies} anomalies, ${r.restarts} kubelet restarts from ${r.records} records (${r.unattached} name no pod) in ${r.seconds.toFixed(2)} s`);
      return r;
    } catch (e) {
      if (e instanceof StoreError) this.error(e.message, { exit: 1 });
      throw e;
    }
  }
}
