import { Command, Flags } from '@oclif/core';
import { countPods, listPods, SORTS, type PodRow, type PodSort } from '../../store/pods.js';
import { dbFlag, openForCommand, parseTime } from '../lib/db.js';
import { renderPods } from '../lib/render-pods.js';
import { wantsColor } from '../lib/color.js';

export interface PodsResult {
  db: string;
  total: number;
  pods: PodRow[];
}

export default class Pods extends Command {
  static override summary = 'List the pods of an ingested log: phases with durations, anomalies.';
  static override description = `One row per pod (per UID): its name, when it was first seen, how long it spent in the
pod worker's sync, terminating and terminated phases, and what looks wrong. Filter and sort to
find the pods that hang in Terminating or fail to die.`;
  static override examples = [
    '<%= config.bin %> pods --anomalous',
    '<%= config.bin %> pods --namespace default --name "nginx-*" --sort terminating --desc',
    '<%= config.bin %> pods --since 2024-06-07T06:00:00Z --until 2024-06-07T07:00:00Z --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    db: dbFlag,
    namespace: Flags.string({ char: 'n', description: 'only pods in this namespace' }),
    name: Flags.string({ description: 'only pods whose name matches this glob (nginx-*)' }),
    anomalous: Flags.boolean({ char: 'a', description: 'only pods with anomalies' }),
    since: Flags.string({ description: 'only pods seen at or after this time (ISO 8601 or epoch seconds)' }),
    until: Flags.string({ description: 'only pods seen at or before this time' }),
    sort: Flags.string({ description: 'sort by', options: [...SORTS], default: 'start' }),
    desc: Flags.boolean({ description: 'largest first' }),
    limit: Flags.integer({ description: 'at most this many rows', min: 1 }),
  };

  async run(): Promise<PodsResult> {
    const { flags } = await this.parse(Pods);
    const sinceUs = flags.since === undefined ? undefined : parseTime(flags.since);
    const untilUs = flags.until === undefined ? undefined : parseTime(flags.until);
    if (flags.since !== undefined && sinceUs === undefined) this.error(`--since ${flags.since}: not a time (use 2024-06-07T06:00:00Z)`, { exit: 2 });
    if (flags.until !== undefined && untilUs === undefined) this.error(`--until ${flags.until}: not a time (use 2024-06-07T06:00:00Z)`, { exit: 2 });
    const db = openForCommand(this, flags.db);
    try {
      const filter = {
        ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.anomalous ? { anomalous: true } : {}),
        ...(sinceUs !== undefined ? { sinceUs } : {}),
        ...(untilUs !== undefined ? { untilUs } : {}),
        sort: flags.sort as PodSort,
        desc: flags.desc,
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      };
      const result: PodsResult = { db: flags.db, total: countPods(db, filter), pods: listPods(db, filter) };
      if (!this.jsonEnabled()) process.stdout.write(renderPods(result.pods, result.total, { width: process.stdout.columns ?? 120, color: wantsColor() }));
      return result;
    } finally {
      db.close();
    }
  }
}
