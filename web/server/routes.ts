// The JSON API (web/api/types.ts): each route reads its parameters, asks store/, and answers in
// the contract's shape. No SQL here.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.js';
import { databaseContents } from '../../store/contents.js';
import { linesBetween } from '../../store/lines.js';
import { overviewPods, recordHistogram, recordSpan } from '../../store/overview.js';
import { countPods, listPods, podDetail, podIdByKey, podKeysOfUids, SORTS, type PodFilter } from '../../store/pods.js';
import { searchRecords } from '../../store/queries.js';
import { getSource, soleSourceId } from '../../store/sources.js';
import type { LinesResponse, OverviewResponse, PodListRow, PodResponse, PodsResponse, SearchResponse, SourcesResponse } from '../api/types.js';
import { badParameter, HttpError } from './errors.js';
import { boolParam, enumParam, intParam, requiredIntParam, textParam, type Query } from './params.js';

export interface ApiOptions {
  db: Db;
  dbPath: string;
}

/** Registered under /api. */
export async function apiRoutes(app: FastifyInstance, { db, dbPath }: ApiOptions): Promise<void> {
  // answers describe the database now: another ingest may change it while the app is open
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.get('/sources', async (): Promise<SourcesResponse> => ({ db: dbPath, ...databaseContents(db) }));

  app.get('/overview', async (req): Promise<OverviewResponse> => {
    const q = req.query as Query;
    const from = intParam(q, 'from');
    const to = intParam(q, 'to');
    const buckets = intParam(q, 'buckets', { min: 1, max: 2000 }) ?? 200;
    const node = textParam(q, 'node');
    const withPods = boolParam(q, 'pods') ?? true;
    const span = recordSpan(db, node);
    const fromUs = from ?? span.fromUs;
    const toUs = to ?? span.toUs;
    if (fromUs !== null && toUs !== null && fromUs > toUs) throw badParameter('from', `${fromUs} is after to (${toUs})`);
    return {
      fromUs,
      toUs,
      pods: !withPods ? [] : overviewPods(db, { ...(from !== undefined ? { fromUs: from } : {}), ...(to !== undefined ? { toUs: to } : {}), ...(node !== undefined ? { node } : {}) }),
      histogram: fromUs === null || toUs === null ? { fromUs: null, bucketUs: 0, records: [], warnings: [], errors: [] } : recordHistogram(db, fromUs, toUs, buckets, node),
    };
  });

  app.get('/pods', async (req): Promise<PodsResponse> => {
    const q = req.query as Query;
    const filter: PodFilter = {
      sort: enumParam(q, 'sort', SORTS) ?? 'start',
      desc: boolParam(q, 'desc') ?? false,
      offset: intParam(q, 'offset', { min: 0 }) ?? 0,
      limit: intParam(q, 'limit', { min: 1, max: 1000 }) ?? 100,
    };
    const text = textParam(q, 'text');
    const namespace = textParam(q, 'namespace');
    const anomalyKind = textParam(q, 'anomaly');
    const sinceUs = intParam(q, 'from');
    const untilUs = intParam(q, 'to');
    if (text !== undefined) filter.text = text;
    if (namespace !== undefined) filter.namespace = namespace;
    if (anomalyKind !== undefined) filter.anomalyKind = anomalyKind;
    if (boolParam(q, 'anomalous')) filter.anomalous = true;
    if (sinceUs !== undefined) filter.sinceUs = sinceUs;
    if (untilUs !== undefined) filter.untilUs = untilUs;
    return {
      total: countPods(db, filter),
      offset: filter.offset!,
      pods: listPods(db, filter).map(({ id: _id, phases: _phases, ...row }): PodListRow => row),
    };
  });

  app.get('/pod/*', async (req): Promise<PodResponse> => {
    const key = (req.params as { '*': string })['*'];
    const id = key ? podIdByKey(db, key) : undefined;
    // no raw text: /api/lines shows it around any point, and a busy pod's events alone run to megabytes
    const pod = id === undefined ? undefined : podDetail(db, id, { sources: 'always' });
    if (!pod) throw new HttpError(404, 'no-such-pod', `no pod has the key ${JSON.stringify(key)} in ${dbPath} (keys are UIDs, or ~namespace/name; /api/pods?text= finds them)`);
    return { pod };
  });

  app.get('/lines', async (req): Promise<LinesResponse> => {
    const q = req.query as Query;
    const line = requiredIntParam(q, 'line', { min: 1 });
    const before = intParam(q, 'before', { min: 0, max: 200 }) ?? 10;
    const after = intParam(q, 'after', { min: 0, max: 200 }) ?? 10;
    const sourceId = intParam(q, 'source') ?? soleSourceId(db);
    if (sourceId === undefined) throw badParameter('source', `is required: ${dbPath} holds several sources, or none (/api/sources lists them)`);
    const source = getSource(db, sourceId);
    if (!source) throw new HttpError(404, 'no-such-source', `${dbPath} has no source ${sourceId} (/api/sources lists them)`);
    if (line > source.lines_read) throw new HttpError(404, 'no-such-line', `source ${sourceId} (${source.path}) has ${source.lines_read} lines, not ${line}`);
    return { source: sourceId, path: source.path, line, lines: linesBetween(db, sourceId, Math.max(1, line - before), line + after) };
  });

  app.get('/search', async (req): Promise<SearchResponse> => {
    const q = req.query as Query;
    const query = textParam(q, 'q');
    if (query === undefined || query.trim() === '') throw badParameter('q', 'is required: the words or "phrase" to search for');
    const limit = intParam(q, 'limit', { min: 1, max: 1000 }) ?? 100;
    const found = searchRecords(db, query, limit + 1);
    const hits = found.slice(0, limit);
    const keys = podKeysOfUids(db, hits.flatMap((h) => (h.podUid === undefined ? [] : [h.podUid])));
    return {
      query,
      truncated: found.length > limit,
      hits: hits.map((h) => ({
        source: h.sourceId,
        line: h.record.line,
        timeUs: h.record.timeUs ?? null,
        severity: h.record.severity ?? null,
        msg: h.record.msg,
        podKey: h.podUid === undefined ? null : (keys.get(h.podUid) ?? null),
        text: h.record.raw,
      })),
    };
  });
}
