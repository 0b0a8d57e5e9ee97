// The diff page's API: two sides of the served database (nodes, or sets of sources) compared as
// `kubelog diff` compares them, and one workload's pods of a side for the aligned timelines. The
// sides' syntax is checked here; what they name, by the query worker that answers.
import type { FastifyInstance } from 'fastify';
import { parseSelector, type SideSelector } from '../../pipeline/diff-side.js';
import type { SideArg } from './answers.js';
import { badParameter } from './errors.js';
import { intParam, takes, textParam, type Query } from './params.js';
import type { QueryPool } from './query-pool.js';
import { answer } from './routes.js';

export interface DiffApiOptions {
  pool: QueryPool;
}

/** A side's parameter: `node:NAME` or `source:ID[,ID…]`. */
function sideParam(q: Query, name: string): SideArg {
  const text = textParam(q, name);
  if (text === undefined) throw badParameter(name, 'is required: node:NAME or source:ID[,ID…] (/api/sources lists both)');
  let sel: SideSelector | undefined;
  try {
    sel = parseSelector(text);
  } catch (e) {
    throw badParameter(name, (e as Error).message);
  }
  if (!sel) throw badParameter(name, `"${text}" is not a side: node:NAME or source:ID[,ID…]`);
  return { text, sel };
}

/** Registered under /api. */
export async function diffRoutes(app: FastifyInstance, { pool }: DiffApiOptions): Promise<void> {
  app.get('/diff', async (req, reply) => {
    const q = takes(req.query, ['a', 'b', 'top']);
    return answer(pool, reply, 'diff', { a: sideParam(q, 'a'), b: sideParam(q, 'b'), top: intParam(q, 'top', { min: 1, max: 200 }) ?? 10 });
  });

  app.get('/diff/pods', async (req, reply) => {
    const q = takes(req.query, ['side', 'workload']);
    const side = sideParam(q, 'side');
    const workload = textParam(q, 'workload');
    if (workload === undefined) throw badParameter('workload', 'is required: a workload name of /api/diff');
    return answer(pool, reply, 'diffPods', { side, workload });
  });
}
