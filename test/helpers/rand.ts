// Deterministic randomness for property-style tests.

/** Seeded PRNG (mulberry32): `rand(n)` → integer in [0, n). */
export function makeRand(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
