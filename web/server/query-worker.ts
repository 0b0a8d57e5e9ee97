// A query worker of `kubelog serve`: its own read-only connection to the database, one answer at
// a time, sent back as JSON text (the HTTP thread sends it as it is, and never parses or builds
// a large answer itself). Errors go back as status, code and message.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../../store/db.js';
import { CostlySearchError, InvalidSearchError } from '../../store/queries.js';
import { ANSWERS, type AnswerContext } from './answers.js';
import { HttpError } from './errors.js';
import type { QueryReply, QueryTask } from './query-pool.js';

const { dbPath } = workerData as { dbPath: string };
let ctx: AnswerContext | undefined;

function context(): AnswerContext {
  if (!ctx) {
    const db: Db = openDatabase(dbPath, { readonly: true });
    ctx = { db, dbPath };
  }
  return ctx;
}

function failure(e: unknown): QueryReply['error'] {
  if (e instanceof HttpError) return { status: e.status, code: e.code, message: e.message };
  if (e instanceof InvalidSearchError) return { status: 400, code: 'invalid-search', message: e.message };
  if (e instanceof CostlySearchError) return { status: 400, code: 'search-too-costly', message: e.message };
  return { status: 500, code: 'internal', message: `internal error: ${(e as Error).message ?? String(e)}. This is a bug in kubelog; please report it with the request that caused it.` };
}

parentPort!.on('message', (task: QueryTask) => {
  let reply: QueryReply;
  try {
    const answer = (ANSWERS[task.name] as (c: AnswerContext, a: unknown) => unknown)(context(), task.args);
    reply = { id: task.id, json: JSON.stringify(answer) };
  } catch (e) {
    reply = { id: task.id, error: failure(e) };
  }
  parentPort!.postMessage(reply);
});
