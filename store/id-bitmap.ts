// A set of database row ids (small, dense positive integers) as one bit each: the pods an ingest
// names are counted in memory that grows with the largest id / 8, not ~30 bytes per id as a Set
// of numbers costs (a million pod UIDs held ~60 MB of Set tables while the ingest ran).

export class IdBitmap {
  private bits = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(id: number): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`IdBitmap: not a row id: ${id}`);
    const byte = id >>> 3;
    if (byte >= this.bits.length) this.grow(byte);
    const mask = 1 << (id & 7);
    if ((this.bits[byte]! & mask) === 0) {
      this.bits[byte]! |= mask;
      this.count++;
    }
  }

  has(id: number): boolean {
    const byte = id >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (id & 7))) !== 0;
  }

  addAll(other: IdBitmap): void {
    const theirs = other.bits;
    if (theirs.length > this.bits.length) this.grow(theirs.length - 1);
    let count = 0;
    for (let i = 0; i < this.bits.length; i++) {
      const b = (this.bits[i]! | (theirs[i] ?? 0)) & 0xff;
      this.bits[i] = b;
      count += POPCOUNT[b]!;
    }
    this.count = count;
  }

  private grow(byte: number): void {
    let n = this.bits.length;
    while (n <= byte) n *= 2;
    const bigger = new Uint8Array(n);
    bigger.set(this.bits);
    this.bits = bigger;
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v; v &= v - 1) n++;
  return n;
});
