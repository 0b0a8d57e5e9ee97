// What the first 64 KiB of an input say about it: the time of its first record (to read a rotated
// set oldest first) and its host. Parsed in the worker (the parser costs memory to load).
import { parseText, type ParseOptions, type YearSource, type ZoneSource } from '../parser/index.js';

export interface HeadFacts {
  firstTimeUs?: number;
  host?: string;
  /** What dated the head's yearless times and placed its zoneless ones (ingest/sibling-times.ts shares what is stated). */
  year?: { value: number; from: YearSource };
  zone?: { value: string; from: ZoneSource };
}

export function headFacts(head: Uint8Array, opts: ParseOptions): HeadFacts {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  // only whole lines: the head may end inside one
  const nl = buf.lastIndexOf(10);
  const text = nl >= 0 ? buf.subarray(0, nl + 1) : buf;
  const out: HeadFacts = {};
  const parsed = parseText(text, opts);
  if (parsed.time.year) out.year = { value: parsed.time.year.value, from: parsed.time.year.from };
  if (parsed.time.zone) out.zone = { value: parsed.time.zone.value, from: parsed.time.zone.from };
  for (const r of parsed.records) {
    if (out.firstTimeUs === undefined && r.timeUs !== undefined) out.firstTimeUs = r.timeUs;
    if (out.host === undefined && r.transport?.host) out.host = r.transport.host;
    if (out.firstTimeUs !== undefined && out.host !== undefined) break;
  }
  return out;
}
