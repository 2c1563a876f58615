import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../../graph/csr.js';
import { modularity } from '../../../graph/metrics/modularity.js';
import { projectedModularity } from '../../../graph/metrics/projected-modularity.js';

/** Builds the one-mode projection explicitly (A_ij = sum_p w_p b_ip b_jp, i != j) as a CSR. */
function explicitProjection(
  members: number,
  hubs: readonly (readonly [number, number][])[],
  weighting: 'inverse-degree' | 'none',
) {
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  for (const hub of hubs) {
    const wp = weighting === 'none' ? 1 : hub.length > 1 ? 1 / (hub.length - 1) : 0;
    for (let a = 0; a < hub.length; a++)
      for (let b = a + 1; b < hub.length; b++) {
        src.push(hub[a]![0]);
        dst.push(hub[b]![0]);
        w.push(wp * hub[a]![1] * hub[b]![1]);
      }
  }
  return csrFromEdges(members, src, dst, w);
}

// Members 0..5, hubs 6..8: hub 6 joins 0,1,2; hub 7 joins 3,4,5; hub 8 joins 2,3 and 0 (weighted).
const hubs: [number, number][][] = [
  [
    [0, 1],
    [1, 1],
    [2, 1],
  ],
  [
    [3, 1],
    [4, 2],
    [5, 1],
  ],
  [
    [2, 0.5],
    [3, 1],
    [0, 0.25],
  ],
];
const src: number[] = [];
const dst: number[] = [];
const wts: number[] = [];
hubs.forEach((hub, h) => {
  for (const [m, b] of hub) {
    src.push(6 + h);
    dst.push(m);
    wts.push(b);
  }
});
const bipartite = csrFromEdges(9, src, dst, wts);
const members = Int32Array.from([0, 1, 2, 3, 4, 5]);

describe('graph/metrics/projected-modularity', () => {
  it('equals the modularity of the explicitly built one-mode projection', () => {
    for (const weighting of ['inverse-degree', 'none'] as const) {
      const projection = explicitProjection(6, hubs, weighting);
      for (const partition of [
        [0, 0, 0, 1, 1, 1],
        [0, 1, 0, 1, 0, 1],
        [0, 0, 1, 1, 2, 2],
        [0, 0, 0, 0, 0, 0],
      ]) {
        const want = modularity(projection, partition);
        expect(projectedModularity(bipartite, members, partition, { weighting })).toBeCloseTo(want, 10);
        expect(
          projectedModularity(bipartite, members, partition, { weighting, resolution: 0.5 }),
        ).toBeCloseTo(modularity(projection, partition, 0.5), 10);
      }
    }
  });

  it('matches the hand computation for two disjoint stars', () => {
    // Hubs 2 and 3 each join two members with weight 1: the projection is two separate edges.
    const csr = csrFromEdges(6, [4, 4, 5, 5], [0, 1, 2, 3]);
    // Each community holds one edge, half the weight, half the degrees: 2 (1/2 - 1/4) = 1/2.
    expect(projectedModularity(csr, Int32Array.from([0, 1, 2, 3]), [0, 0, 1, 1])).toBeCloseTo(0.5, 12);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'a short partition',
      () => projectedModularity(bipartite, members, [0, 1]),
      /one entry per member \(6\), got 2/,
    ],
    [
      'a negative community',
      () => projectedModularity(bipartite, members, [0, 0, 0, 1, 1, -1]),
      /partition\[5\]/,
    ],
    [
      'a member outside',
      () => projectedModularity(bipartite, Int32Array.from([0, 1, 2, 3, 4, 9]), [0, 0, 0, 1, 1, 1]),
      /member 5 is row 9, outside the 9 nodes/,
    ],
    [
      'a member twice',
      () => projectedModularity(bipartite, Int32Array.from([0, 1, 2, 3, 4, 4]), [0, 0, 0, 1, 1, 1]),
      /listed twice/,
    ],
    [
      'a hub–hub edge',
      () => projectedModularity(csrFromEdges(3, [1], [2]), Int32Array.from([0]), [0]),
      /joins two hubs: not bipartite/,
    ],
    [
      'a graph without weight',
      () => projectedModularity(csrFromEdges(3, [2], [0]), Int32Array.from([0, 1]), [0, 0]),
      /no edge weight/,
    ],
    [
      'a bad resolution',
      () => projectedModularity(bipartite, members, [0, 0, 0, 1, 1, 1], { resolution: -1 }),
      /resolution must be a finite number/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
