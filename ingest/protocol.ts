// Messages between the ingest pipeline (its thread, ingest.ts: reading stdin, SQLite writing) and its parse
// worker (worker thread: reading files, gunzip, hashing, parsing, encoding blocks).
import type { ParseOptions, TimeAssumptions } from '../parser/index.js';
import type { HeadFacts } from './head-facts.js';
import type { Arenas, RawBatch } from './batcher.js';

/** Line accounting of a range of lines: lines = recordLines + foreign + rejected. */
export interface LineCounts {
  lines: number;
  records: number;
  recordLines: number;
  foreign: number;
  rejected: number;
  diagnostics: number;
  foreignByKind: Record<string, number>;
  rejectedByReason: Record<string, number>;
}

export function zeroCounts(): LineCounts {
  return { lines: 0, records: 0, recordLines: 0, foreign: 0, rejected: 0, diagnostics: 0, foreignByKind: {}, rejectedByReason: {} };
}

export function addCounts(a: LineCounts, b: LineCounts): LineCounts {
  const out: LineCounts = {
    lines: a.lines + b.lines,
    records: a.records + b.records,
    recordLines: a.recordLines + b.recordLines,
    foreign: a.foreign + b.foreign,
    rejected: a.rejected + b.rejected,
    diagnostics: a.diagnostics + b.diagnostics,
    foreignByKind: { ...a.foreignByKind },
    rejectedByReason: { ...a.rejectedByReason },
  };
  for (const [k, v] of Object.entries(b.foreignByKind)) out.foreignByKind[k] = (out.foreignByKind[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.rejectedByReason)) out.rejectedByReason[k] = (out.rejectedByReason[k] ?? 0) + v;
  return out;
}

export interface WorkerJob {
  /** `{path}` is read by the worker itself; the bytes of stdin and of stream files (`name`) come from the writer thread as messages. */
  input: { kind: 'file'; path: string } | { kind: 'stdin'; name: string };
  /** Parse from this content byte offset / line; bytes before it are only hashed. */
  start: { offset: number; line: number };
  /** The first `len` content bytes must hash to `hash`, else the worker answers `verify-failed`. */
  verify?: { len: number; hash: string };
  /** Content lengths at which to report the sha256 of the content so far. */
  snapshotsAt: number[];
  parse: ParseOptions;
  /** Entries per batch (one SQLite transaction) and per compressed block. */
  batchEntries: number;
  blockEntries: number;
  /** Values per local dictionary before it starts over (default batcher.ts DICT_CAP; tests set it low). */
  dictCap?: number;
}

/** Where a committed batch leaves the source: every line < line is accounted for. */
export interface Progress {
  /** First line NOT yet complete (the resume point) and its content byte offset. */
  line: number;
  offset: number;
  /** sha256 of the first verifyLen content bytes (verifyLen <= offset). */
  verifyLen: number;
  verifyHash: string;
  /** Counts of this run's lines before `line` (cumulative). */
  counts: LineCounts;
  /** Time of the last record before `line`, if any. */
  lastTimeUs?: number;
  /** What the parser assumed to date the input, once settled (stored with the source). */
  time?: TimeAssumptions;
}

export interface ReadProgress {
  /** Bytes taken from the file or stdin (compressed bytes for gzip). */
  bytes: number;
  /** Content bytes (after gunzip). */
  content: number;
  lines: number;
}

/** Numbers per record in `BatchMsg.recs`. */
export const REC_COLS = 11;
/** Column positions in `BatchMsg.recs` (NaN = none for times and v, -1 = none for ids). */
export const C = { line: 0, block: 1, span: 2, timeUs: 3, severity: 4, stream: 5, caller: 6, msg: 7, pod: 8, printf: 9, v: 10 } as const;
export const SEVERITIES = ['', 'I', 'W', 'E', 'F'] as const;

/** Values new to this job since the last reset; their local ids continue from the previous batch. */
export interface DictDelta {
  reset: boolean;
  msgs: string[];
  callers: string[];
  pods: string[];
  printfs: string[];
  /** host, ident, transport pid (-1 none), klog pid (-1 none) */
  streams: Array<[string, string, number, number]>;
}

/** A batch from the worker: its entry arenas, handed over as they are (ingest/batcher.ts). */
export interface BatchMsg extends RawBatch {
  type: 'batch';
  progress: Progress;
  read: ReadProgress;
}

export interface EndMsg {
  type: 'end';
  last: BatchMsg;
  /** Resume point for a later run if the input grows: the first line whose record was completed only by the end of input. */
  resume: Progress;
  contentLen: number;
  contentHash: string;
  gzip: boolean;
  snapshots: Record<string, string>;
  firstTimeUs?: number;
  lastTimeUs?: number;
  host?: string;
  envelope?: string;
  /** Envelope counts of this run's records. */
  envelopes: Record<string, number>;
  /** Damaged gzip data ended the content (its message names the byte); `lines` were read before it. */
  damage?: { message: string; lines: number };
}

export type FromWorker =
  | BatchMsg
  | EndMsg
  | { type: 'read'; read: ReadProgress }
  | { type: 'verified' }
  | { type: 'verify-failed'; reason: string }
  | { type: 'want' }
  | { type: 'facts'; facts: HeadFacts[] }
  | { type: 'error'; message: string; input: boolean };

export type ToWorker =
  | { type: 'facts'; heads: Array<{ head: Uint8Array; opts: ParseOptions }> }
  | { type: 'job'; job: WorkerJob }
  | { type: 'ack'; arenas?: Arenas }
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'eof' }
  | { type: 'stdin-error'; message: string };
