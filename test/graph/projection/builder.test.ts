import { describe, expect, it } from 'vitest';
import { createProjectionBuilder, DEFAULTS } from '../../../graph/projection/builder.js';
import type { ProjectionRow } from '../../../graph/projection/types.js';

const rows: ProjectionRow[] = [
  { source: 'holdings', clientId: 'C1', productId: 'P1' },
  { source: 'holdings', clientId: 'C1', productId: 'P2', closedAt: '2025-01-01' },
  { source: 'journeys', clientId: 'C1', productId: 'P1', type: 'simulation' },
  { source: 'journeys', clientId: 'C2', productId: null, type: 'login' },
  { source: 'journeys', clientId: 'C2', productId: 'P2', type: 'form_submit' },
  { source: 'solicitations', clientId: 'C2', productId: 'P2', channelId: 'email', outcome: 'converted' },
  { source: 'solicitations', clientId: 'C2', productId: 'P1', channelId: 'sms', outcome: 'no_response' },
  { source: 'assignments', clientId: 'C1', advisorId: 'A1', branchId: 'B1' },
  { source: 'profile', clientId: 'C2', attributes: ['segment=young', ''] },
];

function weightOf(
  p: ReturnType<ReturnType<typeof createProjectionBuilder>['build']>,
  a: string,
  b: string,
): number {
  const u = p.index.get(a)!;
  const v = p.index.get(b)!;
  for (let q = p.csr.offsets[u]!; q < p.csr.offsets[u + 1]!; q++)
    if (p.csr.targets[q] === v) return p.csr.weights[q]!;
  return 0;
}

describe('graph/projection/builder', () => {
  it('sums weights per pair across pages and sources', () => {
    const b = createProjectionBuilder();
    b.add(rows.slice(0, 4));
    b.add(rows.slice(4));
    const p = b.build();
    // C1-P1: open holding 1 + simulation 0.3; C1-P2: closed 0.25; C2-P2: form_submit 0.5 + converted 0.5.
    expect(weightOf(p, 'client:C1', 'product:P1')).toBeCloseTo(1.3, 6);
    expect(weightOf(p, 'client:C1', 'product:P2')).toBeCloseTo(0.25, 6);
    expect(weightOf(p, 'client:C2', 'product:P2')).toBeCloseTo(1, 6);
    expect(weightOf(p, 'client:C2', 'product:P1')).toBe(0);
    expect(weightOf(p, 'client:C2', 'attribute:segment=young')).toBe(1);
    // Advisor and branch weights are 0 by default: no node made for them.
    expect(p.index.has('advisor:A1')).toBe(false);
    expect(p.edgeCount).toBe(4);
    expect(p.rows).toEqual({ holdings: 2, journeys: 3, solicitations: 2, assignments: 1, profile: 1 });
    expect(Array.from(p.nodesOf('client')).map((i) => p.csr.nodes[i])).toEqual(['client:C1', 'client:C2']);
    const g = p.toGraph();
    expect(g.order).toBe(p.csr.nodeCount);
    expect(g.size).toBe(4);
    expect(g.getNodeAttribute('product:P1', 'kind')).toBe('product');
  });

  it('follows the chosen sources and weights', () => {
    const b = createProjectionBuilder({
      sources: ['holdings', 'assignments', 'solicitations'],
      weights: { ...DEFAULTS.weights, advisor: 2, branch: 0.5, solicitationChannel: 0.1 },
    });
    b.add(rows);
    b.addNodes('client', ['C9']);
    const p = b.build();
    expect(weightOf(p, 'client:C1', 'product:P1')).toBe(1);
    expect(weightOf(p, 'client:C1', 'advisor:A1')).toBe(2);
    expect(weightOf(p, 'client:C1', 'branch:B1')).toBe(0.5);
    expect(weightOf(p, 'client:C2', 'channel:email')).toBeCloseTo(0.1, 6);
    expect(p.index.has('channel:sms')).toBe(false);
    expect(p.index.has('attribute:segment=young')).toBe(false);
    const c9 = p.index.get('client:C9')!;
    expect(p.csr.offsets[c9 + 1]! - p.csr.offsets[c9]!).toBe(0);
  });

  const bad: [string, () => unknown, RegExp][] = [
    [
      'an unknown source',
      () => createProjectionBuilder({ sources: ['ledger' as 'holdings'] }),
      /unknown source 'ledger'/,
    ],
    [
      'a negative weight',
      () => createProjectionBuilder({ weights: { ...DEFAULTS.weights, holdingOpen: -1 } }),
      /weights.holdingOpen must be a finite number >= 0, got -1/,
    ],
    [
      'a NaN journey weight',
      () =>
        createProjectionBuilder({
          weights: { ...DEFAULTS.weights, journey: { ...DEFAULTS.weights.journey, search: Number.NaN } },
        }),
      /weights.journey.search must be a finite number >= 0, got NaN/,
    ],
    [
      'a row without client',
      () => createProjectionBuilder().add([{ source: 'holdings', clientId: '', productId: 'P1' }]),
      /holdings row has no clientId/,
    ],
    [
      'an unknown event type',
      () =>
        createProjectionBuilder().add([
          { source: 'journeys', clientId: 'C1', productId: 'P1', type: 'click' as 'login' },
        ]),
      /unknown type 'click'/,
    ],
    [
      'an unknown outcome',
      () =>
        createProjectionBuilder().add([
          {
            source: 'solicitations',
            clientId: 'C1',
            productId: 'P1',
            channelId: 'sms',
            outcome: 'maybe' as 'opened',
          },
        ]),
      /unknown outcome 'maybe'/,
    ],
    [
      'an unknown node kind',
      () => createProjectionBuilder().addNodes('desk' as 'client', ['x']),
      /unknown node kind 'desk'/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
