import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { principalHead } from '../../../graph/similarity/principal-head.js';
import { topKCosine, unitRows } from '../../../graph/similarity/top-k.js';
import { topKCosineTf } from '../../../graph/similarity/top-k-tf.js';

/** Brute force: every pair's cosine in float64, sorted by score then index. */
function brute(v: Float32Array, d: number, k: number, queries: number[], candidates: number[]) {
  const norm = (i: number) =>
    Math.sqrt(Array.from(v.subarray(i * d, (i + 1) * d)).reduce((s, x) => s + x * x, 0));
  return queries.map((q) =>
    candidates
      .filter((c) => c !== q)
      .map((c) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += v[q * d + j]! * v[c * d + j]!;
        const nn = norm(q) * norm(c);
        return { c, s: nn > 0 ? s / nn : 0 };
      })
      .sort((a, b) => b.s - a.s || a.c - b.c)
      .slice(0, k),
  );
}

const vectorsArb = fc
  .record({
    n: fc.integer({ min: 2, max: 40 }),
    d: fc.integer({ min: 1, max: 9 }),
    k: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ n, d, k }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      k: fc.constant(k),
      // Integer coordinates keep exact ties rare but possible; scores are compared with a tolerance.
      values: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n * d, maxLength: n * d }),
      blockSize: fc.integer({ min: 1, max: 17 }),
    }),
  );

describe('graph/similarity/top-k', () => {
  it('matches brute force scores for any vectors, k and block size', () => {
    fc.assert(
      fc.property(vectorsArb, ({ n, d, k, values, blockSize }) => {
        const v = Float32Array.from(values);
        const all = Array.from({ length: n }, (_, i) => i);
        const want = brute(v, d, k, all, all);
        const got = topKCosine(v, d, { k, blockSize });
        const kk = Math.min(k, n);
        for (let q = 0; q < n; q++)
          for (let r = 0; r < kk; r++) {
            const w = want[q]![r];
            const s = got.scores[q * kk + r]!;
            if (w === undefined) expect(got.indices[q * kk + r]).toBe(-1);
            else expect(Math.abs(s - w.s)).toBeLessThan(1e-5);
          }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('finds the hand-computed neighbours, honouring queries, candidates and excludeSelf', () => {
    const v = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, -1, 0]);
    const r = topKCosine(v, 2, { k: 2 });
    expect(Array.from(r.indices.subarray(0, 2))).toEqual([1, 2]);
    expect(r.scores[0]).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
    expect(Array.from(r.indices.subarray(6, 8))).toEqual([2, 1]);
    const sub = topKCosine(v, 2, {
      k: 1,
      queries: Int32Array.from([3]),
      candidates: Int32Array.from([0, 3]),
      excludeSelf: false,
    });
    expect(Array.from(sub.indices)).toEqual([3]);
    expect(sub.scores[0]).toBeCloseTo(1, 6);
  });

  it('the TensorFlow.js version agrees with the JavaScript one, symmetric or not', async () => {
    const n = 300;
    const d = 12;
    const v = new Float32Array(n * d);
    let s = 12345;
    for (let i = 0; i < v.length; i++) {
      s = (s * 16807) % 2147483647;
      v[i] = s / 2147483647 - 0.5;
    }
    const js = topKCosine(v, d, { k: 5 });
    for (const backend of ['cpu', 'wasm'] as const) {
      const sym = await topKCosineTf(v, d, { k: 5, backend, blockSize: 64 });
      const rect = await topKCosineTf(v, d, {
        k: 5,
        backend,
        blockSize: 70,
        queryBlock: 33,
        symmetric: false,
      });
      expect(Array.from(sym.indices)).toEqual(Array.from(js.indices));
      expect(Array.from(rect.indices)).toEqual(Array.from(js.indices));
      for (let i = 0; i < js.scores.length; i++)
        expect(Math.abs(sym.scores[i]! - js.scores[i]!)).toBeLessThan(1e-5);
    }
  });

  it('splits the symmetric blocks over worker threads with the same answer', async () => {
    const n = 700;
    const d = 8;
    const v = new Float32Array(n * d);
    let s = 99;
    for (let i = 0; i < v.length; i++) {
      s = (s * 16807) % 2147483647;
      v[i] = s / 2147483647 - 0.5;
    }
    const js = topKCosine(v, d, { k: 4 });
    const par = await topKCosineTf(v, d, { k: 4, blockSize: 100, threads: 3 });
    expect(Array.from(par.indices)).toEqual(Array.from(js.indices));
  });

  /** n rows near a few directions (a common one, eight cluster centres, a little noise): the
   * shape of FastRP client vectors, where the pruned kernel prunes. */
  function clustered(n: number, d: number, seed: number): Float32Array {
    let s = seed;
    const next = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: d }, next));
    const v = new Float32Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) v[i * d + j] = 3 + 0.6 * centres[i % 8]![j]! + 0.05 * next();
    return v;
  }

  it('the pruned kernel gives exactly the JavaScript answer, on one thread or two', async () => {
    const n = 1500;
    const d = 32;
    const v = clustered(n, d, 11);
    // Exact duplicates make score ties: the tie-aware heaps must keep the lower indices.
    v.copyWithin(5 * d, 4 * d, 5 * d);
    v.copyWithin(6 * d, 4 * d, 5 * d);
    const js = topKCosine(v, d, { k: 7 });
    for (const threads of [1, 2]) {
      const pruned = await topKCosineTf(v, d, { k: 7, pruneDimensions: 'auto', threads, blockSize: 256 });
      expect(Array.from(pruned.indices)).toEqual(Array.from(js.indices));
      expect(Array.from(pruned.scores)).toEqual(Array.from(js.scores));
    }
    const forced = await topKCosineTf(v, d, { k: 7, pruneDimensions: 4, blockSize: 300 });
    expect(Array.from(forced.indices)).toEqual(Array.from(js.indices));
    expect(Array.from(js.indices.subarray(4 * 7, 4 * 7 + 2))).toEqual([5, 6]);
  });

  it('the principal head keeps 8 axes of clustered rows and bounds what the rest adds', async () => {
    const n = 600;
    const d = 32;
    const v = clustered(n, d, 3);
    await topKCosineTf(v.subarray(0, 10 * d), d, { k: 1 }); // readies the backend
    const X = unitRows(
      v,
      d,
      Int32Array.from({ length: n }, (_, i) => i),
    );
    const h = principalHead(X, n, d, 'auto');
    expect(h?.r).toBe(8);
    expect(h!.tailP90).toBeLessThan(0.125);
    // h_i . h_j + t_i t_j bounds x_i . x_j for every pair of a sample.
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 40; j++) {
        let head = 0;
        let dot = 0;
        for (let t = 0; t < 8; t++) head += h!.head[i * 8 + t]! * h!.head[j * 8 + t]!;
        for (let t = 0; t < d; t++) dot += X[i * d + t]! * X[j * d + t]!;
        expect(dot).toBeLessThanOrEqual(head + h!.tails[i]! * h!.tails[j]! + 1e-5);
      }
    // Random rows spread over every axis: no head is small enough, pruning is off.
    let s = 5;
    const noise = Float32Array.from({ length: n * d }, () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    });
    expect(
      principalHead(
        unitRows(
          noise,
          d,
          Int32Array.from({ length: n }, (_, i) => i),
        ),
        n,
        d,
        'auto',
      ),
    ).toBeNull();
  });

  const v = new Float32Array(6);
  const bad: [string, () => unknown, RegExp][] = [
    [
      'k = 0',
      () => topKCosine(v, 2, { k: 0 }),
      /graph\/similarity\/top-k: k must be an integer in \[1, 10000\], got 0/,
    ],
    ['a ragged vector array', () => topKCosine(v, 4), /vectors length 6 is not a multiple of dimensions 4/],
    ['zero dimensions', () => topKCosine(v, 0), /dimensions must be an integer/],
    [
      'a query outside',
      () => topKCosine(v, 2, { queries: Int32Array.from([3]) }),
      /queries\[0\] = 3 is outside the 3 vectors/,
    ],
    ['a zero block', () => topKCosine(v, 2, { blockSize: 0 }), /blockSize must be an integer/],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  const badTf: [string, Parameters<typeof topKCosineTf>[2], RegExp][] = [
    ['a bad query block', { queryBlock: 0 }, /queryBlock must be a positive integer, got 0/],
    [
      'a prune width of d',
      { pruneDimensions: 2 },
      /pruneDimensions must be 'auto' or an integer in \[0, 1\], got 2/,
    ],
    ['zero threads', { threads: 0 }, /threads must be an integer in \[1, 64\], got 0/],
  ];
  it.each(badTf)('the TensorFlow.js version refuses %s', async (_name, options, message) => {
    await expect(topKCosineTf(v, 2, options)).rejects.toThrow(message);
  });
});
