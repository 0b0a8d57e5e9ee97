// A test oracle for the parser's openFrom() (the ingest's resume point): the same point derived
// from the emitted events alone, without the parser's state, as the ingest did before the parser
// exposed it. The parser emits a record only once it knows the record is complete, and records of
// different streams complete out of order (a journal interleaves streams; a record with
// continuation lines stays open while other lines are emitted). The derivation:
//
// - a foreign or rejected line marks its line;
// - a record marks its lines. Its lines are `raw`'s lines; when they are contiguous
//   (endLine - line + 1 === lineCount) that is [line, endLine]. Otherwise ("holey": other streams'
//   lines sit between its lines) it marks line and endLine and owns `lineCount - 2` of the unmarked
//   lines strictly between: once exactly that many are unmarked there, they are all its own.
//
// Records of two streams can hold each other's lines (both continued, interleaved): a group of
// holey records whose spans overlap owns exactly the unmarked lines of their joint span once their
// count equals the group's `lineCount - 2` sum (any other unmarked line there would belong to a
// record still pending, and make the count larger).
//
// The resume point R is the first unmarked line W, lowered to the first line of any holey record
// that reaches W or beyond (so that no stored record owns a line >= R). Every line < R belongs to
// an entry already emitted with a line < R; nothing emitted with a line < R owns a line >= R.
// Line numbers here are the parser's (1 = the first line this run parsed).

interface Holey {
  line: number;
  endLine: number;
  inner: number;
  resolved: boolean;
}

export class LineAccounting {
  /** marks[i] is line base + i. */
  private marks = new Uint8Array(1 << 16);
  private base = 1;
  private w = 1;
  private holey: Holey[] = [];
  /** Start offsets of lines startsBase, startsBase+1, … (the parser's offsets: 0 = first byte parsed). */
  private starts: number[] = [0];
  private startsHead = 0;
  private startsBase = 1;
  private lastR = 1;

  /** Bytes about to be pushed to the parser, starting at parser offset `at`: note where lines start. */
  noteBytes(chunk: Uint8Array, at: number): void {
    let i = chunk.indexOf(10);
    while (i >= 0) {
      this.starts.push(at + i + 1);
      i = chunk.indexOf(10, i + 1);
    }
  }

  onLine(line: number): void {
    this.mark(line);
  }

  onRecord(line: number, endLine: number, lineCount: number): void {
    if (endLine - line + 1 === lineCount) {
      for (let l = line; l <= endLine; l++) this.mark(l);
      return;
    }
    this.mark(line);
    this.mark(endLine);
    const h: Holey = { line, endLine, inner: lineCount - 2, resolved: false };
    this.holey.push(h);
    this.tryResolve(h);
  }

  /** The first line not yet accounted for (all lines below it are). */
  get firstUnmarked(): number {
    return this.w;
  }

  /** Advance and return the resume point R (see above); R never decreases. */
  advance(): number {
    for (;;) {
      while (this.isMarked(this.w)) this.w++;
      if (!this.resolveAround(this.w)) break;
    }
    let r = this.w;
    for (let changed = true; changed; ) {
      changed = false;
      for (const h of this.holey) {
        if (h.line < r && h.endLine >= r) {
          r = h.line;
          changed = true;
        }
      }
    }
    if (r < this.lastR) r = this.lastR; // cannot happen (see the proof above); never go back on a commit
    this.lastR = r;
    this.holey = this.holey.filter((h) => !h.resolved || h.endLine >= r);
    this.compact();
    return r;
  }

  /** Whether the start offset of `line` is known (a newline ended the line before it). */
  hasStart(line: number): boolean {
    return this.startsHead + (line - this.startsBase) < this.starts.length;
  }

  /** Parser offset of the start of `line` (line >= the last R returned). */
  offsetOf(line: number): number {
    const i = this.startsHead + (line - this.startsBase);
    const v = this.starts[i];
    if (v === undefined) throw new Error(`line-accounting: no start offset for line ${line}`);
    return v;
  }

  /** The input ended: the parser has accounted for every line read. */
  finish(linesRead: number): number {
    for (const h of this.holey) h.resolved = true;
    this.holey = [];
    if (linesRead + 1 > this.w) this.w = linesRead + 1;
    if (this.w > this.lastR) this.lastR = this.w;
    return this.lastR;
  }

  /** Resolve the group of unresolved holey records whose joint span holds `line`. */
  private resolveAround(line: number): boolean {
    const group = this.holey.filter((h) => !h.resolved && h.line < line && h.endLine > line);
    if (!group.length) return false;
    let lo = Math.min(...group.map((h) => h.line));
    let hi = Math.max(...group.map((h) => h.endLine));
    for (let grew = true; grew; ) {
      grew = false;
      for (const h of this.holey) {
        if (h.resolved || group.includes(h) || h.endLine < lo || h.line > hi) continue;
        group.push(h);
        lo = Math.min(lo, h.line);
        hi = Math.max(hi, h.endLine);
        grew = true;
      }
    }
    const inner = group.reduce((a, h) => a + h.inner, 0);
    let unmarked = 0;
    for (let l = lo + 1; l < hi; l++) if (!this.isMarked(l)) unmarked++;
    if (unmarked !== inner) return false;
    for (let l = lo + 1; l < hi; l++) this.mark(l);
    for (const h of group) h.resolved = true;
    return true;
  }

  private tryResolve(h: Holey): boolean {
    let unmarked = 0;
    for (let l = h.line + 1; l < h.endLine; l++) if (!this.isMarked(l)) unmarked++;
    if (unmarked !== h.inner) return false;
    for (let l = h.line + 1; l < h.endLine; l++) this.mark(l);
    h.resolved = true;
    return true;
  }

  private isMarked(line: number): boolean {
    const i = line - this.base;
    return i < 0 || (i < this.marks.length && this.marks[i] === 1);
  }

  private mark(line: number): void {
    let i = line - this.base;
    if (i < 0) return;
    if (i >= this.marks.length) {
      this.compact();
      i = line - this.base;
      if (i >= this.marks.length) {
        let size = this.marks.length * 2;
        while (size <= i) size *= 2;
        const bigger = new Uint8Array(size);
        bigger.set(this.marks);
        this.marks = bigger;
      }
    }
    this.marks[i] = 1;
  }

  /** Drop state below the last resume point. */
  private compact(): void {
    const low = Math.min(this.w, this.lastR);
    const shift = low - this.base;
    if (shift > this.marks.length / 2) {
      this.marks.copyWithin(0, shift);
      this.marks.fill(0, this.marks.length - shift);
      this.base = low;
    }
    const drop = this.lastR - this.startsBase;
    if (drop > 4096) {
      this.startsHead += drop;
      this.startsBase = this.lastR;
      if (this.startsHead > 1 << 16 && this.startsHead > this.starts.length / 2) {
        this.starts = this.starts.slice(this.startsHead);
        this.startsHead = 0;
      }
    }
  }
}
