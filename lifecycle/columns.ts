// Growable typed-array columns: a number per record costs its bytes, not an object's header, so a
// log of millions of records can be held while its pods are built.
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
 * Many short lists of numbers (each pod's fact rows) in four shared columns: a list costs two
 * numbers and an item two, where a Column of its own costs ~250 bytes of objects.
 */
export class RowLists {
  private readonly head = u32();
  private readonly tail = u32();
  private readonly value = u32();
  private readonly next = u32();

  /** A new empty list; returns its number (lists are numbered 0, 1, … in order of creation). */
  add(): number {
    this.head.push(NONE);
    return this.tail.push(NONE);
  }

  push(list: number, v: number): void {
    const item = this.value.push(v);
    this.next.push(NONE);
    const last = this.tail.at(list);
    if (last === NONE) this.head.set(list, item);
    else this.next.set(last, item);
    this.tail.set(list, item);
  }

  /** The smallest number of a non-empty list. */
  min(list: number): number {
    let m = NONE;
    for (let i = this.head.at(list); i !== NONE; i = this.next.at(i)) m = Math.min(m, this.value.at(i));
    return m;
  }

  /** The list's numbers, ascending. */
  sorted(list: number): Uint32Array {
    let n = 0;
    for (let i = this.head.at(list); i !== NONE; i = this.next.at(i)) n++;
    const out = new Uint32Array(n);
    n = 0;
    for (let i = this.head.at(list); i !== NONE; i = this.next.at(i)) out[n++] = this.value.at(i);
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
