// The parser's bounded lookahead for time. While the year or zone of the input is not settled
// (parser/resolve-time.ts), a line that needs it waits here, and so does every line after it, so
// that everything comes out in input order; once settled, they are parsed in order. Lines wait as
// plain text and numbers, not as records: records kept alive across V8's young-generation
// collections make V8 allocate every later record directly in the old generation (allocation-site
// pretenuring), which slowed the rest of the parse by about a third.

/** Bits of a held line's flags that the assembler keeps (the resolver's own state travels apart). */
import type { PhysicalLine } from './lines.js';

export const HELD_TOO_LONG = 1;
export const HELD_INVALID_UTF8 = 2;

const FIELDS = 6;

export type HeldLine = (text: string, lineNo: number, offset: number, bytes: number, flags: number, year: number, state: number, parts: PhysicalLine[] | undefined) => void;

export class LineHold {
  private texts: string[] = [];
  private nums: number[] = [];
  /** The physical lines of held folded lines (parser/pretty-json.ts), by index; most inputs have none. */
  private parts = new Map<number, PhysicalLine[]>();

  get size(): number {
    return this.texts.length;
  }

  /** The first held line's number and offset. */
  first(): { line: number; offset: number } | undefined {
    return this.texts.length ? { line: this.nums[0]!, offset: this.nums[1]! } : undefined;
  }

  add(text: string, lineNo: number, offset: number, bytes: number, flags: number, year: number, state: number, parts?: PhysicalLine[]): void {
    if (parts) this.parts.set(this.texts.length, parts);
    this.texts.push(text);
    this.nums.push(lineNo, offset, bytes, flags, year, state);
  }

  /** Hand every held line to `fn`, in order, and forget them. */
  drain(fn: HeldLine): void {
    const texts = this.texts;
    const nums = this.nums;
    const parts = this.parts;
    this.texts = [];
    this.nums = [];
    this.parts = new Map();
    for (let i = 0, k = 0; i < texts.length; i++, k += FIELDS) fn(texts[i]!, nums[k]!, nums[k + 1]!, nums[k + 2]!, nums[k + 3]!, nums[k + 4]!, nums[k + 5]!, parts.get(i));
  }
}
