// The parse worker's side of a batch: entries encoded as soon as the parser completes them, kept
// off the JS heap (bytes in growable buffers, numbers in typed arrays) until the resume point R
// passes them, then assembled into blocks (store/batch.ts, store/codec.ts) in line order.
//
// Keeping records as parser objects until a batch is sent made them all survive into V8's old
// generation: garbage collection then cost more than parsing. Bytes and numbers cost it nothing.
import type { ForeignLine, LogRecord, RejectedLine, Transport } from '../parser/index.js';
import { encodeForeignBody, encodeRecordBody, encodeRejectedBody, podUidOf } from '../store/codec.js';
import { ByteArena, C, M, MW, REC_COLS, zeroCounts, type Arenas, type DictDelta, type LineCounts, type RawBatch } from '../store/batch.js';

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

const SEV: Record<string, number> = { I: 1, W: 2, E: 3, F: 4 };
/**
 * Local dictionaries are reset (at a batch boundary) beyond this many values. They are most of the
 * worker's live heap, and V8 lets the heap grow to a multiple of what is live before collecting:
 * 50,000 let the ingest of a 1 GB log (95,000 distinct messages) reach 337 MB, 16,000 held it at
 * 289 MB; a reset costs sending the strings in use again.
 */
export const DICT_CAP = 16_000;

type Diag = [number, string, string, string];

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
    this.addLine(1, f.line, f.offset < 0 ? -1 : f.offset + this.offsetBase, encodeForeignBody(f), f.kind);
  }

  addRejected(x: RejectedLine): void {
    this.addLine(2, x.line, x.offset + this.offsetBase, encodeRejectedBody(x), x.reason);
  }

  /** A one-line entry that is no record (kind 1 foreign, 2 rejected), untimed. */
  private addLine(kind: 1 | 2, line: number, offset: number, body: string, sub: string): void {
    const k = this.slot();
    const m = this.meta;
    m[k + M.line] = line;
    m[k + M.kind] = kind;
    m[k + M.lines] = 1;
    m[k + M.timeUs] = NaN;
    m[k + M.offset] = offset;
    m[k + M.bodyAt] = this.bodies.len;
    m[k + M.bodyLen] = this.bodies.write(body);
    m[k + M.sub] = this.subId(sub);
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

