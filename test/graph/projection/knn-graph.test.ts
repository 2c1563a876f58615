import { describe, expect, it } from 'vitest';
import { knnGraph } from '../../../graph/projection/knn-graph.js';
import type { TopKResult } from '../../../graph/similarity/top-k.js';

describe('graph/projection/knn-graph', () => {
  // Queries are rows 0, 1, 2 of four nodes; k = 2.
  const top: TopKResult = {
    k: 2,
    queryCount: 3,
    indices: Int32Array.from([1, 2, 0, 3, 0, -1]),
    scores: Float32Array.from([0.9, -0.2, 0.8, 0.5, 0.3, Number.NEGATIVE_INFINITY]),
  };

  it('keeps positive neighbours, one edge per pair with the larger similarity', () => {
    const g = knnGraph(top, { nodes: ['a', 'b', 'c', 'd'], minSimilarity: 0 });
    expect(g.nodeCount).toBe(4);
    const edges: string[] = [];
    for (let u = 0; u < 4; u++)
      for (let p = g.offsets[u]!; p < g.offsets[u + 1]!; p++)
        if (u < g.targets[p]!) edges.push(`${u}-${g.targets[p]}:${g.weights[p]!.toFixed(2)}`);
    expect(edges.sort()).toEqual(['0-1:0.90', '0-2:0.30', '1-3:0.50']);
  });

  it('maps queries to their rows and applies the threshold', () => {
    const g = knnGraph(top, {
      nodes: ['a', 'b', 'c', 'd', 'e'],
      queries: Int32Array.from([4, 3, 2]),
      minSimilarity: 0.6,
    });
    const n4 = Array.from(g.targets.subarray(g.offsets[4]!, g.offsets[5]!));
    expect(n4).toEqual([1]);
    expect(Array.from(g.targets.subarray(g.offsets[3]!, g.offsets[4]!))).toEqual([0]);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'a threshold above 1',
      () => knnGraph(top, { nodes: ['a', 'b', 'c', 'd'], minSimilarity: 2 }),
      /minSimilarity must be a finite number in \[-1, 1\], got 2/,
    ],
    [
      'too few query rows',
      () => knnGraph(top, { nodes: ['a', 'b', 'c', 'd'], minSimilarity: 0, queries: Int32Array.from([0]) }),
      /queries must have 3 rows, got 1/,
    ],
    [
      'a neighbour outside the nodes',
      () => knnGraph(top, { nodes: ['a', 'b', 'c'], minSimilarity: 0 }),
      /neighbour row 3 is outside the 3 nodes/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
