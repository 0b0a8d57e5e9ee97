// The block format: how every line read is kept, exactly, in `blocks.data`.
//
// A block holds consecutive entries (records, foreign lines, rejected lines) of one source, in line
// order, as one string of fields separated by NUL, compressed with brotli. Records keep every field
// of the parser's LogRecord, so decoding a block gives back exactly what `kubelog parse` printed.
// Numbers are stored as differences from the entry before (lines, offsets, times), which
// compresses far better than the numbers themselves. Strings that could be mistaken for the
// separator or the markers are stored JSON-quoted behind ESC.
//
//   record:   r dLine dOffset dTimeUs span envelope format severity klogTime pid caller msg structured
//             kvJSON printf v hasTransport tHost tIdent tPid dTTimeUs tTimeText raw podUid   (24 fields)
//   foreign:  f dLine dOffset kind text hasTransport tHost tIdent tPid dTTimeUs tTimeText    (11 fields)
//   rejected: x dLine dOffset reason text                                                 (5 fields)
//
// dLine/dOffset: from the previous entry's line/offset (the first entry: from 0); a foreign blank
// line split off a record has no offset (ABSENT, the parser's -1). dTimeUs: from the previous
// record's time in the block (0 before the first). dTTimeUs: from the record's own time, or, for a
// record without one and for foreign lines, from 0. Everything of a record after dTimeUs does not
// depend on its neighbours, so the parse worker encodes it as soon as the record is complete.
import { brotliCompressSync, brotliDecompressSync, constants as zc } from 'node:zlib';
import type { BodyFormat, EnvelopeKind, ForeignKind, ForeignLine, KvMap, LogRecord, RejectReason, RejectedLine, Severity, Transport } from '../parser/index.js';

export const SEP = '\u0000';
/** A field that is absent (undefined). */
export const ABSENT = '\u0002';
const ESC = '\u0003';

export const RECORD_FIELDS = 24;
export const FOREIGN_FIELDS = 11;
export const REJECTED_FIELDS = 5;

/** `blocks.format`: 1 = brotli of the format above. */
export const BLOCK_FORMAT = 1;

export function enc(s: string): string {
  const c0 = s.charCodeAt(0);
  if (c0 === 2 || c0 === 3 || s.indexOf(SEP) >= 0) return ESC + JSON.stringify(s);
  return s;
}

function encOpt(s: string | undefined): string {
  return s === undefined ? ABSENT : enc(s);
}

function num(n: number | undefined): string {
  return n === undefined ? ABSENT : String(n);
}

export function dec(s: string): string {
  return s.charCodeAt(0) === 3 ? (JSON.parse(s.slice(1)) as string) : s;
}

function decOpt(s: string): string | undefined {
  return s === ABSENT ? undefined : dec(s);
}

function decNum(s: string): number | undefined {
  return s === ABSENT ? undefined : Number(s);
}

/** Running state of a block being encoded or decoded. */
export interface DeltaState {
  line: number;
  offset: number;
  timeUs: number;
}

export const newDeltaState = (): DeltaState => ({ line: 0, offset: 0, timeUs: 0 });

function lineField(st: DeltaState, line: number): string {
  const d = line - st.line;
  st.line = line;
  return String(d);
}

function offsetField(st: DeltaState, offset: number): string {
  if (offset < 0) return ABSENT;
  const d = offset - st.offset;
  st.offset = offset;
  return String(d);
}

function transportFields(t: Transport | undefined, timeBase: number): string {
  if (!t) return `0${SEP}${ABSENT}${SEP}${ABSENT}${SEP}${ABSENT}${SEP}${ABSENT}${SEP}${ABSENT}`;
  const tt = t.timeUs === undefined ? ABSENT : String(t.timeUs - timeBase);
  return `1${SEP}${encOpt(t.host)}${SEP}${encOpt(t.ident)}${SEP}${num(t.pid)}${SEP}${tt}${SEP}${encOpt(t.timeText)}`;
}

/** The fields of a record entry after dTimeUs (independent of its neighbours in the block). */
export function encodeRecordBody(r: LogRecord, podUid: string | undefined): string {
  return (
    `${r.endLine - r.line}${SEP}${r.envelope}${SEP}${r.format}${SEP}${r.severity ?? ABSENT}${SEP}${encOpt(r.klogTime)}${SEP}${num(r.pid)}` +
    `${SEP}${encOpt(r.caller)}${SEP}${enc(r.msg)}${SEP}${r.structured ? '1' : '0'}${SEP}${JSON.stringify(r.kv)}${SEP}${encOpt(r.printf)}` +
    `${SEP}${num(r.v)}${SEP}${transportFields(r.transport, r.timeUs ?? 0)}${SEP}${enc(r.raw)}${SEP}${encOpt(podUid)}`
  );
}

/**
 * One record entry from its body (encodeRecordBody). `line`/`offset` are the record's position in
 * the whole input (the parser's numbers shifted when parsing resumed in the middle). Entries of a
 * block must be encoded in order with one DeltaState.
 */
export function encodeRecordEntry(st: DeltaState, line: number, offset: number, timeUs: number | undefined, body: string): string {
  let dt: string = ABSENT;
  if (timeUs !== undefined) {
    dt = String(timeUs - st.timeUs);
    st.timeUs = timeUs;
  }
  return `r${SEP}${lineField(st, line)}${SEP}${offsetField(st, offset)}${SEP}${dt}${SEP}${body}`;
}

export function encodeRecord(st: DeltaState, r: LogRecord, line: number, offset: number, podUid: string | undefined): string {
  return encodeRecordEntry(st, line, offset, r.timeUs, encodeRecordBody(r, podUid));
}

/** The fields of a foreign entry after dOffset. */
export function encodeForeignBody(f: ForeignLine): string {
  return `${f.kind}${SEP}${enc(f.text)}${SEP}${transportFields(f.transport, 0)}`;
}

/** The fields of a rejected entry after dOffset. */
export function encodeRejectedBody(x: RejectedLine): string {
  return `${x.reason}${SEP}${enc(x.text)}`;
}

export function encodeForeign(st: DeltaState, f: ForeignLine, line: number, offset: number): string {
  return `f${SEP}${lineField(st, line)}${SEP}${offsetField(st, offset)}${SEP}${encodeForeignBody(f)}`;
}

export function encodeRejected(st: DeltaState, x: RejectedLine, line: number, offset: number): string {
  return `x${SEP}${lineField(st, line)}${SEP}${offsetField(st, offset)}${SEP}${encodeRejectedBody(x)}`;
}

function decodeTransport(p: string[], i: number, timeBase: number): Transport | undefined {
  if (p[i] !== '1') return undefined;
  const t: Transport = {};
  const host = decOpt(p[i + 1]!);
  const ident = decOpt(p[i + 2]!);
  const pid = decNum(p[i + 3]!);
  const dt = decNum(p[i + 4]!);
  const timeText = decOpt(p[i + 5]!);
  if (host !== undefined) t.host = host;
  if (ident !== undefined) t.ident = ident;
  if (pid !== undefined) t.pid = pid;
  if (timeText !== undefined) t.timeText = timeText;
  if (dt !== undefined) t.timeUs = timeBase + dt;
  return t;
}

export type Entry =
  | { kind: 'record'; record: LogRecord; podUid?: string }
  | { kind: 'foreign'; foreign: ForeignLine }
  | { kind: 'rejected'; rejected: RejectedLine };

function nextOffset(st: DeltaState, s: string): number {
  if (s === ABSENT) return -1;
  st.offset += Number(s);
  return st.offset;
}

/** All entries of a block payload, in order. */
export function decodeEntries(payload: string): Entry[] {
  const p = payload.split(SEP);
  const st = newDeltaState();
  const out: Entry[] = [];
  let i = 0;
  while (i < p.length) {
    const tag = p[i];
    st.line += Number(p[i + 1]);
    const offset = nextOffset(st, p[i + 2]!);
    if (tag === 'r') {
      const dt = decNum(p[i + 3]!);
      if (dt !== undefined) st.timeUs += dt;
      const r: LogRecord = {
        line: st.line,
        endLine: st.line + Number(p[i + 4]),
        offset,
        envelope: p[i + 5] as EnvelopeKind,
        format: p[i + 6] as BodyFormat,
        msg: dec(p[i + 11]!),
        structured: p[i + 12] === '1',
        kv: JSON.parse(p[i + 13]!) as KvMap,
        raw: dec(p[i + 22]!),
      };
      const transport = decodeTransport(p, i + 16, dt !== undefined ? st.timeUs : 0);
      if (transport) r.transport = transport;
      const severity = decOpt(p[i + 7]!);
      if (severity !== undefined) r.severity = severity as Severity;
      if (dt !== undefined) r.timeUs = st.timeUs;
      const klogTime = decOpt(p[i + 8]!);
      if (klogTime !== undefined) r.klogTime = klogTime;
      const pid = decNum(p[i + 9]!);
      if (pid !== undefined) r.pid = pid;
      const caller = decOpt(p[i + 10]!);
      if (caller !== undefined) r.caller = caller;
      const printf = decOpt(p[i + 14]!);
      if (printf !== undefined) r.printf = printf;
      const v = decNum(p[i + 15]!);
      if (v !== undefined) r.v = v;
      const podUid = decOpt(p[i + 23]!);
      out.push(podUid === undefined ? { kind: 'record', record: r } : { kind: 'record', record: r, podUid });
      i += RECORD_FIELDS;
    } else if (tag === 'f') {
      const f: ForeignLine = { line: st.line, offset, kind: p[i + 3] as ForeignKind, text: dec(p[i + 4]!) };
      const t = decodeTransport(p, i + 5, 0);
      if (t) f.transport = t;
      out.push({ kind: 'foreign', foreign: f });
      i += FOREIGN_FIELDS;
    } else if (tag === 'x') {
      out.push({ kind: 'rejected', rejected: { line: st.line, offset, reason: p[i + 3] as RejectReason, text: dec(p[i + 4]!) } });
      i += REJECTED_FIELDS;
    } else {
      throw new Error(`corrupt block: unexpected field ${JSON.stringify(tag)} at ${i}`);
    }
  }
  return out;
}

export function compressBlock(payload: string | Buffer): Buffer {
  const buf = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return brotliCompressSync(buf, {
    params: { [zc.BROTLI_PARAM_QUALITY]: 1, [zc.BROTLI_PARAM_LGWIN]: 18, [zc.BROTLI_PARAM_SIZE_HINT]: buf.length, [zc.BROTLI_PARAM_MODE]: zc.BROTLI_MODE_TEXT },
  });
}

export function decompressBlock(data: Buffer, format: number): string {
  if (format !== BLOCK_FORMAT) throw new Error(`unknown block format ${format} (written by a newer kubelog?)`);
  return brotliDecompressSync(data).toString('utf8');
}

/**
 * The text a record is searched by: its lines after the envelope and klog header (message,
 * key/values and continuation lines), or the JSON object of a JSON-format line.
 */
export function searchText(raw: string, format: string, caller: string | undefined): string {
  if (format === 'klog') {
    const at = caller !== undefined ? raw.indexOf(caller + '] ') : -1;
    if (at >= 0) return raw.slice(at + caller!.length + 2);
    const b = raw.indexOf('] ');
    return b >= 0 ? raw.slice(b + 2) : raw;
  }
  if (format === 'json') {
    const b = raw.indexOf('{');
    return b > 0 ? raw.slice(b) : raw;
  }
  return raw;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The pod UID a record states itself: podUID, podID, a PLEG event's ID, a status patch's
 * metadata.uid, a printf-era `name_ns(uid)`. (The lifecycle model joins the rest.)
 */
export function podUidOf(kv: KvMap): string | undefined {
  const direct = kv.podUID ?? kv.podUid ?? kv.pod_uid ?? kv.podID;
  if (typeof direct === 'string' && direct.length >= 8) return direct;
  const ev = kv.event;
  if (isMap(ev) && typeof ev.ID === 'string' && ev.ID.length >= 8) return ev.ID;
  const patch = kv.patch;
  if (isMap(patch) && isMap(patch.metadata) && typeof patch.metadata.uid === 'string' && patch.metadata.uid.length >= 8) return patch.metadata.uid;
  // printf era: pods="name_ns(uid)" (one pod) or pod="name_ns(uid)"
  for (const key of ['pod', 'pods'] as const) {
    let v = kv[key];
    if (Array.isArray(v) && v.length === 1) v = v[0]!;
    if (typeof v === 'string' && !v.includes(', ')) {
      const m = /\(([0-9a-f][0-9a-f-]{7,63})\)$/.exec(v);
      if (m) return m[1];
    }
  }
  return undefined;
}
