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

/** Strings numbered in order of first sight; each kept once, as a flat copy. */
export class StringIds {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      const flat = (' ' + s).slice(1); // a slice of a record's text would keep the whole chunk alive
      this.strings.push(flat);
      this.ids.set(flat, id);
    }
    return id;
  }

  at(id: number): string {
    return this.strings[id]!;
  }
}
