// Seeded pseudo-random numbers (sfc32 seeded through splitmix32). Deterministic across platforms:
// only 32-bit integer arithmetic, no Math.random, no clocks.

const K8S_ALNUM = 'bcdfghjklmnpqrstvwxz2456789'; // k8s.io/apimachinery/pkg/util/rand alphanums
const HEX = '0123456789abcdef';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const s0 = Math.floor(Math.abs(seed));
    let s = (s0 ^ Math.floor(s0 / 4294967296)) >>> 0;
    const sm = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  intIn(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('pick from empty array');
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** Weighted pick; weights must not all be 0. */
  weighted<T>(items: readonly T[], weight: (t: T) => number): T {
    let total = 0;
    for (const it of items) total += Math.max(0, weight(it));
    let r = this.next() * total;
    for (const it of items) {
      r -= Math.max(0, weight(it));
      if (r < 0) return it;
    }
    return items[items.length - 1] as T;
  }

  /** Exponentially distributed value with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** n lowercase hex characters. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) {
      let v = this.u32();
      for (let i = 0; i < 8 && out.length < n; i++) {
        out += HEX[v & 15];
        v >>>= 4;
      }
    }
    return out;
  }

  /** RFC 4122 version-4 UUID, lowercase. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.u32() & 3)] as string;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Kubernetes-style random suffix (`rand.String(n)`). */
  alnum(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += K8S_ALNUM[this.int(K8S_ALNUM.length)];
    return out;
  }

  /** An independent stream derived from this one. */
  fork(): Rng {
    return new Rng(this.u32() * 4096 + (this.u32() & 4095));
  }
}
