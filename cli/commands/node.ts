import { Flags } from '@oclif/core';
import { lifeNodes, nodeLives, type NodeLife } from '../../store/node-life.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, openForReading } from '../lib/db.js';
import { fail } from '../lib/errors.js';
import { renderNodes } from '../lib/render-node.js';
import { wantsColor } from '../lib/color.js';
import { jsonPieces } from '../lib/json-stream.js';
import { reportRusageAtExit } from '../lib/ingest-run.js';
import { StdoutWriter } from '../lib/stdout.js';

/** The --json answer (schemas/node.schema.json). */
export interface NodeResult {
  db: string;
  nodes: NodeLife[];
}

export default class Node extends KubelogCommand {
  static override summary = "The kubelet's own life: each process's start, version and -v, how it ended (crash, stop, restart), the node's incidents and conditions.";
  static override description = `Per node of an ingested log: every kubelet process with how its start shows (systemd, the
flags dump, "Starting kubelet"), the version it printed or what its callers' file:line tell,
its -v (from the flags dump, or at least what its messages show), and how it ended — a crash
(panic, fatal error, SIGABRT/SIGSEGV and the goroutine dump), a stop, a restart, or still running
when the log ends. Then the node's incidents (kubelet crashes and restarts, the node not ready)
and the node lane: NodeNotReady, PLEG not healthy, CNI or runtime not ready, eviction pressure.`;
  static override examples = ['<%= config.bin %> node', '<%= config.bin %> node --node worker-1 --json | jq .nodes[0].processes'];
  static override flags = {
    db: dbFlag,
    node: Flags.string({ description: 'only this node ("" for sources that name none)' }),
  };

  /**
   * Writes its answer itself, as text or as the JSON of NodeResult (schemas/node.schema.json), each
   * list as it is read: a log of a process per line has as many processes as lines.
   */
  async run(): Promise<void> {
    const { flags } = await this.parse(Node);
    reportRusageAtExit();
    const db = openForReading(flags.db);
    try {
      const nodes = nodeLives(db, flags.node);
      if (flags.node !== undefined && nodes.length === 0) {
        const known = lifeNodes(db).map((n) => n ?? '""');
        fail(`no node "${flags.node}" in ${flags.db} (nodes: ${known.join(', ') || 'none'})`, { exit: 2, code: 'NO_SUCH_NODE', input: flags.node });
      }
      const out = new StdoutWriter();
      const result: NodeResult = { db: flags.db, nodes };
      for (const piece of this.jsonEnabled() ? jsonPieces(result) : renderNodes(nodes, { color: wantsColor() })) {
        out.write(piece);
        if (out.needsDrain) await out.drained();
        if (out.closed) break; // `kubelog node | head`
      }
      if (this.jsonEnabled()) out.write('\n');
      await out.finish();
    } finally {
      db.close();
    }
  }
}
