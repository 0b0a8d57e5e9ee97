// Growable typed-array columns: a number per record costs its bytes, not an object's header, so a
// log of millions of records can be held while its pods are built.
import { ChunkedRows, type ChunkSpill } from './rows.js';

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Elements per chunk once a column is large: growing adds a chunk, it never copies the column. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/**
 * A column of numbers. A small one is one array that doubles (a pod's rows); a large one is a list
 * of fixed chunks, so that growing a column of millions neither copies it nor holds it twice.
 */
export class Column<T extends TypedArray> {
  private readonly chunks: T[];
  length = 0;

  constructor(
    private readonly make: (size: number) => T,
    capacity = 8,
  ) {
    this.chunks = [make(Math.min(capacity, CHUNK))];
  }

  push(v: number): number {
    const i = this.length;
    const c = i >>> CHUNK_BITS;
    let chunk = this.chunks[c];
    if (chunk === undefined) this.chunks.push((chunk = this.make(CHUNK)));
    else if ((i & MASK) === chunk.length) {
      const next = this.make(Math.min(chunk.length * 2, CHUNK));
      next.set(chunk);
      this.chunks[c] = chunk = next;
    }
    chunk[i & MASK] = v;
    return this.length++;
  }

  at(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]![i & MASK]!;
  }

  set(i: number, v: number): void {
    this.chunks[i >>> CHUNK_BITS]![i & MASK] = v;
  }

  /** Sorts the numbers ascending, in place. */
  sort(): void {
    if (this.chunks.length === 1) {
      this.chunks[0]!.subarray(0, this.length).sort();
      return;
    }
    const all = this.make(this.length);
    for (let i = 0; i < this.length; i++) all[i] = this.at(i);
    all.sort();
    for (let i = 0; i < this.length; i++) this.chunks[i >>> CHUNK_BITS]![i & MASK] = all[i]!;
  }
}

export const u8 = (capacity?: number) => new Column((n) => new Uint8Array(n), capacity);
export const u16 = (capacity?: number) => new Column((n) => new Uint16Array(n), capacity);
export const u32 = (capacity?: number) => new Column((n) => new Uint32Array(n), capacity);
export const i32 = (capacity?: number) => new Column((n) => new Int32Array(n), capacity);
export const f64 = (capacity?: number) => new Column((n) => new Float64Array(n), capacity);

const NONE = 0xffffffff;

/**
 * Many short lists of numbers (each pod's fact rows), their items in one store of rows: a list
 * costs three numbers and an item eight bytes, where a Column of its own costs ~250 bytes of
 * objects. An item points back to the one before it in its list, so items are only ever
 * appended, and with a spill they leave memory like the fact rows (rows.ts).
 */
export class RowLists {
  private readonly tail = u32();
  private readonly least = u32();
  private readonly count = u32();
  /** Item: value u32 | the list's previous item u32 (NONE: first). */
  private readonly items: ChunkedRows;

  constructor(spill?: ChunkSpill) {
    this.items = new ChunkedRows(8, spill);
  }

  /** A new empty list; returns its number (lists are numbered 0, 1, … in order of creation). */
  add(): number {
    this.tail.push(NONE);
    this.least.push(NONE);
    return this.count.push(0);
  }

  push(list: number, v: number): void {
    const item = this.items.length;
    const { view, at } = this.items.next();
    view.setUint32(at, v, true);
    view.setUint32(at + 4, this.tail.at(list), true);
    this.tail.set(list, item);
    this.count.set(list, this.count.at(list) + 1);
    if (v < this.least.at(list)) this.least.set(list, v);
  }

  /** The smallest number of a non-empty list. */
  min(list: number): number {
    return this.least.at(list);
  }

  /** The list's numbers, ascending. */
  sorted(list: number): Uint32Array {
    const out = new Uint32Array(this.count.at(list));
    let n = 0;
    for (let i = this.tail.at(list); i !== NONE; ) {
      const { view, at } = this.items.get(i);
      out[n++] = view.getUint32(at, true);
      i = view.getUint32(at + 4, true);
    }
    return out.sort();
  }
}

/**
 * A flat copy of a string. A string cut from a record's text is a V8 sliced string that keeps the
 * whole decoded chunk alive, and `(' ' + s).slice(1)` is itself a slice (of a fresh copy, 32 bytes
 * more per string); a JSON round trip makes a sequential string, for any UTF-16 content.
 */
export const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** Strings numbered in order of first sight; each kept once, as a flat copy. */
export class StringIds {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      const copy = flat(s);
      this.strings.push(copy);
      this.ids.set(copy, id);
    }
    return id;
  }

  at(id: number): string {
    return this.strings[id]!;
  }

  /** The one kept copy of `s`. */
  intern(s: string): string {
    return this.at(this.id(s));
  }
}
