// The HTTP API's contract: what `kubelog serve` answers and the app reads. Each response type has
// a JSON Schema in schemas/api/ that the tests check the server's answers against. Times are epoch
// µs (UTC) as in the store; `null` where the log has no time. The rows are the store's own types:
// the API adds envelopes, never a second copy of a shape.
import type { IncidentKind, IncidentSeverity } from '../../lifecycle/incidents.js';
import type { PodState } from '../../lifecycle/model.js';
import type { Lane } from '../../lifecycle/catalogue-types.js';
import type { PhaseName } from '../../lifecycle/phases.js';
import type { EventView, IncidentView, PodView, ViewPoint } from '../../lifecycle/view.js';
import type { PodEventDensity } from '../../pipeline/pod-events.js';
import type { Severity } from '../../parser/types.js';
import type { DatabaseContents } from '../../pipeline/contents.js';
import type { LineOwner, StoredLine } from '../../store/lines.js';
import type { KubeletProcessRow, OverviewPodRow, RecordHistogram } from '../../pipeline/overview.js';
import type { PodRow } from '../../pipeline/pods.js';

export type { EventView, IncidentKind, IncidentSeverity, IncidentView, Lane, LineOwner, PhaseName, PodEventDensity, PodState, PodView, Severity, ViewPoint };
/** Phases as [phase, startUs, endUs, open, exact]: compact, there can be tens of thousands. */
export type OverviewPod = OverviewPodRow;
/** A kubelet process: its start and how it ended mark the kubelet's restarts and crashes. */
export type KubeletProcess = KubeletProcessRow;
/** Per bucket: all records, warnings, errors (E and F). */
export type Histogram = RecordHistogram;
/**
 * A pod in the list: the phases are summed into syncUs/terminatingUs/terminatedUs; `openPhases`
 * names those the log (or its kubelet) ends inside, `beforeLogPhases` those the log begins inside:
 * the sums of either are lower bounds.
 */
export type PodListRow = Omit<PodRow, 'id' | 'phases'> & { openPhases: PhaseName[]; beforeLogPhases: PhaseName[] };
/**
 * One entry of the raw log: a record (maybe several physical lines), a foreign or rejected line.
 * Asked for with `pod=`: `pod` says whether a record is that pod's or names another pod.
 */
export type RawLine = StoredLine & { pod?: LineOwner };

/** Every error answer: a sentence for people, and a code for scripts. */
export interface ApiError {
  error: string;
  code: string;
}

/** GET /api/sources: what the database holds. */
export type SourcesResponse = DatabaseContents & { db: string };



/**
 * GET /api/overview?from=&to=&buckets=&node=&text=&incidents=&sort=&offset=&limit=: a page of the
 * pods as rows of phases, and a histogram of the window. `buckets=0`: no histogram (the next page
 * of a window the app already has the histogram of); `limit=0`: no rows, only the counts.
 */
export interface OverviewResponse {
  /** The window asked for, or the span of the data. */
  fromUs: number | null;
  toUs: number | null;
  /** Pods matching the window and filters, and how many of them have an incident. */
  total: number;
  withIncidents: number;
  offset: number;
  /**
   * `limit` of those pods from `offset` (default 500, at most 2000), in the `sort` order (default
   * by first time). Without from/to: every pod, those of logs without times (which overlap no
   * window) last.
   */
  pods: OverviewPod[];
  histogram: Histogram;
  /**
   * With the histogram (buckets > 0; else empty): the kubelet processes whose records overlap
   * the window (of the node), in time order, at most 2000; `kubeletTotal` says how many there are.
   */
  kubelets: KubeletProcess[];
  kubeletTotal: number;
}



/** GET /api/pods?text=&namespace=&incident=&incidents=&state=&sort=&desc=&offset=&limit=&from=&to= */
export interface PodsResponse {
  total: number;
  offset: number;
  pods: PodListRow[];
}


/**
 * GET /api/pod/:key: one pod; the events carry their source so raw lines can be asked for. The key
 * is a pod key, or what `kubelog pod` takes (a UID or its prefix, namespace/name, a name): when
 * several pods match, the answer is a PodCandidatesResponse instead.
 */
export interface PodResponse {
  /**
   * The pod. Its `events` are all of them when they are few (`events.complete`); a busy pod's are
   * the first page of its whole span by time (GET /api/pod-events gives the others).
   */
  pod: PodView;
  /** The kubelet's crashes and restarts on the pod's node while it lived (node incidents), the first 2000. */
  kubelet: IncidentView[];
  /** How many there are (`kubelet` holds at most 2000). */
  kubeletTotal: number;
  /** How many events the pod has, whether `pod.events` holds all of them, and if not the next page's cursor. */
  events: { total: number; complete: boolean; next: string | null };
  /** Every event counted per lane, time bucket and severity: the whole pod, however busy. */
  density: PodEventDensity;
}

/**
 * GET /api/pod-events?pod=KEY&from=&to=&limit=&after=: a page of a pod's events with a time in
 * [from, to] (default: the pod's span), by time then line, `limit` at most (default 200, at most
 * 2000); `next` is the `after` of the following page, null on the last.
 */
export interface PodEventsResponse {
  pod: string;
  fromUs: number | null;
  toUs: number | null;
  total: number;
  events: EventView[];
  next: string | null;
}

/** GET /api/pod/:query when several pods match it (a name reused by a new incarnation, a short prefix). */
export interface PodCandidatesResponse {
  query: string;
  candidates: PodListRow[];
}

/**
 * GET /api/lines?source=&line=&before=&after=&pod=: the raw log around a line, every line kept;
 * with `pod` (a pod key), each record says whether it is that pod's.
 */
export interface LinesResponse {
  source: number;
  path: string;
  line: number;
  lines: RawLine[];
}


/**
 * GET /api/diff/pods?side=&workload=: the pods of one workload on one side of a diff (GET
 * /api/diff?a=&b=&top= answers `kubelog diff --json`'s DiffResult, schemas/diff.schema.json).
 */
export interface DiffPodsResponse {
  side: string;
  workload: string;
  /** Overview rows: whole pods, with every phase and incident, by first time. */
  pods: OverviewPod[];
}

/**
 * GET /api/search?q=&limit=&after=: records matching a full-text query (FTS5 syntax), a page at a
 * time: at most `limit` hits (default 100, at most 500), from at most 64 blocks of the log and
 * about half a second of work. A query with more than 16 terms or a prefix shorter than 2
 * characters is refused (400 search-too-costly).
 */
export interface SearchResponse {
  query: string;
  /** More records may match: ask again with `after=` the `next` position. */
  truncated: boolean;
  next: string | null;
  /** Blocks of the log (a few hundred lines each) this page searched, and those after it that may match. */
  blocks: { searched: number; left: number };
  hits: SearchHit[];
}

export interface SearchHit {
  source: number;
  line: number;
  timeUs: number | null;
  severity: Severity | null;
  msg: string;
  /** The pod the record belongs to, when the model attached it to one. */
  podKey: string | null;
  text: string;
}

/**
 * GET /api/status: what is ready to ask. `kubelog serve FILE` listens while it ingests: the pods
 * answer once their lifecycles are stored (`pods.ready`), search once the full-text index, built
 * after them, covers every block (`search.ready`; /api/search answers 503 `search-not-ready` until
 * then). `ingest` is this server's own ingest (null when it serves a database as it is).
 */
export interface StatusResponse {
  db: string;
  ingest: IngestStatus | null;
  pods: { ready: boolean };
  search: { ready: boolean; blocks: number; blocksLeft: number };
  /** Another kubelog writing to the database (an ingest or a rebuild), as "kubelog ingest, pid N, since …". */
  writer: string | null;
  /** Inputs whose records ran newest first: their pods are read backwards (the parser's `newest-first` warning). */
  newestFirst: Array<{ path: string; message: string }>;
}

/** The steps of `kubelog serve FILE`'s ingest, in order; then done, or how it ended otherwise. */
export type IngestStep = 'records' | 'lifecycles' | 'indexes' | 'done' | 'interrupted' | 'failed';

export interface IngestStatus {
  step: IngestStep;
  /** Input bytes read (compressed bytes for gzip), of totalBytes (null: stdin or a stream). */
  bytes: number;
  totalBytes: number | null;
  lines: number;
  /** Why it failed (step `failed`). */
  error: string | null;
}
