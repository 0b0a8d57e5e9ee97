// Bytes → physical lines with their byte offsets. Each chunk is decoded once; byte lengths are
// counted only for lines that are not ASCII, and invalid UTF-8 is checked only on lines that
// decoded to U+FFFD. An over-long line is counted, not held in memory.
import { isAscii, isUtf8 } from 'node:buffer';

export interface PhysicalLine {
  text: string;
  lineNo: number;
  offset: number;
  bytes: number;
  invalidUtf8: boolean;
  /** Longer than the limit: `text` holds only its first 512 bytes. */
  overlong: boolean;
  /**
   * A logical line folded from several physical ones (a pretty-printed JSON entry,
   * parser/pretty-json.ts): those lines, first to last. `lineNo` and `offset` are the first's,
   * `bytes` their sum.
   */
  parts?: PhysicalLine[];
}

/** One logical line folded from several physical ones (an export's entry, a runtime's pieces): it carries them. */
export function foldedLine(text: string, parts: PhysicalLine[], bytes: number): PhysicalLine {
  const first = parts[0]!;
  return { text, lineNo: first.lineNo, offset: first.offset, bytes, invalidUtf8: parts.some((p) => p.invalidUtf8), overlong: false, parts };
}

const NON_ASCII = /[^\x00-\x7f]/;
const PREFIX_BYTES = 512;

export class LineSplitter {
  /** Bytes of an unfinished line from earlier chunks (at most maxBytes, then only a prefix). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false;
  private lineNo = 0;
  private offset = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: PhysicalLine) => void,
  ) {}

  push(chunk: Buffer): void {
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl < 0) {
      this.keep(chunk);
      return;
    }
    let start = 0;
    if (this.carry.length > 0 || this.overlong) {
      // finish the line begun in earlier chunks on its own, then the rest of the chunk in one go
      const nl = chunk.indexOf(10);
      this.finishCarried(chunk.subarray(0, nl));
      start = nl + 1;
    }
    if (start <= lastNl) this.splitRegion(chunk.subarray(start, lastNl + 1));
    if (lastNl + 1 < chunk.length) this.keep(chunk.subarray(lastNl + 1));
  }

  end(): void {
    if (this.carryBytes > 0 || this.overlong) this.finishCarried(Buffer.alloc(0), 0);
  }

  /** A region of whole lines, each ending in `\n`. */
  private splitRegion(region: Buffer): void {
    const text = region.toString('utf8');
    const ascii = isAscii(region);
    const suspect = !ascii && text.includes('\uFFFD');
    let pos = 0;
    let byteOffset = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      const line = text.slice(pos, nl);
      const bytes = ascii || !NON_ASCII.test(line) ? line.length + 1 : Buffer.byteLength(line) + 1;
      const invalidUtf8 = suspect && line.includes('\uFFFD') && !isUtf8(region.subarray(byteOffset, byteOffset + bytes - 1));
      this.emit(line, bytes, invalidUtf8, bytes - 1 > this.maxBytes);
      byteOffset += bytes;
      pos = nl + 1;
    }
  }

  private keep(part: Buffer): void {
    this.carryBytes += part.length;
    if (this.overlong) return;
    this.carry.push(Buffer.from(part)); // copy: the chunk's memory is reused by streams
    if (this.carryBytes > this.maxBytes) {
      // keep only a prefix for the diagnostic; count the rest
      this.carry = [Buffer.from(Buffer.concat(this.carry).subarray(0, PREFIX_BYTES))];
      this.overlong = true;
    }
  }

  /** The carried line ends with `tail` (without its newline); `terminator` is 0 at end of input. */
  private finishCarried(tail: Buffer, terminator = 1): void {
    const bytes = this.carryBytes + tail.length + terminator;
    const overlong = this.overlong || bytes - terminator > this.maxBytes;
    const buf = overlong ? Buffer.concat([...this.carry, tail.subarray(0, PREFIX_BYTES)]).subarray(0, PREFIX_BYTES) : Buffer.concat([...this.carry, tail]);
    const text = buf.toString('utf8');
    const invalidUtf8 = !overlong && text.includes('\uFFFD') && !isUtf8(buf);
    this.carry = [];
    this.carryBytes = 0;
    this.overlong = false;
    this.emit(text, bytes, invalidUtf8, overlong);
  }

  private emit(text: string, bytes: number, invalidUtf8: boolean, overlong: boolean): void {
    this.lineNo++;
    this.onLine({ text: overlong ? text.slice(0, PREFIX_BYTES) : text, lineNo: this.lineNo, offset: this.offset, bytes, invalidUtf8, overlong });
    this.offset += bytes;
  }
}
