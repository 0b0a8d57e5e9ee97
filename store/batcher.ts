// The parse worker's side of a batch: entries encoded as soon as the parser completes them, kept
// off the JS heap (bytes in growable buffers, numbers in typed arrays) until the resume point R
// passes them, then assembled into blocks (store/codec.ts) in line order.
//
// Keeping records as parser objects until a batch is sent made them all survive into V8's old
// generation: garbage collection then cost more than parsing. Bytes and numbers cost it nothing.
import type { ForeignLine, LogRecord, RejectedLine, Transport } from '../parser/index.js';
import { encodeForeignBody, encodeRecordBody, encodeRejectedBody, podUidOf } from './codec.js';
import { C, REC_COLS, zeroCounts, type DictDelta, type LineCounts } from './protocol.js';

/**
 * A copy of a string that does not keep a larger one alive: the parser's strings can be slices of
 * the whole decoded chunk (1 MiB), and a kept slice keeps all of it.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** Local ids for repeated strings; the writer thread maps them to database ids once. */
class Dict {
  private readonly ids = new Map<string, number>();
  private added: string[] = [];
  id(v: string): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      v = detach(v);
      id = this.ids.size;
      this.ids.set(v, id);
      this.added.push(v);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
  take(): string[] {
    const a = this.added;
    this.added = [];
    return a;
  }
  clear(): void {
    this.ids.clear();
    this.added = [];
  }
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
const M = {
  line: 0, // the parser's line
  kind: 1, // 0 record, 1 foreign, 2 rejected
  lines: 2,
  timeUs: 3, // NaN = none
  offset: 4, // content offset, -1 = none
  bodyAt: 5,
  bodyLen: 6,
  sub: 7, // index into subs (foreign kind / reject reason)
  // record columns, as in BatchMsg.recs
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
const MW = 17;

const SEV: Record<string, number> = { I: 1, W: 2, E: 3, F: 4 };
/**
 * Local dictionaries are reset (at a batch boundary) beyond this many values. They are most of the
 * worker's live heap, and V8 lets the heap grow to a multiple of what is live before collecting:
 * 50,000 let the ingest of a 1 GB log (95,000 distinct messages) reach 337 MB, 16,000 held it at
 * 289 MB; a reset costs sending the strings in use again.
 */
export const DICT_CAP = 16_000;

type Diag = [number, string, string, string];

/** Arenas the writer thread gave back (after writing their batch), to be filled again. */
export interface Arenas {
  meta: Float64Array;
  bodies: Uint8Array;
}

export class Batcher {
  private bodies = new ByteArena(4 << 20);
  private meta: Float64Array = new Float64Array(MW * 8192);
  private readonly free: Arenas[] = [];
  private n = 0;
  /** Entry indexes (in the arena) not yet counted: pending, or marked to go early. */
  private uncounted: number[] = [];
  /** Entries sent before R reached them: line, kind, lines, sub. Counted when R passes. */
  private earlySent: Array<[number, number, number, number]> = [];
  private readyCount = 0;
  private earlyCount = 0;
  private heldDiags: Diag[] = [];
  private readyDiags: Diag[] = [];
  /** Sent before R reached them; counted when it does. */
  private earlyDiagLines: number[] = [];
  private readonly subs: string[] = [];
  private readonly subIds = new Map<string, number>();

  readonly counts: LineCounts = zeroCounts();
  lastTimeUs: number | undefined;
  private lastCountedLine = 0;

  private readonly msgs = new Dict();
  private readonly callers = new Dict();
  private readonly pods = new Dict();
  private readonly printfs = new Dict();
  private readonly streams = new Dict();
  private streamTuples: Array<[string, string, number, number]> = [];
  private dictReset = false;
  private lastStream: [string, string, number, number, number] = ['', '', -2, -2, -1];
  /** The last message seen per caller id: a call site nearly always logs the same message. */
  private msgByCaller: Array<[string, number] | undefined> = [];
  private lastPod: [string, number] = ['', -1];

  constructor(
    private readonly lineBase: number,
    private readonly offsetBase: number,
    private readonly blockEntries: number,
    private readonly dictCap = DICT_CAP,
  ) {}

  /** Take back the arenas of a batch the writer thread has written. */
  recycle(a: Arenas): void {
    if (this.free.length < 4) this.free.push(a);
  }

  /** Entries ready to go (below R, or overflowing). */
  get ready(): number {
    return this.readyCount + this.earlyCount;
  }

  /** Entries waiting for R. */
  get held(): number {
    return this.uncounted.length - this.earlyCount;
  }

  private slot(): number {
    if ((this.n + 1) * MW > this.meta.length) {
      const m = new Float64Array(this.meta.length * 2);
      m.set(this.meta);
      this.meta = m;
    }
    const i = this.n++;
    this.uncounted.push(i);
    return i * MW;
  }

  private subId(s: string): number {
    let id = this.subIds.get(s);
    if (id === undefined) {
      id = this.subs.length;
      this.subs.push(s);
      this.subIds.set(s, id);
    }
    return id;
  }

  addRecord(r: LogRecord, lines: number): void {
    const pod = podUidOf(r.kv);
    const k = this.slot();
    const m = this.meta;
    m[k + M.line] = r.line;
    m[k + M.kind] = 0;
    m[k + M.lines] = lines;
    m[k + M.timeUs] = r.timeUs ?? NaN;
    m[k + M.offset] = r.offset + this.offsetBase;
    m[k + M.bodyAt] = this.bodies.len;
    m[k + M.bodyLen] = this.bodies.write(encodeRecordBody(r, pod));
    m[k + M.sub] = 0;
    m[k + M.span] = r.endLine - r.line;
    m[k + M.sev] = r.severity ? SEV[r.severity]! : 0;
    m[k + M.stream] = this.streamId(r.transport, r.pid);
    const caller = r.caller !== undefined ? this.callers.id(r.caller) : -1;
    m[k + M.caller] = caller;
    m[k + M.msg] = this.msgId(caller, r.msg);
    m[k + M.pod] = pod === undefined ? -1 : pod === this.lastPod[0] ? this.lastPod[1] : this.podId(pod);
    m[k + M.printf] = r.printf !== undefined ? this.printfs.id(r.printf) : -1;
    m[k + M.v] = r.v ?? NaN;
    m[k + M.state] = 0;
  }

  private msgId(caller: number, msg: string): number {
    if (caller >= 0) {
      const last = this.msgByCaller[caller];
      if (last && last[0] === msg) return last[1];
      const id = this.msgs.id(msg);
      this.msgByCaller[caller] = [detach(msg), id];
      return id;
    }
    return this.msgs.id(msg);
  }

  private podId(pod: string): number {
    const id = this.pods.id(pod);
    this.lastPod = [detach(pod), id];
    return id;
  }

  addForeign(f: ForeignLine): void {
    const k = this.slot();
    const m = this.meta;
    m[k + M.line] = f.line;
    m[k + M.kind] = 1;
    m[k + M.lines] = 1;
    m[k + M.timeUs] = NaN;
    m[k + M.offset] = f.offset < 0 ? -1 : f.offset + this.offsetBase;
    m[k + M.bodyAt] = this.bodies.len;
    m[k + M.bodyLen] = this.bodies.write(encodeForeignBody(f));
    m[k + M.sub] = this.subId(f.kind);
    m[k + M.state] = 0;
  }

  addRejected(x: RejectedLine): void {
    const k = this.slot();
    const m = this.meta;
    m[k + M.line] = x.line;
    m[k + M.kind] = 2;
    m[k + M.lines] = 1;
    m[k + M.timeUs] = NaN;
    m[k + M.offset] = x.offset + this.offsetBase;
    m[k + M.bodyAt] = this.bodies.len;
    m[k + M.bodyLen] = this.bodies.write(encodeRejectedBody(x));
    m[k + M.sub] = this.subId(x.reason);
    m[k + M.state] = 0;
  }

  addDiagnostic(line: number, level: string, code: string, message: string): void {
    this.heldDiags.push([line + this.lineBase, level, code, message]);
  }

  private streamId(t: Transport | undefined, klogPid: number | undefined): number {
    if (!t && klogPid === undefined) return -1;
    const host = t?.host ?? '';
    const ident = t?.ident ?? '';
    const tpid = t?.pid ?? -1;
    const pid = klogPid ?? -1;
    const last = this.lastStream;
    if (last[0] === host && last[1] === ident && last[2] === tpid && last[3] === pid) return last[4];
    const before = this.streams.size;
    const id = this.streams.id(`${host}\u0000${ident}\u0000${tpid}\u0000${pid}`);
    if (this.streams.size > before) this.streamTuples.push([detach(host), detach(ident), tpid, pid]);
    this.streams.take();
    this.lastStream = [detach(host), detach(ident), tpid, pid, id];
    return id;
  }

  private count(k: number): void {
    const m = this.meta;
    this.countEntry(m[k + M.line]!, m[k + M.kind]!, m[k + M.lines]!, m[k + M.sub]!, m[k + M.timeUs]!);
  }

  private countEntry(line: number, kind: number, lines: number, subIndex: number, timeUs: number): void {
    const c = this.counts;
    if (kind === 0) {
      c.records++;
      c.recordLines += lines;
    } else {
      const sub = this.subs[subIndex]!;
      if (kind === 1) {
        c.foreign++;
        c.foreignByKind[sub] = (c.foreignByKind[sub] ?? 0) + 1;
      } else {
        c.rejected++;
        c.rejectedByReason[sub] = (c.rejectedByReason[sub] ?? 0) + 1;
      }
    }
    c.lines += lines;
    if (line > this.lastCountedLine) {
      this.lastCountedLine = line;
      if (kind === 0 && !Number.isNaN(timeUs)) this.lastTimeUs = timeUs;
    }
  }

  /** R (the parser's line) advanced: count what is below it; send overflow early past `heldCap`. */
  release(r: number, heldCap: number): void {
    const m = this.meta;
    const keep: number[] = [];
    for (const i of this.uncounted) {
      const k = i * MW;
      if (m[k + M.line]! < r) {
        this.count(k);
        if (m[k + M.state] === 2) this.earlyCount--;
        else this.readyCount++;
        m[k + M.state] = 1;
      } else keep.push(i);
    }
    this.uncounted = keep;
    if (this.earlySent.length) {
      this.earlySent = this.earlySent.filter(([line, kind, lines, sub]) => (line < r ? (this.countEntry(line, kind, lines, sub, NaN), false) : true));
    }
    const rAbs = r + this.lineBase;
    if (this.heldDiags.length) {
      const hold: Diag[] = [];
      for (const d of this.heldDiags) {
        if (d[0] < rAbs) {
          this.counts.diagnostics++;
          this.readyDiags.push(d);
        } else hold.push(d);
      }
      this.heldDiags = hold;
    }
    if (this.earlyDiagLines.length) this.earlyDiagLines = this.earlyDiagLines.filter((l) => (l < rAbs ? (this.counts.diagnostics++, false) : true));
    if (this.held > heldCap) {
      // an early, still-open record keeps many later entries waiting: send them now
      for (const i of this.uncounted) {
        if (m[i * MW + M.state] === 0) {
          m[i * MW + M.state] = 2;
          this.earlyCount++;
        }
      }
      for (const d of this.heldDiags) {
        this.readyDiags.push(d);
        this.earlyDiagLines.push(d[0]);
      }
      this.heldDiags = [];
    }
  }

  /** Whether anything is still unaccounted (must be nothing at the end of input). */
  get unaccounted(): number {
    return this.uncounted.length + this.earlySent.length + this.heldDiags.length + this.earlyDiagLines.length;
  }

  /**
   * Hand over the ready (and early) entries: the arenas themselves (to be transferred to the main
   * thread, which assembles the blocks, see assembleBatch) and the order to read them in; entries
   * still waiting for R move to fresh arenas.
   */
  take(): RawBatch {
    const m = this.meta;
    const go: number[] = [];
    const stay: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const state = m[i * MW + M.state];
      (state === 0 ? stay : go).push(i);
      if (state === 2) {
        const k = i * MW;
        this.earlySent.push([m[k + M.line]!, m[k + M.kind]!, m[k + M.lines]!, m[k + M.sub]!]);
      }
    }
    let sorted = true;
    for (let j = 1; j < go.length; j++) {
      if (m[go[j]! * MW]! < m[go[j - 1]! * MW]!) {
        sorted = false;
        break;
      }
    }
    if (!sorted) go.sort((a, b) => m[a * MW]! - m[b * MW]!);
    const raw: RawBatch = {
      meta: this.meta.subarray(0, this.n * MW),
      bodies: this.bodies.buf.subarray(0, this.bodies.len),
      order: Int32Array.from(go),
      subs: [...this.subs],
      lineBase: this.lineBase,
      blockEntries: this.blockEntries,
      dict: {
        reset: this.dictReset,
        msgs: this.msgs.take(),
        callers: this.callers.take(),
        pods: this.pods.take(),
        printfs: this.printfs.take(),
        streams: this.streamTuples,
      },
      diagnostics: this.readyDiags,
    };
    this.readyDiags = [];
    this.streamTuples = [];
    this.dictReset = false;
    // the arenas go to the writer thread: continue in new ones, with what stays
    const old = { meta: this.meta, bodies: this.bodies };
    const reuse = this.free.pop();
    const metaSize = Math.max(MW * 8192, stay.length * MW * 2);
    this.meta = reuse && reuse.meta.buffer.byteLength >= metaSize * 8 ? new Float64Array(reuse.meta.buffer) : new Float64Array(metaSize);
    this.bodies = new ByteArena(4 << 20, reuse?.bodies);
    this.n = 0;
    this.uncounted = [];
    for (const i of stay) {
      const k = i * MW;
      const j = this.n++;
      const nk = j * MW;
      this.meta.set(old.meta.subarray(k, k + MW), nk);
      this.meta[nk + M.bodyAt] = this.bodies.len;
      this.bodies.copyFrom(old.bodies.buf, old.meta[k + M.bodyAt]!, old.meta[k + M.bodyAt]! + old.meta[k + M.bodyLen]!);
      this.uncounted.push(j);
    }
    this.readyCount = 0;
    this.earlyCount = 0;
    const cap = this.dictCap;
    const big = this.msgs.size > cap || this.callers.size > cap || this.pods.size > cap || this.printfs.size > cap || this.streams.size > cap;
    if (big && this.n === 0) {
      // keep memory flat with millions of distinct messages: start over from the next batch
      for (const d of [this.msgs, this.callers, this.pods, this.printfs, this.streams]) d.clear();
      this.lastStream = ['', '', -2, -2, -1];
      this.msgByCaller = [];
      this.lastPod = ['', -1];
      this.dictReset = true;
    }
    return raw;
  }
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
