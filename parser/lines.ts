// Bytes → physical lines with their byte offsets. Works on Buffers so offsets are exact and
// invalid UTF-8 is detected per line; an over-long line is counted, not held in memory.
import { isAscii, isUtf8 } from 'node:buffer';

export interface PhysicalLine {
  text: string;
  lineNo: number;
  offset: number;
  bytes: number;
  invalidUtf8: boolean;
  /** Longer than the limit: `text` holds only its first 512 bytes. */
  overlong: boolean;
}

export class LineSplitter {
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
    // Logs are nearly always ASCII: then one decode of the whole chunk and string indices are
    // byte offsets, instead of a Buffer slice and a UTF-8 decode per line.
    if (this.carry.length === 0 && !this.overlong && isAscii(chunk)) {
      this.pushAscii(chunk);
      return;
    }
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.emitLine(chunk, start, nl, nl + 1 - start);
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  private pushAscii(chunk: Buffer): void {
    const text = chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const len = nl - start;
      if (len > this.maxBytes) {
        this.lineNo++;
        this.onLine({ text: text.slice(start, start + 512), lineNo: this.lineNo, offset: this.offset, bytes: len + 1, invalidUtf8: false, overlong: true });
      } else {
        this.lineNo++;
        this.onLine({ text: text.slice(start, nl), lineNo: this.lineNo, offset: this.offset, bytes: len + 1, invalidUtf8: false, overlong: false });
      }
      this.offset += len + 1;
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  end(): void {
    if (this.carryBytes > 0 || this.overlong) this.emitLine(Buffer.alloc(0), 0, 0, 0);
  }

  private keep(part: Buffer): void {
    if (this.overlong) {
      this.carryBytes += part.length;
      return;
    }
    this.carry.push(Buffer.from(part)); // copy: the chunk's memory is reused by streams
    this.carryBytes += part.length;
    if (this.carryBytes > this.maxBytes) {
      // keep only a prefix for the diagnostic; count the rest
      const head = Buffer.concat(this.carry).subarray(0, 512);
      this.carry = [Buffer.from(head)];
      this.overlong = true;
    }
  }

  private emitLine(chunk: Buffer, start: number, end: number, terminatorAndBody: number): void {
    let buf: Buffer;
    let bytes: number;
    if (this.carry.length > 0 || this.overlong) {
      bytes = this.carryBytes + terminatorAndBody;
      if (this.overlong) {
        buf = this.carry[0]!;
      } else {
        this.carry.push(chunk.subarray(start, end));
        buf = Buffer.concat(this.carry);
      }
    } else {
      buf = chunk.subarray(start, end);
      bytes = terminatorAndBody;
    }
    const overlong = this.overlong || buf.length > this.maxBytes;
    const text = overlong ? buf.subarray(0, 512).toString('utf8') : buf.toString('utf8');
    // U+FFFD in the text: either invalid bytes or a literal replacement character
    const invalidUtf8 = !overlong && text.includes('\uFFFD') && !isUtf8(buf);
    this.lineNo++;
    this.onLine({ text, lineNo: this.lineNo, offset: this.offset, bytes, invalidUtf8, overlong });
    this.offset += bytes;
    this.carry = [];
    this.carryBytes = 0;
    this.overlong = false;
  }
}

