/**
 * A small seeded PRNG of our own, so a seed means the same run on every Node version and platform
 * (Math.random cannot be seeded). sfc32 state seeded through splitmix32: fast in 32-bit integer
 * arithmetic, which is what V8 handles best, and good enough for Monte Carlo (passes PractRand to 2^40+
 * per its author's published results; we do no cryptography with it).
 */

/** One splitmix32 step: mixes a 32-bit value into a well-distributed 32-bit value. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Combine two 32-bit values into a seed (order matters). */
export function seedOf(a: number, b: number): number {
  return mix32((mix32(a >>> 0) ^ Math.imul(b >>> 0, 0x85ebca6b)) >>> 0);
}

/** FNV-1a of a string, for deriving per-container streams from container names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x6a09e667);
    this.c = mix32(this.b ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** Re-seed in place (avoids an allocation per task in the hot loop). */
  reseed(seed: number): this {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x6a09e667);
    this.c = mix32(this.b ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
    return this;
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform in (0, 1]: safe under log(). */
  floatOpen(): number {
    return (this.next32() + 1) / 4294967296;
  }

  exponential(mean: number): number {
    return -Math.log(this.floatOpen()) * mean;
  }

  /** Standard normal (Box–Muller, one value per call; simplicity over the cached pair). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.floatOpen())) * Math.cos(2 * Math.PI * this.float());
  }

  /**
   * Poisson(lambda). Knuth's product method below 30; above, the normal approximation with continuity
   * correction, whose error at lambda >= 30 is far below the Monte Carlo noise of any figure we report.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.float();
      while (p > limit) {
        k++;
        p *= this.float();
      }
      return k;
    }
    const n = Math.round(lambda + Math.sqrt(lambda) * this.normal());
    return Math.max(n, 0);
  }
}
