import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { louvain } from '../../../graph/communities/louvain.js';
import { csrFromGraph } from '../../../graph/csr.js';
import { modularity } from '../../../graph/metrics/modularity.js';

/** Two 5-cliques a0..a4 and b0..b4 joined by the single edge a0-b0. */
function twoCliques(): UndirectedGraph {
  const g = new UndirectedGraph();
  for (const side of ['a', 'b'])
    for (let i = 0; i < 5; i++) {
      g.addNode(`${side}${i}`);
      for (let j = 0; j < i; j++) g.addEdge(`${side}${j}`, `${side}${i}`, { weight: 1 });
    }
  g.addEdge('a0', 'b0', { weight: 1 });
  return g;
}

describe('graph/communities/louvain', () => {
  it('finds the two planted cliques with the hand-computed modularity', () => {
    const g = twoCliques();
    const d = louvain.detailed(g, { seed: 3 });
    expect(d.count).toBe(2);
    expect(Array.from(d.sizes).sort()).toEqual([5, 5]);
    for (let i = 1; i < 5; i++) {
      expect(d.communities[`a${i}`]).toBe(d.communities.a0);
      expect(d.communities[`b${i}`]).toBe(d.communities.b0);
    }
    expect(d.communities.a0).not.toBe(d.communities.b0);
    // m = 21; each side: inside 20/42, degree sum 21/42: Q = 2 (20/42 - 1/4) = 19/42.
    expect(d.modularity).toBeCloseTo(19 / 42, 6);
    const csr = csrFromGraph(g);
    expect(
      modularity(
        csr,
        csr.nodes.map((k) => d.communities[k]!),
      ),
    ).toBeCloseTo(19 / 42, 6);
  });

  it('is deterministic for a seed and writes the attribute with assign', () => {
    const g = twoCliques();
    expect(louvain(g, { seed: 11 })).toEqual(louvain(twoCliques(), { seed: 11 }));
    louvain.assign(g, { seed: 11, communityAttribute: 'team' });
    expect(g.getNodeAttribute('a3', 'team')).toBe(g.getNodeAttribute('a1', 'team'));
    expect(g.getNodeAttribute('a3', 'team')).not.toBe(g.getNodeAttribute('b1', 'team'));
  });

  it('uses the weights: a heavy bridge pulls its ends together', () => {
    const g = twoCliques();
    g.setEdgeAttribute(g.edge('a0', 'b0')!, 'weight', 50);
    const heavy = louvain(g, { seed: 3 });
    expect(heavy.a0).toBe(heavy.b0);
    const ignored = louvain(g, { seed: 3, weightAttribute: null });
    expect(ignored.a0).not.toBe(ignored.b0);
  });

  it('splits more at a higher resolution', () => {
    const g = twoCliques();
    expect(louvain.detailed(g, { seed: 3, resolution: 0.05 }).count).toBe(1);
    expect(louvain.detailed(g, { seed: 3, resolution: 5 }).count).toBeGreaterThan(2);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'a zero resolution',
      () => louvain(twoCliques(), { resolution: 0 }),
      /resolution must be a finite number in/,
    ],
    ['a fractional seed', () => louvain(twoCliques(), { seed: 1.5 }), /seed must be an integer, got 1.5/],
    ['an empty graph', () => louvain(new UndirectedGraph()), /graph has no node/],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
