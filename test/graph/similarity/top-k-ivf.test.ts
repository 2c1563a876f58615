import { describe, expect, it } from 'vitest';
import { topKCosine } from '../../../graph/similarity/top-k.js';
import { topKCosineIvf } from '../../../graph/similarity/top-k-ivf.js';

function clustered(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const centres = Array.from({ length: 6 }, () => Float32Array.from({ length: d }, next));
  const v = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v[i * d + j] = centres[i % 6]![j]! + 0.3 * next();
  return v;
}

function recall(a: Int32Array, b: Int32Array, k: number): number {
  let hit = 0;
  for (let q = 0; q < a.length / k; q++) {
    const want = new Set(b.subarray(q * k, q * k + k));
    for (let j = 0; j < k; j++) if (want.has(a[q * k + j]!)) hit++;
  }
  return hit / a.length;
}

describe('graph/similarity/top-k-ivf', () => {
  const n = 600;
  const d = 16;
  const v = clustered(n, d, 9);
  const exact = topKCosine(v, d, { k: 5 });

  it('probing every list is the exact search', async () => {
    const all = await topKCosineIvf(v, d, { k: 5, lists: 6, probes: 6 });
    expect(Array.from(all.indices)).toEqual(Array.from(exact.indices));
    for (let i = 0; i < exact.scores.length; i++) expect(all.scores[i]).toBeCloseTo(exact.scores[i]!, 5);
  });

  it('recalls most neighbours with a few probes, the same for the same seed', async () => {
    const a = await topKCosineIvf(v, d, { k: 5, lists: 24, probes: 4, seed: 3 });
    const b = await topKCosineIvf(v, d, { k: 5, lists: 24, probes: 4, seed: 3 });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    const r = recall(a.indices, exact.indices, 5);
    expect(r).toBeGreaterThan(0.9);
    expect(r).toBeLessThanOrEqual(1);
    for (let q = 0; q < n; q++) expect(Array.from(a.indices.subarray(q * 5, q * 5 + 5))).not.toContain(q);
  });

  const bad: [string, Parameters<typeof topKCosineIvf>[2], RegExp][] = [
    ['zero probes', { probes: 0 }, /probes must be an integer in \[1, 1048576\], got 0/],
    ['more lists than rows', { lists: 601 }, /lists must be an integer in \[1, 600\], got 601/],
    ['k = 0', { k: 0 }, /k must be an integer in \[1, 10000\], got 0/],
  ];
  it.each(bad)('refuses %s', async (_name, options, message) => {
    await expect(topKCosineIvf(v, d, options)).rejects.toThrow(message);
  });
});
