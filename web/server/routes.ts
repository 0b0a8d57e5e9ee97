// The JSON API (web/api/types.ts): each route checks its parameters here, on the thread that
// serves HTTP (a bad one is a 400 at once), then has a query worker answer (answers.ts) and sends
// the worker's JSON text as it is. No SQL, and no waiting on SQLite, here.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OVERVIEW_SORTS } from '../../pipeline/overview.js';
import { SORTS, STATES, type PodFilter } from '../../pipeline/pods.js';
import { INCIDENT_KINDS } from '../../lifecycle/incident-rules.js';
import { CostlySearchError, type SearchCursor } from '../../store/queries.js';
import { searchTooCostly } from '../../store/search-query.js';
import { cursorOfText } from '../../pipeline/pod-events.js';
import { EVENT_PAGE, type AnswerArgs, type AnswerName } from './answers.js';
import { badParameter, HttpError } from './errors.js';
import { boolParam, enumParam, intParam, requiredIntParam, takes, textParam } from './params.js';
import type { QueryPool } from './query-pool.js';
import type { IngestStatus, StatusResponse } from '../api/types.js';

export interface ApiOptions {
  pool: QueryPool;
  /** The ingest this server runs while it serves (`kubelog serve FILE`), if any. */
  ingestStatus?: () => IngestStatus | null;
}

/** A pod key is a UID or `~namespace/name`: names are at most 253 characters, namespaces 63. */
const MAX_KEY = 512;

/** Sends a worker's answer; a client that goes away drops its request if it is still waiting. */
export async function answer<K extends AnswerName>(pool: QueryPool, reply: FastifyReply, name: K, args: AnswerArgs[K]): Promise<string> {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  const json = await pool.run(name, args, { signal: gone.signal });
  reply.type('application/json; charset=utf-8');
  return json;
}

function searchCursor(text: string | undefined): SearchCursor | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{1,15}):(\d{1,16})$/.exec(text);
  if (!m || !Number.isSafeInteger(Number(m[2]))) throw badParameter('after', `"${text.slice(0, 64)}" is not a search position (the "next" of a previous answer)`);
  return { block: Number(m[1]), afterId: Number(m[2]) };
}

function eventCursor(text: string | undefined): AnswerArgs['podEvents']['after'] {
  if (text === undefined) return undefined;
  const c = cursorOfText(text);
  if (!c) throw badParameter('after', `"${text.slice(0, 64)}" is not an event position (the "next" of a previous answer)`);
  return c;
}

/** Registered under /api. */
export async function apiRoutes(app: FastifyInstance, { pool, ingestStatus }: ApiOptions): Promise<void> {
  // answers describe the database now: another ingest may change it while the app is open
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get('/sources', async (req, reply) => {
    takes(req.query, []);
    return answer(pool, reply, 'sources', {});
  });

  app.get('/status', async (req, reply) => {
    takes(req.query, []);
    // the database's part from a worker; this process's own ingest from here (no SQL): before its
    // lifecycles are stored, the pods stored are not yet those of the log it is reading
    const status = JSON.parse(await answer(pool, reply, 'status', {})) as StatusResponse;
    status.ingest = ingestStatus?.() ?? null;
    if (status.ingest?.step === 'records' || status.ingest?.step === 'lifecycles') status.pods.ready = false;
    return status;
  });

  app.get('/overview', async (req, reply) => {
    const q = takes(req.query, ['from', 'to', 'buckets', 'node', 'text', 'incidents', 'sort', 'offset', 'limit']);
    const args: AnswerArgs['overview'] = {
      buckets: intParam(q, 'buckets', { min: 0, max: 2000 }) ?? 200,
      incidents: boolParam(q, 'incidents') ?? false,
      sort: enumParam(q, 'sort', OVERVIEW_SORTS) ?? 'start',
      offset: intParam(q, 'offset', { min: 0 }) ?? 0,
      limit: intParam(q, 'limit', { min: 0, max: 2000 }) ?? 500,
    };
    const from = intParam(q, 'from');
    const to = intParam(q, 'to');
    const node = textParam(q, 'node');
    const text = textParam(q, 'text');
    if (from !== undefined) args.from = from;
    if (to !== undefined) args.to = to;
    if (from !== undefined && to !== undefined && from > to) throw badParameter('from', `${from} is after to (${to})`);
    if (node !== undefined) args.node = node;
    if (text !== undefined) args.text = text;
    return answer(pool, reply, 'overview', args);
  });

  app.get('/pods', async (req, reply) => {
    const q = takes(req.query, ['text', 'namespace', 'incident', 'incidents', 'state', 'sort', 'desc', 'offset', 'limit', 'from', 'to']);
    const filter: PodFilter & { offset: number; limit: number } = {
      sort: enumParam(q, 'sort', SORTS) ?? 'start',
      desc: boolParam(q, 'desc') ?? false,
      offset: intParam(q, 'offset', { min: 0 }) ?? 0,
      limit: intParam(q, 'limit', { min: 1, max: 1000 }) ?? 100,
    };
    const text = textParam(q, 'text');
    const namespace = textParam(q, 'namespace');
    const incidentKind = enumParam(q, 'incident', INCIDENT_KINDS);
    const state = enumParam(q, 'state', STATES);
    const sinceUs = intParam(q, 'from');
    const untilUs = intParam(q, 'to');
    if (text !== undefined) filter.text = text;
    if (namespace !== undefined) filter.namespace = namespace;
    if (incidentKind !== undefined) filter.incidentKind = incidentKind;
    if (state !== undefined) filter.states = [state];
    if (boolParam(q, 'incidents')) filter.withIncidents = true;
    if (sinceUs !== undefined) filter.sinceUs = sinceUs;
    if (untilUs !== undefined) filter.untilUs = untilUs;
    return answer(pool, reply, 'pods', filter);
  });

  app.get('/pod/*', async (req, reply) => {
    takes(req.query, []);
    const key = (req.params as { '*': string })['*'];
    if (!key) throw badParameter('key', 'is required: /api/pod/UID or /api/pod/~namespace/name (/api/pods lists them)');
    if (key.length > MAX_KEY) throw badParameter('key', `is ${key.length} characters long; a pod key has at most ${MAX_KEY}`);
    return answer(pool, reply, 'pod', { key });
  });

  app.get('/pod-events', async (req, reply) => {
    const q = takes(req.query, ['pod', 'from', 'to', 'limit', 'after']);
    const pod = textParam(q, 'pod');
    if (pod === undefined) throw badParameter('pod', 'is required: a pod key (the "key" of /api/pod or /api/pods)');
    if (pod.length > MAX_KEY) throw badParameter('pod', `is ${pod.length} characters long; a pod key has at most ${MAX_KEY}`);
    const args: AnswerArgs['podEvents'] = { pod, limit: intParam(q, 'limit', { min: 1, max: 2000 }) ?? EVENT_PAGE };
    const from = intParam(q, 'from');
    const to = intParam(q, 'to');
    if (from !== undefined && to !== undefined && from > to) throw badParameter('from', `${from} is after to (${to})`);
    if (from !== undefined) args.from = from;
    if (to !== undefined) args.to = to;
    const after = eventCursor(textParam(q, 'after'));
    if (after) args.after = after;
    return answer(pool, reply, 'podEvents', args);
  });

  app.get('/lines', async (req, reply) => {
    const q = takes(req.query, ['source', 'line', 'before', 'after', 'pod']);
    const args: AnswerArgs['lines'] = {
      line: requiredIntParam(q, 'line', { min: 1 }),
      before: intParam(q, 'before', { min: 0, max: 200 }) ?? 10,
      after: intParam(q, 'after', { min: 0, max: 200 }) ?? 10,
    };
    const source = intParam(q, 'source', { min: 1 });
    if (source !== undefined) args.source = source;
    const pod = textParam(q, 'pod');
    if (pod !== undefined && pod.length > MAX_KEY) throw badParameter('pod', `is ${pod.length} characters long; a pod key has at most ${MAX_KEY}`);
    if (pod !== undefined) args.pod = pod;
    return answer(pool, reply, 'lines', args);
  });

  app.get('/search', async (req, reply) => {
    const q = takes(req.query, ['q', 'limit', 'after']);
    const query = textParam(q, 'q');
    if (query === undefined || query.trim() === '') throw badParameter('q', 'is required: the words or "phrase" to search for');
    // refused here, at once, rather than after waiting for a worker that would refuse it too
    const costly = searchTooCostly(query);
    if (costly !== undefined) throw new HttpError(400, 'search-too-costly', new CostlySearchError(query, costly).message);
    const args: AnswerArgs['search'] = { q: query, limit: intParam(q, 'limit', { min: 1, max: 500 }) ?? 100 };
    const after = searchCursor(textParam(q, 'after'));
    if (after) args.after = after;
    return answer(pool, reply, 'search', args);
  });
}
