import { describe, expect, it } from 'vitest';
import { IdBitmap } from '../store/id-bitmap.js';

describe('IdBitmap: the pod row ids an ingest names, one bit each', () => {
  it('counts each id once, across growth and unions, like a Set', () => {
    const a = new IdBitmap();
    const b = new IdBitmap();
    const want = new Set<number>();
    // Fixed pseudo-random ids, some far beyond the initial 8,192 bits, many repeated.
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const id = 1 + (x % (i < 10_000 ? 5_000 : 300_000));
      (i % 3 === 0 ? a : b).add(id);
      want.add(id);
    }
    expect(a.size + b.size).toBeGreaterThan(want.size);
    a.addAll(b);
    expect(a.size).toBe(want.size);
    for (const id of [...want].slice(0, 500)) expect(a.has(id)).toBe(true);
    expect(a.has(300_001)).toBe(false);
    expect(a.has(10_000_000)).toBe(false);
    const before = a.size;
    a.add([...want][0]!);
    a.addAll(new IdBitmap());
    expect(a.size).toBe(before);
    a.add(300_001);
    expect(a.size).toBe(before + 1);
  });

  it('refuses what is not a row id', () => {
    const a = new IdBitmap();
    expect(() => a.add(-1)).toThrow(RangeError);
    expect(() => a.add(1.5)).toThrow(RangeError);
    a.add(0);
    a.add(2 ** 24);
    expect(a.size).toBe(2);
  });
});
