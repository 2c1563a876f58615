import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { csrFromEdges, csrFromGraph, csrFromPairs, weightedDegrees } from '../../graph/csr.js';
import { csrToGraph } from '../../graph/csr-to-graph.js';

describe('graph/csr', () => {
  // Path 0-1-2 plus edge 0-2 weighted 3, and a self-loop on 3.
  const csr = csrFromEdges(4, [0, 1, 0, 3], [1, 2, 2, 3], [1, 2, 3, 5]);

  it('lays out neighbours by source in edge order, both directions', () => {
    expect(Array.from(csr.offsets)).toEqual([0, 2, 4, 6, 7]);
    expect(Array.from(csr.targets)).toEqual([1, 2, 0, 2, 1, 0, 3]);
    expect(Array.from(csr.weights)).toEqual([1, 3, 1, 2, 2, 3, 5]);
    expect(csr.nodes).toEqual(['0', '1', '2', '3']);
    expect(Array.from(weightedDegrees(csr))).toEqual([4, 3, 5, 5]);
  });

  it('builds the same CSR from a Map of pairs keyed lo * base + hi', () => {
    const base = 100;
    const pairs = new Map([
      [0 * base + 1, 1],
      [1 * base + 2, 2],
      [0 * base + 2, 3],
      [3 * base + 3, 5],
    ]);
    const fromPairs = csrFromPairs(4, pairs, base, ['a', 'b', 'c', 'd']);
    expect(Array.from(fromPairs.offsets)).toEqual(Array.from(csr.offsets));
    expect(Array.from(fromPairs.targets)).toEqual(Array.from(csr.targets));
    expect(Array.from(fromPairs.weights)).toEqual(Array.from(csr.weights));
    expect(fromPairs.nodes).toEqual(['a', 'b', 'c', 'd']);
    expect(csrFromPairs(2, new Map(), 2).nodes).toEqual(['0', '1']);
  });

  it('keeps one direction when not symmetric', () => {
    const d = csrFromEdges(3, [0, 1], [1, 2], undefined, { symmetric: false });
    expect(Array.from(d.offsets)).toEqual([0, 1, 2, 2]);
    expect(Array.from(d.targets)).toEqual([1, 2]);
    expect(Array.from(d.weights)).toEqual([1, 1]);
  });

  it('round-trips through graphology', () => {
    const g = new UndirectedGraph();
    g.addNode('a');
    g.addNode('b');
    g.addNode('c');
    g.addEdge('a', 'b', { weight: 2 });
    g.addEdge('b', 'c');
    const c = csrFromGraph(g);
    expect(c.nodes).toEqual(['a', 'b', 'c']);
    expect(Array.from(c.offsets)).toEqual([0, 1, 3, 4]);
    expect(Array.from(c.targets)).toEqual([1, 0, 2, 1]);
    expect(Array.from(c.weights)).toEqual([2, 2, 1, 1]);
    const back = csrToGraph(c);
    expect(back.order).toBe(3);
    expect(back.size).toBe(2);
    expect(back.getEdgeAttribute(back.edge('a', 'b')!, 'weight')).toBe(2);
  });

  it('sums duplicate pairs when converting to graphology', () => {
    const g = csrToGraph(csrFromEdges(2, [0, 1], [1, 0], [1.5, 2]));
    expect(g.size).toBe(1);
    expect(g.getEdgeAttribute(g.edge('0', '1')!, 'weight')).toBe(3.5);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'negative node count',
      () => csrFromEdges(-1, [], []),
      /nodeCount must be a non-negative integer, got -1/,
    ],
    ['length mismatch', () => csrFromEdges(2, [0], [1, 0]), /same length, got 1 and 2/],
    ['weights mismatch', () => csrFromEdges(2, [0], [1], [1, 2]), /one entry per edge \(1\), got 2/],
    [
      'endpoint out of range',
      () => csrFromEdges(2, [0], [2]),
      /edge 0 \(0, 2\) has an endpoint outside \[0, 2\)/,
    ],
    ['non-integer endpoint', () => csrFromEdges(2, [0.5], [1]), /outside \[0, 2\)/],
    [
      'node keys',
      () => csrFromEdges(2, [0], [1], undefined, { nodes: ['a'] }),
      /nodeCount \(2\) keys, got 1/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
