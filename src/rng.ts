/**
 * The one random generator of nbg: sfc32 (Small Fast Counter, 128-bit state, passes PractRand to
 * 2^40+ bytes), seeded through splitmix32 from a number or a string. Every stochastic step takes a
 * seed or an Rng; `fork(label)` derives an independent stream by name, so that adding draws in one
 * part of a simulation does not shift the draws of another (streams stay stable as code evolves).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, one value per call). */
  normal(): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** Index drawn with probability proportional to weights (weights ≥ 0, sum > 0). */
  weighted(weights: ArrayLike<number>): number;
  /** Poisson(lambda) by inversion (lambda < 30) or a rounded normal approximation. */
  poisson(lambda: number): number;
  /** An independent generator derived from this one's seed and a label. */
  fork(label: string | number): Rng;
  /** The seed this generator was built from (for logging and reproducibility). */
  readonly seed: number;
}

function splitmix32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** FNV-1a 32-bit hash of a string: turns labels and string seeds into numbers. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const seedNum = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new RangeError(`rng: seed must be a finite number, got ${seed}`);
  }
  const sm = splitmix32(seedNum);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();

  const next = (): number => u32() / 4294967296;
  const rng: Rng = {
    seed: seedNum,
    next,
    int(n: number): number {
      if (!(n >= 1)) throw new RangeError(`rng: int(n) needs n >= 1, got ${n}`);
      return Math.floor(next() * n);
    },
    normal(): number {
      let u = next();
      while (u === 0) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    bernoulli(p: number): boolean {
      return next() < p;
    },
    weighted(weights: ArrayLike<number>): number {
      let total = 0;
      for (let i = 0; i < weights.length; i++) total += weights[i] as number;
      if (!(total > 0)) throw new RangeError('rng: weighted() needs weights with a positive sum');
      let x = next() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i] as number;
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    poisson(lambda: number): number {
      if (!(lambda >= 0)) throw new RangeError(`rng: poisson(lambda) needs lambda >= 0, got ${lambda}`);
      if (lambda === 0) return 0;
      if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      const l = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > l) {
        k++;
        p *= next();
      }
      return k;
    },
    fork(label: string | number): Rng {
      return createRng(hashString(`${seedNum}/${label}`));
    },
  };
  return rng;
}
