// What the first 64 KiB of an input say about it: the time of its first record (to read a rotated
// set oldest first) and its host. Parsed in the worker (the parser costs memory to load).
import { parseText, type ParseOptions } from '../parser/index.js';

export interface HeadFacts {
  firstTimeUs?: number;
  host?: string;
}

export function headFacts(head: Uint8Array, opts: ParseOptions): HeadFacts {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  // only whole lines: the head may end inside one
  const nl = buf.lastIndexOf(10);
  const text = nl >= 0 ? buf.subarray(0, nl + 1) : buf;
  const out: HeadFacts = {};
  for (const r of parseText(text, opts).records) {
    if (out.firstTimeUs === undefined && r.timeUs !== undefined) out.firstTimeUs = r.timeUs;
    if (out.host === undefined && r.transport?.host) out.host = r.transport.host;
    if (out.firstTimeUs !== undefined && out.host !== undefined) break;
  }
  return out;
}
