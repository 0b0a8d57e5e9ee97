// The API's answers, by name: each takes the checked parameters of its route (web/server/routes.ts
// reads them from the URL) and asks store/. They run in the query workers (query-worker.ts), each
// over a read-only connection of its own, never on the thread that serves HTTP. No SQL here.
import type { Db } from '../../store/db.js';
import { databaseContents } from '../../pipeline/contents.js';
import { lineOwners, linesBetween } from '../../store/lines.js';
import { kubeletIncidentsOfPod } from '../../pipeline/kubelet-marks.js';
import { kubeletProcesses, overviewPage, overviewRows, recordHistogram, recordSpan, type OverviewSort, type RecordHistogram } from '../../pipeline/overview.js';
import { countPods, findPods, listPods, podDetail, podIdByKey, podKeysOfUids, type PodFilter, type PodRow } from '../../pipeline/pods.js';
import { searchPage, type SearchCursor } from '../../store/queries.js';
import { cursorText as eventCursorText, podEventCount, podEventDensity, podEventWindow, type EventCursor } from '../../pipeline/pod-events.js';
import { getSource, newestFirstSources, soleSourceId } from '../../store/sources.js';
import { loadDiffSide, SelectorError, sourcesOfSide, type SideSelector } from '../../pipeline/diff-side.js';
import { diffSides, type DiffResult } from '../../lifecycle/diff/index.js';
import { UNNAMED } from '../../lifecycle/diff/workloads.js';
import { readiness } from '../../pipeline/readiness.js';
import { beganBeforeLog } from '../../lifecycle/open-end.js';
import type { PhaseName } from '../../lifecycle/phases.js';
import { describeWriter, liveWriter } from '../../store/write-lock.js';
import type { StatusResponse } from '../api/types.js';
import type { DiffPodsResponse, LinesResponse, OverviewResponse, PodCandidatesResponse, PodEventsResponse, PodListRow, PodResponse, PodsResponse, SearchResponse, SourcesResponse } from '../api/types.js';
import { badParameter, HttpError } from './errors.js';

export interface AnswerContext {
  db: Db;
  /** The database's path as the user gave it (in answers and messages). */
  dbPath: string;
}

export interface OverviewArgs {
  from?: number;
  to?: number;
  /** 0: no histogram. */
  buckets: number;
  node?: string;
  text?: string;
  incidents: boolean;
  sort: OverviewSort;
  offset: number;
  /** 0: no rows, only the counts. */
  limit: number;
}

export interface LinesArgs {
  source?: number;
  line: number;
  before: number;
  after: number;
  /** A pod key: say which records are its. */
  pod?: string;
}

export interface SearchArgs {
  q: string;
  limit: number;
  after?: SearchCursor;
}

export interface PodEventsArgs {
  pod: string;
  from?: number;
  to?: number;
  limit: number;
  after?: EventCursor;
}

export interface SideArg {
  text: string;
  sel: SideSelector;
}

/** What each answer takes. */
export interface AnswerArgs {
  sources: Record<string, never>;
  status: Record<string, never>;
  overview: OverviewArgs;
  pods: PodFilter & { offset: number; limit: number };
  pod: { key: string };
  podEvents: PodEventsArgs;
  lines: LinesArgs;
  search: SearchArgs;
  diff: { a: SideArg; b: SideArg; top: number };
  diffPods: { side: SideArg; workload: string };
}
export type AnswerName = keyof AnswerArgs;

/** What one search answer may cost: blocks of the index narrowed to records (~5 ms each on an idle core), and time. */
export const SEARCH_BLOCKS_PER_ANSWER = 64;
export const SEARCH_MS_PER_ANSWER = 500;

/**
 * A pod with at most this many events is sent whole; a busier one's by time window, a page of
 * EVENT_PAGE at a time (30,000 events are ~7.5 MB of JSON, seconds to parse and draw).
 */
export const FEW_EVENTS = 2000;
export const EVENT_PAGE = 200;

/**
 * Answers that can take seconds (a busy pod's every event, a search, a diff): the query pool
 * never lets them fill every worker, so that the quick ones always find one.
 */
export const SLOW_ANSWERS: ReadonlySet<AnswerName> = new Set(['pod', 'search', 'diff', 'diffPods']);

export const cursorText = (c: SearchCursor): string => `${c.block}:${c.afterId}`;

function sourcesOf(ctx: AnswerContext, name: string, side: SideArg): number[] {
  try {
    return sourcesOfSide(ctx.db, side.sel).map((s) => s.id);
  } catch (e) {
    if (e instanceof SelectorError) throw new HttpError(404, 'no-such-side', `${name}: ${e.message} in ${ctx.dbPath}`);
    throw e;
  }
}

/**
 * The last few answers of a kind, kept while the database is unchanged (data_version moves when
 * another connection commits): a diff of a day of a busy node takes seconds, and the whole log's
 * histogram, which every opening of the overview asks for, up to a second. Per worker.
 */
class Kept<T> {
  private readonly answers = new Map<string, T>();
  constructor(private readonly keep: number) {}
  get(db: Db, args: unknown, compute: () => T): T {
    const key = JSON.stringify([db.pragma('data_version', { simple: true }), args]);
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = compute();
      this.answers.set(key, answer);
      if (this.answers.size > this.keep) this.answers.delete(this.answers.keys().next().value!);
    }
    return answer;
  }
}
const keptDiffs = new Kept<DiffResult>(4);
const keptHistograms = new Kept<RecordHistogram>(32);

/** A list row: phases summed, and the names of those the log (or its kubelet) ends inside. */
const phasesWhere = (phases: PodRow['phases'], test: (p: PodRow['phases'][number]) => boolean): PhaseName[] => [...new Set(phases.filter(test).map((p) => p.phase))];
const listRow = ({ id: _id, phases, ...row }: PodRow): PodListRow => ({
  ...row,
  openPhases: phasesWhere(phases, (p) => p.open),
  beforeLogPhases: phasesWhere(phases, beganBeforeLog),
});

const noSuchPod = (key: string, dbPath: string): HttpError =>
  new HttpError(404, 'no-such-pod', `no pod matches ${JSON.stringify(key)} in ${dbPath} (a UID or its prefix, namespace/name, a name, or a key; /api/pods?text= finds pods)`);

type Answers = { [K in AnswerName]: (ctx: AnswerContext, args: AnswerArgs[K]) => unknown };

export const ANSWERS: Answers = {
  sources: (ctx): SourcesResponse => ({ db: ctx.dbPath, ...databaseContents(ctx.db) }),

  overview: ({ db }, a): OverviewResponse => {
    const span = recordSpan(db, a.node);
    const fromUs = a.from ?? span.fromUs;
    const toUs = a.to ?? span.toUs;
    if (fromUs !== null && toUs !== null && fromUs > toUs) throw badParameter('from', `${fromUs} is after to (${toUs})`);
    const page = overviewPage(db, {
      ...(a.from !== undefined ? { fromUs: a.from } : {}),
      ...(a.to !== undefined ? { toUs: a.to } : {}),
      ...(a.node !== undefined ? { node: a.node } : {}),
      ...(a.text !== undefined ? { text: a.text } : {}),
      withIncidents: a.incidents,
      sort: a.sort,
      offset: a.offset,
      limit: a.limit,
    });
    const kubelets =
      a.buckets === 0
        ? { total: 0, rows: [] }
        : kubeletProcesses(db, { ...(a.from !== undefined ? { fromUs: a.from } : {}), ...(a.to !== undefined ? { toUs: a.to } : {}), ...(a.node !== undefined ? { node: a.node } : {}) });
    return {
      fromUs,
      toUs,
      total: page.total,
      withIncidents: page.withIncidents,
      offset: a.offset,
      pods: page.rows,
      histogram:
        fromUs === null || toUs === null || a.buckets === 0
          ? { fromUs: null, bucketUs: 0, records: [], warnings: [], errors: [] }
          : keptHistograms.get(db, [fromUs, toUs, a.buckets, a.node], () => recordHistogram(db, fromUs, toUs, a.buckets, a.node)),
      kubelets: kubelets.rows,
      kubeletTotal: kubelets.total,
    };
  },

  pods: ({ db }, filter): PodsResponse => ({
    total: countPods(db, filter),
    offset: filter.offset,
    pods: listPods(db, filter).map(listRow),
  }),

  pod: ({ db, dbPath }, { key }): PodResponse | PodCandidatesResponse => {
    // a key, or what `kubelog pod` takes: a UID prefix, namespace/name, a name
    let id = podIdByKey(db, key);
    if (id === undefined) {
      const found = findPods(db, key);
      if (found.length > 1) return { query: key, candidates: found.map(listRow) };
      id = found[0]?.id;
    }
    if (id === undefined) throw noSuchPod(key, dbPath);
    const total = podEventCount(db, id);
    const density = podEventDensity(db, id);
    // a pod without times (a pasted trace) cannot be windowed by time: it is sent whole
    const complete = total <= FEW_EVENTS || density.fromUs === null;
    // no raw text: /api/lines shows it around any point
    const pod = podDetail(db, id, { sources: 'always', events: complete });
    if (!pod) throw noSuchPod(key, dbPath);
    let next: string | null = null;
    if (!complete) {
      const first = podEventWindow(db, id, { limit: EVENT_PAGE, sources: 'always' });
      pod.events = first.events;
      next = first.next === null ? null : eventCursorText(first.next);
    }
    const kubelet = kubeletIncidentsOfPod(db, id, true);
    return { pod, kubelet: kubelet.incidents, kubeletTotal: kubelet.total, events: { total, complete, next }, density };
  },

  podEvents: ({ db, dbPath }, a): PodEventsResponse => {
    const id = podIdByKey(db, a.pod);
    if (id === undefined) throw new HttpError(404, 'no-such-pod', `no pod has the key ${JSON.stringify(a.pod)} in ${dbPath} (/api/pods lists them)`);
    const w = podEventWindow(db, id, { ...(a.from !== undefined ? { fromUs: a.from } : {}), ...(a.to !== undefined ? { toUs: a.to } : {}), limit: a.limit, ...(a.after ? { after: a.after } : {}), sources: 'always' });
    return { pod: a.pod, fromUs: w.fromUs, toUs: w.toUs, total: w.total, events: w.events, next: w.next === null ? null : eventCursorText(w.next) };
  },

  lines: ({ db, dbPath }, a): LinesResponse => {
    const sourceId = a.source ?? soleSourceId(db);
    if (sourceId === undefined) throw badParameter('source', `is required: ${dbPath} holds several sources, or none (/api/sources lists them)`);
    const source = getSource(db, sourceId);
    if (!source) throw new HttpError(404, 'no-such-source', `${dbPath} has no source ${sourceId} (/api/sources lists them)`);
    if (a.line > source.lines_read) throw new HttpError(404, 'no-such-line', `source ${sourceId} (${source.path}) has ${source.lines_read} lines, not ${a.line}`);
    const podId = a.pod === undefined ? undefined : podIdByKey(db, a.pod);
    if (a.pod !== undefined && podId === undefined) throw new HttpError(404, 'no-such-pod', `no pod has the key ${JSON.stringify(a.pod)} in ${dbPath}`);
    const lines = linesBetween(db, sourceId, Math.max(1, a.line - a.before), a.line + a.after);
    if (podId === undefined) return { source: sourceId, path: source.path, line: a.line, lines };
    const owners = lineOwners(db, sourceId, podId, lines);
    return { source: sourceId, path: source.path, line: a.line, lines: lines.map((l) => (owners.has(l.line) ? { ...l, pod: owners.get(l.line)! } : l)) };
  },

  status: ({ db, dbPath }): StatusResponse => {
    const writer = liveWriter(db);
    return { db: dbPath, ingest: null, ...readiness(db), writer: writer ? describeWriter(writer) : null, newestFirst: newestFirstSources(db) };
  },

  search: ({ db, dbPath }, a): SearchResponse => {
    const index = readiness(db).search;
    if (!index.ready) {
      // a search of part of the log would say "no match" where the rest may match: it waits
      const writer = liveWriter(db);
      throw new HttpError(
        503,
        'search-not-ready',
        writer
          ? `the search index is still being built (${index.blocksLeft} of ${index.blocks} blocks left; ${describeWriter(writer)}): search answers when it is done; the pods and the raw lines answer meanwhile`
          : `the search index of ${dbPath} is incomplete (${index.blocksLeft} of ${index.blocks} blocks left): an ingest stopped before it finished it. Run the same kubelog ingest again, or kubelog rebuild --db ${dbPath}, to finish it`,
      );
    }
    const page = searchPage(db, a.q, { limit: a.limit, maxBlocks: SEARCH_BLOCKS_PER_ANSWER, maxMs: SEARCH_MS_PER_ANSWER, ...(a.after ? { after: a.after } : {}) });
    const keys = podKeysOfUids(db, page.hits.flatMap((h) => (h.podUid === undefined ? [] : [h.podUid])));
    return {
      query: a.q,
      truncated: page.next !== null,
      next: page.next === null ? null : cursorText(page.next),
      blocks: { searched: page.blocksSearched, left: page.blocksLeft },
      hits: page.hits.map((h) => ({
        source: h.sourceId,
        line: h.record.line,
        timeUs: h.record.timeUs ?? null,
        severity: h.record.severity ?? null,
        msg: h.record.msg,
        podKey: h.podUid === undefined ? null : (keys.get(h.podUid) ?? null),
        text: h.record.raw,
      })),
    };
  },

  diff: (ctx, { a, b, top }): DiffResult => {
    // a wrong B is said before A's seconds-long load
    sourcesOf(ctx, 'a', a);
    sourcesOf(ctx, 'b', b);
    return keptDiffs.get(ctx.db, [a.text, b.text, top], () => diffSides(loadDiffSide(ctx.db, a.sel, a.text), loadDiffSide(ctx.db, b.sel, b.text), { top }));
  },

  diffPods: (ctx, { side, workload }): DiffPodsResponse => ({
    side: side.text,
    workload,
    pods: overviewRows(ctx.db, { workload: workload === UNNAMED ? null : workload, sources: sourcesOf(ctx, 'side', side) }),
  }),
};
