// A batch as the writer stores it: the entry table and arenas the parse worker fills
// (ingest/batcher.ts), the source's progress up to it, and how a batch is cut into blocks
// (store/codec.ts) for SQLite. The parse worker and the writer agree on this format; it is the
// store's input, so it lives here and ingest/ builds it.
import type { TimeAssumptions } from '../parser/index.js';

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

/** Numbers per record in `AssembledBatch.recs`. */
export const REC_COLS = 11;
/** Column positions in `AssembledBatch.recs` (NaN = none for times and v, -1 = none for ids). */
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

/** Bytes appended at the end, grown by doubling. */
export class ByteArena {
  buf: Buffer;
  len = 0;
  constructor(size: number, reuse?: Uint8Array) {
    // never from the shared pool: these buffers are transferred between threads
    this.buf = reuse && reuse.byteLength >= size ? Buffer.from(reuse.buffer, 0, reuse.buffer.byteLength) : Buffer.allocUnsafeSlow(size);
  }
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.allocUnsafeSlow(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  /** Append a string as UTF-8; returns its byte length. */
  write(s: string): number {
    this.room(s.length * 3);
    const n = this.buf.write(s, this.len, 'utf8');
    this.len += n;
    return n;
  }
  writeAscii(s: string): void {
    this.room(s.length);
    this.len += this.buf.write(s, this.len, 'latin1');
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  copyFrom(src: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.buf.set(src.subarray(start, end), this.len); // memcpy (Buffer.copy loops in JS for small ranges)
    this.len += end - start;
  }
}

/** Numbers per entry in the entry table. */
export const M = {
  line: 0, // the parser's line
  kind: 1, // 0 record, 1 foreign, 2 rejected
  lines: 2,
  timeUs: 3, // NaN = none
  offset: 4, // content offset, -1 = none
  bodyAt: 5,
  bodyLen: 6,
  sub: 7, // index into subs (foreign kind / reject reason)
  // record columns, as in AssembledBatch.recs
  span: 8,
  sev: 9,
  stream: 10,
  caller: 11,
  msg: 12,
  pod: 13,
  printf: 14,
  v: 15,
  state: 16, // 0 pending, 1 ready (counted), 2 sent early (not counted yet)
} as const;
export const MW = 17;

/** Arenas the writer thread gave back (after writing their batch), to be filled again. */
export interface Arenas {
  meta: Float64Array;
  bodies: Uint8Array;
}

/** A batch as the worker hands it over (transferable parts). */
export interface RawBatch {
  /** MW numbers per entry (see M). */
  meta: Float64Array;
  bodies: Uint8Array;
  /** Entries to store, in line order (indexes into meta). */
  order: Int32Array;
  /** Foreign kinds and reject reasons, by index. */
  subs: string[];
  lineBase: number;
  blockEntries: number;
  dict: DictDelta;
  /** [line, level, code, message] */
  diagnostics: Array<[number, string, string, string]>;
}

/** The blocks of a batch, ready for SQLite. */
export interface AssembledBatch {
  /** Block payloads (store/codec.ts): block b is data[blockAt[b], blockAt[b+1]). */
  data: Buffer;
  blockAt: number[];
  /** Per block: first line, last line, number of entries. */
  blockMeta: number[];
  /** REC_COLS numbers per record. */
  recs: Float64Array;
  /** Foreign and rejected lines: line, block index, rejected (0/1), kind, offset (-1 none). */
  others: Array<[number, number, number, string, number]>;
}

/**
 * Cut a batch into blocks: entries in line order, numbers as differences (store/codec.ts). The
 * result lives in `scratch` (reused from one batch to the next) until the next call.
 */
export function assembleBatch(raw: RawBatch, scratch: { out: ByteArena } = { out: new ByteArena(1024) }): AssembledBatch {
  const m = raw.meta;
  const bodies = Buffer.from(raw.bodies.buffer, raw.bodies.byteOffset, raw.bodies.byteLength);
  const go = raw.order;
  const lineBase = raw.lineBase;
  const out = scratch.out;
  out.len = 0;
  const blockMeta: number[] = [];
  const blockAt: number[] = [];
  const others: AssembledBatch['others'] = [];
  let nrec = 0;
  for (const i of go) if (m[i * MW + M.kind] === 0) nrec++;
  const recs = new Float64Array(nrec * REC_COLS);
  let r = 0;
  const per = raw.blockEntries;
  for (let s = 0, b = 0; s < go.length; s += per, b++) {
    const end = Math.min(go.length, s + per);
    blockAt.push(out.len);
    let prevLine = 0;
    let prevOffset = 0;
    let prevTime = 0;
    for (let j = s; j < end; j++) {
      const k = go[j]! * MW;
      const kind = m[k + M.kind]!;
      const line = m[k + M.line]! + lineBase;
      const offset = m[k + M.offset]!;
      if (j > s) out.byte(0);
      let head = `${kind === 0 ? 'r' : kind === 1 ? 'f' : 'x'}\u0000${line - prevLine}\u0000`;
      prevLine = line;
      if (offset < 0) head += '\u0002';
      else {
        head += String(offset - prevOffset);
        prevOffset = offset;
      }
      if (kind === 0) {
        const t = m[k + M.timeUs]!;
        if (Number.isNaN(t)) head += '\u0000\u0002';
        else {
          head += `\u0000${t - prevTime}`;
          prevTime = t;
        }
      }
      out.writeAscii(head + '\u0000');
      out.copyFrom(bodies, m[k + M.bodyAt]!, m[k + M.bodyAt]! + m[k + M.bodyLen]!);
      if (kind === 0) {
        recs[r + C.line] = line;
        recs[r + C.block] = b;
        recs[r + C.span] = m[k + M.span]!;
        recs[r + C.timeUs] = m[k + M.timeUs]!;
        recs[r + C.severity] = m[k + M.sev]!;
        recs[r + C.stream] = m[k + M.stream]!;
        recs[r + C.caller] = m[k + M.caller]!;
        recs[r + C.msg] = m[k + M.msg]!;
        recs[r + C.pod] = m[k + M.pod]!;
        recs[r + C.printf] = m[k + M.printf]!;
        recs[r + C.v] = m[k + M.v]!;
        r += REC_COLS;
      } else {
        others.push([line, b, kind === 2 ? 1 : 0, raw.subs[m[k + M.sub]!]!, offset]);
      }
    }
    blockMeta.push(m[go[s]! * MW]! + lineBase, m[go[end - 1]! * MW]! + lineBase, end - s);
  }
  blockAt.push(out.len);
  return { data: out.buf.subarray(0, out.len), blockAt, blockMeta, recs, others };
}

/** A batch as the writer stores it, with the source's progress up to its last line. */
export interface StoredBatch extends RawBatch {
  progress: Progress;
}

/** The end of a source as the writer stores it: its last batch and what the whole content was. */
export interface SourceEnd {
  last: StoredBatch;
  /** Resume point for a later run if the input grows: the first line whose record was completed only by the end of input. */
  resume: Progress;
  contentLen: number;
  contentHash: string;
  gzip: boolean;
  envelope?: string;
}
