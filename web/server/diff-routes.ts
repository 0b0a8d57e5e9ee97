// The diff page's API: two sides of the served database (nodes, or sets of sources) compared as
// `kubelog diff` compares them, and one workload's pods of a side for the aligned timelines.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.js';
import { loadDiffSide, parseSelector, SelectorError, sourcesOfSide, type SideSelector } from '../../store/diff-side.js';
import { overviewRows } from '../../store/overview.js';
import { diffSides, type DiffResult } from '../../lifecycle/diff/index.js';
import { UNNAMED } from '../../lifecycle/diff/workloads.js';
import type { DiffPodsResponse } from '../api/types.js';
import { badParameter, HttpError } from './errors.js';
import { intParam, textParam, type Query } from './params.js';

export interface DiffApiOptions {
  db: Db;
  dbPath: string;
}

/** A side's parameter: `node:NAME` or `source:ID[,ID…]`, resolved to its sources at once (a wrong B is said before A's seconds-long load). */
function sideParam(db: Db, dbPath: string, q: Query, name: string): { text: string; sel: SideSelector; sources: number[] } {
  const text = textParam(q, name);
  if (text === undefined) throw badParameter(name, 'is required: node:NAME or source:ID[,ID…] (/api/sources lists both)');
  let sel: SideSelector | undefined;
  try {
    sel = parseSelector(text);
  } catch (e) {
    throw badParameter(name, (e as Error).message);
  }
  if (!sel) throw badParameter(name, `"${text}" is not a side: node:NAME or source:ID[,ID…]`);
  try {
    return { text, sel, sources: sourcesOfSide(db, sel).map((s) => s.id) };
  } catch (e) {
    if (e instanceof SelectorError) throw new HttpError(404, 'no-such-side', `${name}: ${e.message} in ${dbPath}`);
    throw e;
  }
}

// A diff of a day of a busy node takes seconds: the last few answers are kept while the database
// is unchanged (data_version moves when another connection commits).
const KEEP = 4;

/** Registered under /api. */
export async function diffRoutes(app: FastifyInstance, { db, dbPath }: DiffApiOptions): Promise<void> {
  const kept = new Map<string, DiffResult>();

  app.get('/diff', async (req): Promise<DiffResult> => {
    const q = req.query as Query;
    const a = sideParam(db, dbPath, q, 'a');
    const b = sideParam(db, dbPath, q, 'b');
    const top = intParam(q, 'top', { min: 1, max: 200 }) ?? 10;
    const key = JSON.stringify([db.pragma('data_version', { simple: true }), a.text, b.text, top]);
    let result = kept.get(key);
    if (!result) {
      result = diffSides(loadDiffSide(db, a.sel, a.text), loadDiffSide(db, b.sel, b.text), { top });
      kept.set(key, result);
      if (kept.size > KEEP) kept.delete(kept.keys().next().value!);
    }
    return result;
  });

  app.get('/diff/pods', async (req): Promise<DiffPodsResponse> => {
    const q = req.query as Query;
    const side = sideParam(db, dbPath, q, 'side');
    const workload = textParam(q, 'workload');
    if (workload === undefined) throw badParameter('workload', 'is required: a workload name of /api/diff');
    return { side: side.text, workload, pods: overviewRows(db, { workload: workload === UNNAMED ? null : workload, sources: side.sources }) };
  });
}
