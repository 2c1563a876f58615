import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../../graph/csr.js';
import { modularity } from '../../../graph/metrics/modularity.js';

// Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3: m = 7.
const csr = csrFromEdges(6, [0, 1, 0, 3, 4, 3, 2], [1, 2, 2, 4, 5, 5, 3]);

describe('graph/metrics/modularity', () => {
  it('matches the hand computation for two triangles', () => {
    // Each side: inside 6/14, degrees 7/14: Q = 2 (6/14 - 1/4) = 5/14.
    expect(modularity(csr, [0, 0, 0, 1, 1, 1])).toBeCloseTo(5 / 14, 6);
  });
  it('is 0 for one block and lower for a bad split', () => {
    expect(modularity(csr, [0, 0, 0, 0, 0, 0])).toBeCloseTo(0, 6);
    expect(modularity(csr, [0, 1, 0, 1, 0, 1])).toBeLessThan(0);
  });
  it('applies the resolution to the null model', () => {
    expect(modularity(csr, [0, 0, 0, 1, 1, 1], 2)).toBeCloseTo(2 * (6 / 14 - 2 * 0.25), 6);
  });
  const bad: [string, () => unknown, RegExp][] = [
    ['a short partition', () => modularity(csr, [0, 1]), /one entry per node \(6\), got 2/],
    [
      'a negative resolution',
      () => modularity(csr, [0, 0, 0, 1, 1, 1], -1),
      /resolution must be a finite number/,
    ],
    ['a graph without weight', () => modularity(csrFromEdges(2, [], []), [0, 1]), /no edge weight/],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
