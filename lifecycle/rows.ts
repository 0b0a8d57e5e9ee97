// Fixed-width rows, appended in order and read back by number, in chunks. The builder keeps one
// row per record that names a pod; for a log of many gigabytes the caller may hand the full chunks
// to a spill (a file, pipeline/spill-file.ts) so that memory holds only the chunk being written and a
// few recently read ones, whatever the log's size. Pure: the I/O is the spill's.

/** Where bytes go when they must leave memory: written and read back by byte position. */
export interface ChunkSpill {
  write(at: number, bytes: Uint8Array): void;
  /** Fills `into` with the bytes written from position `at`. */
  read(at: number, into: Uint8Array): void;
}

/**
 * A spill for each of a builder's row stores, by name ('facts', 'lists', …); the same name gives the
 * same spill, which a later builder (the next partition) may write over from position 0.
 */
export type Spills = (name: string) => ChunkSpill;

/** A row's bytes: `view` at byte `at`. Reused by the next call. */
export interface RowSlot {
  view: DataView;
  at: number;
}

const ROWS_PER_CHUNK = 1 << 15;
/** Chunks read back and kept, with a spill. */
const CACHED_CHUNKS = 8;

export class ChunkedRows {
  length = 0;
  private readonly chunkBytes: number;
  /** Without a spill: every chunk. With one: only the chunk being written is held here. */
  private readonly chunks: (DataView | undefined)[] = [];
  /** Read-back chunks by number, least recently used first. */
  private readonly cache = new Map<number, DataView>();
  private readonly slot: RowSlot;

  constructor(
    readonly width: number,
    private readonly spill?: ChunkSpill,
  ) {
    this.chunkBytes = width * ROWS_PER_CHUNK;
    this.slot = { view: new DataView(new ArrayBuffer(0)), at: 0 };
  }

  /** Room for the next row: write its `width` bytes at the slot before any other call. */
  next(): RowSlot {
    const row = this.length++;
    const c = Math.floor(row / ROWS_PER_CHUNK);
    const i = row % ROWS_PER_CHUNK;
    if (i === 0) {
      if (this.spill && c > 0) {
        const full = this.chunks[c - 1]!;
        this.spill.write((c - 1) * this.chunkBytes, new Uint8Array(full.buffer, full.byteOffset, full.byteLength));
        // the next chunk is written into the same bytes
        this.chunks[c - 1] = undefined;
        this.chunks[c] = full;
      } else this.chunks[c] = new DataView(new ArrayBuffer(this.chunkBytes));
    }
    this.slot.view = this.chunks[c]!;
    this.slot.at = i * this.width;
    return this.slot;
  }

  /** The bytes of row `row` (< length). */
  get(row: number): RowSlot {
    const c = Math.floor(row / ROWS_PER_CHUNK);
    this.slot.view = this.chunks[c] ?? this.readBack(c);
    this.slot.at = (row % ROWS_PER_CHUNK) * this.width;
    return this.slot;
  }

  private readBack(c: number): DataView {
    let view = this.cache.get(c);
    if (view) {
      this.cache.delete(c); // most recently used goes last
      this.cache.set(c, view);
      return view;
    }
    if (this.cache.size >= CACHED_CHUNKS) {
      const [oldest, reuse] = this.cache.entries().next().value as [number, DataView];
      this.cache.delete(oldest);
      view = reuse;
    } else view = new DataView(new ArrayBuffer(this.chunkBytes));
    this.spill!.read(c * this.chunkBytes, new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    this.cache.set(c, view);
    return view;
  }
}

/** Bytes held before they go to the spill in one write. */
const BYTES_BUFFERED = 1 << 16;

/**
 * Strings of any length appended in order and read back by number, through a spill: memory holds
 * the last 64 KB of text and the chunks of (position, length) rows in use, whatever the count.
 */
export class SpilledStrings {
  private readonly where: ChunkedRows;
  private readonly buffer = new Uint8Array(BYTES_BUFFERED);
  /** The spill position of buffer[0]. */
  private bufferAt = 0;
  private used = 0;
  /** Bytes read back from the spill: `scratchLength` of them from spill position `scratchAt`. */
  private scratch = new Uint8Array(256);
  private scratchAt = 0;
  private scratchLength = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** `text`: the strings' bytes; `rows`: their (position, length) rows. */
  constructor(
    private readonly text: ChunkSpill,
    rows: ChunkSpill,
  ) {
    this.where = new ChunkedRows(12, rows);
  }

  get length(): number {
    return this.where.length;
  }

  /** Appends `s`; returns its number (0, 1, … in order). */
  add(s: string): number {
    let at = this.bufferAt + this.used;
    let { read, written } = this.encoder.encodeInto(s, this.buffer.subarray(this.used));
    if (read < s.length) {
      this.flush();
      at = this.bufferAt;
      ({ read, written } = this.encoder.encodeInto(s, this.buffer));
      if (read < s.length) {
        // longer than the buffer: straight to the spill
        const bytes = this.encoder.encode(s);
        this.text.write(at, bytes);
        this.bufferAt += bytes.byteLength;
        written = bytes.byteLength;
      } else this.used = written;
    } else this.used += written;
    const { view, at: slot } = this.where.next();
    view.setFloat64(slot, at, true);
    view.setUint32(slot + 8, written, true);
    return this.where.length - 1;
  }

  at(n: number): string {
    const { view, at: slot } = this.where.get(n);
    const at = view.getFloat64(slot, true);
    const length = view.getUint32(slot + 8, true);
    if (at >= this.bufferAt) return this.decoder.decode(this.buffer.subarray(at - this.bufferAt, at - this.bufferAt + length));
    // strings read in order (a pass over all of them) come from one read of the spill per 64 KB
    if (at < this.scratchAt || at + length > this.scratchAt + this.scratchLength) {
      const want = Math.max(length, Math.min(BYTES_BUFFERED, this.bufferAt - at));
      if (this.scratch.byteLength < want) this.scratch = new Uint8Array(Math.max(want, 2 * this.scratch.byteLength));
      this.text.read(at, this.scratch.subarray(0, want));
      this.scratchAt = at;
      this.scratchLength = want;
    }
    return this.decoder.decode(this.scratch.subarray(at - this.scratchAt, at - this.scratchAt + length));
  }

  private flush(): void {
    if (this.used === 0) return;
    this.text.write(this.bufferAt, this.buffer.subarray(0, this.used));
    this.bufferAt += this.used;
    this.used = 0;
  }
}

/**
 * Objects appended in order and read back by number: held, or with spills written out as JSON
 * (SpilledStrings), so that memory does not grow with their count. What is read back is a copy.
 */
export class JsonRows<T> {
  private readonly held: T[] = [];
  private readonly text?: SpilledStrings;

  /** `spills` and `name`: the spills the JSON goes to (`name`, and `name`-rows for its positions). */
  constructor(spills?: Spills, name = 'json') {
    if (spills) this.text = new SpilledStrings(spills(name), spills(`${name}-rows`));
  }

  get length(): number {
    return this.text ? this.text.length : this.held.length;
  }

  /** Appends `v`; returns its number. */
  add(v: T): number {
    if (!this.text) return this.held.push(v) - 1;
    return this.text.add(JSON.stringify(v));
  }

  at(n: number): T {
    return this.text ? (JSON.parse(this.text.at(n)) as T) : this.held[n]!;
  }

  *[Symbol.iterator](): Generator<T> {
    for (let n = 0; n < this.length; n++) yield this.at(n);
  }
}
