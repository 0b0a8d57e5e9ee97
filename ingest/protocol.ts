// Messages between the ingest pipeline (its thread, ingest.ts: reading stdin, SQLite writing) and its parse
// worker (worker thread: reading files, gunzip, hashing, parsing, encoding blocks).
import type { ParseOptions } from '../parser/index.js';
import type { Arenas, SourceEnd, StoredBatch } from '../store/batch.js';
import type { HeadFacts } from './head-facts.js';

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

export interface ReadProgress {
  /** Bytes taken from the file or stdin (compressed bytes for gzip). */
  bytes: number;
  /** Content bytes (after gunzip). */
  content: number;
  lines: number;
}

/** A batch from the worker: its entry arenas, handed over as they are (ingest/batcher.ts). */
export interface BatchMsg extends StoredBatch {
  type: 'batch';
  read: ReadProgress;
}

export interface EndMsg extends SourceEnd {
  type: 'end';
  last: BatchMsg;
  snapshots: Record<string, string>;
  firstTimeUs?: number;
  lastTimeUs?: number;
  host?: string;
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
