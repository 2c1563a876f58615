/**
 * A seeded uniform generator in [0, 1) for graph/ (mulberry32 seeded through splitmix32). graph/ is
 * standalone and cannot import src/rng.ts; every function that draws also accepts an `rng` option,
 * so an application passes its own generator (e.g. `createRng(seed).next`) and this one is only the
 * default when the caller gives a bare seed.
 */
export function seededRandom(seed: number): () => number {
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  // splitmix32 scramble of the seed so that close seeds give unrelated streams.
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  s = (s ^ (s >>> 16)) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
