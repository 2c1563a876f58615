import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../../graph/csr.js';
import { fastRp } from '../../../graph/embeddings/fast-rp.js';

// Clients 0..3, products 4..6: clients 0 and 1 hold the same products {4, 5}; client 2 holds {6};
// client 3 holds {5, 6}; node 7 is isolated.
const csr = csrFromEdges(8, [0, 0, 1, 1, 2, 3, 3], [4, 5, 4, 5, 6, 5, 6]);

function row(e: Float32Array, d: number, u: number): Float32Array {
  return e.subarray(u * d, (u + 1) * d);
}
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('graph/embeddings/fast-rp', () => {
  it('gives n x d unit rows, zero for an isolated node', () => {
    const r = fastRp.detailed(csr, { dimensions: 16, seed: 1 });
    expect(r.embeddings.length).toBe(8 * 16);
    expect(r.nodeCount).toBe(8);
    for (let u = 0; u < 7; u++)
      expect(dot(row(r.embeddings, 16, u), row(r.embeddings, 16, u))).toBeCloseTo(1, 5);
    expect(dot(row(r.embeddings, 16, 7), row(r.embeddings, 16, 7))).toBe(0);
  });

  it('gives identical vectors to nodes with identical neighbourhoods and orders similarity', () => {
    const e = fastRp(csr, { dimensions: 256, seed: 5 });
    const d = 256;
    expect(dot(row(e, d, 0), row(e, d, 1))).toBeCloseTo(1, 5);
    // Client 3 shares product 5 with client 0; client 2 shares nothing with client 0.
    expect(dot(row(e, d, 0), row(e, d, 3))).toBeGreaterThan(dot(row(e, d, 0), row(e, d, 2)));
  });

  it('with one iteration of weight 1 and beta 0, a node is the normalised mean of its neighbours R rows', () => {
    const d = 32;
    const only = fastRp(csr, { dimensions: d, seed: 9, iterationWeights: [1], normalizationStrength: 0 });
    // Client 2's only neighbour is product 6, so client 2 = unit(R_6); product 6 = unit(R_2 + R_3).
    const self = fastRp(csr, {
      dimensions: d,
      seed: 9,
      iterationWeights: [0],
      selfWeight: 1,
      normalizationStrength: 0,
    });
    expect(Array.from(row(only, d, 2))).toEqual(Array.from(row(self, d, 6)));
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = fastRp(csr, { dimensions: 8, seed: 42 });
    expect(fastRp(csr, { dimensions: 8, seed: 42 })).toEqual(a);
    expect(fastRp(csr, { dimensions: 8, seed: 43 })).not.toEqual(a);
    expect(fastRp(csr, { dimensions: 8, rng: () => 0.999 })).not.toEqual(a);
  });

  it('writes number[] attributes with assign', () => {
    const g = new UndirectedGraph();
    g.mergeEdge('x', 'y', { weight: 2 });
    g.mergeEdge('y', 'z');
    fastRp.assign(g, { dimensions: 4, seed: 2, attribute: 'emb' });
    const v = g.getNodeAttribute('x', 'emb') as number[];
    expect(v).toHaveLength(4);
    expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
  });

  const bad: [string, Parameters<typeof fastRp>[1], RegExp][] = [
    [
      'zero dimensions',
      { dimensions: 0 },
      /graph\/embeddings\/fast-rp: dimensions must be an integer in \[1, 4096\], got 0/,
    ],
    ['fractional dimensions', { dimensions: 2.5 }, /dimensions must be an integer/],
    ['no iteration weight', { iterationWeights: [] }, /iterationWeights must hold 1 to 10 numbers, got \[\]/],
    [
      'a NaN iteration weight',
      { iterationWeights: [1, Number.NaN] },
      /iterationWeights\[1\] must be a finite number/,
    ],
    [
      'an extreme beta',
      { normalizationStrength: 9 },
      /normalizationStrength must be a finite number in \[-4, 4\], got 9/,
    ],
    ['a zero density', { density: 0 }, /density must be a finite number/],
    ['a fractional seed', { seed: 0.5 }, /seed must be an integer/],
  ];
  it.each(bad)('refuses %s', (_name, options, message) => {
    expect(() => fastRp(csr, options)).toThrow(message);
  });

  it('refuses negative edge weights', () => {
    expect(() => fastRp(csrFromEdges(2, [0], [1], [-1]))).toThrow(
      /edge weights must be >= 0, got -1 at node 0/,
    );
  });
});
