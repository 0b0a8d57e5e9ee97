import { Command } from '@oclif/core';
import { openDatabase } from '../../store/db.js';
import { rebuildLifecycles, type RebuildResult } from '../../store/lifecycle.js';
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
    const db = openDatabase(flags.db);
    try {
      const r = rebuildLifecycles(db);
      this.log(`${r.pods} pods, ${r.anomalies} anomalies, ${r.restarts} kubelet restarts from ${r.records} records (${r.unattached} name no pod) in ${r.seconds.toFixed(2)} s`);
      return r;
    } finally {
      db.close();
    }
  }
}
