// Fixed-width rows, appended in order and read back by number, in chunks. The builder keeps one
// row per record that names a pod; for a log of many gigabytes the caller may hand the full chunks
// to a spill (a file, pipeline/spill-file.ts) so that memory holds only the chunk being written and a
// few recently read ones, whatever the log's size. Pure: the I/O is the spill's.

/** Where full chunks go when they must leave memory. */
export interface ChunkSpill {
  write(chunk: number, bytes: Uint8Array): void;
  /** Fills `into` with the bytes written for `chunk`. */
  read(chunk: number, into: Uint8Array): void;
}

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
        this.spill.write(c - 1, new Uint8Array(full.buffer, full.byteOffset, full.byteLength));
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
    this.spill!.read(c, new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    this.cache.set(c, view);
    return view;
  }
}
