import { describe, expect, it } from 'vitest';
import {
  decodeClientPaths,
  type ExplanationPath,
  encodeClientPaths,
} from '../../../src/allocate/precomputed/explanation-paths.js';

const n = (id: string, label: string) => ({ id, label });
const r = (type: string, from: string, to: string) => ({ type, from, to });
/** A path from its kind, `id:Label` nodes and `from-TYPE->to` relationships. */
const path = (kind: string, nodes: string, rels: string): ExplanationPath => ({
  kind,
  nodes: nodes.split(' ').map((x) => n(x.slice(0, x.lastIndexOf(':')), x.slice(x.lastIndexOf(':') + 1))),
  relationships: rels.split(' ').map((x) => {
    const [from, type, to] = x.split(/->|-/) as [string, string, string];
    return r(type, from, to);
  }),
});

/** One path of every kind from client C1 to product P1, as read/explanation-paths returns them. */
const PATHS: Record<string, ExplanationPath> = {
  similarOut: path('similar-client', 'C1:Client C2:Client P1:Product', 'C1-SIMILAR_TO->C2 C2-HOLDS->P1'),
  similarIn: path('similar-client', 'C1:Client C3:Client P1:Product', 'C3-SIMILAR_TO->C1 C3-HOLDS->P1'),
  event: path('journey-event', 'C1:Client E1_4:Event P1:Product', 'C1-DID->E1_4 E1_4-ABOUT->P1'),
  verbatim: path('verbatim', 'C1:Client V:9:Verbatim P1:Product', 'C1-WROTE->V:9 V:9-ABOUT->P1'),
  community: path(
    'community',
    'C1:Client K7:Community C4:Client P1:Product',
    'C1-IN_COMMUNITY->K7 C4-IN_COMMUNITY->K7 C4-HOLDS->P1',
  ),
  advisor: path(
    'same-advisor',
    'C1:Client A1:Advisor C5:Client P1:Product',
    'C1-MANAGED_BY->A1 C5-MANAGED_BY->A1 C5-HOLDS->P1',
  ),
};

describe('stored explanation paths', () => {
  it('rebuild exactly the paths read, every kind, in order, in a few bytes', () => {
    const all = Object.values(PATHS);
    const byProduct = new Map([
      ['P1', all],
      ['P2', []],
    ]);
    const text = encodeClientPaths('C1', byProduct);
    expect(text).toBe(
      '{"P1":[["s","C2"],["s<","C3"],["e","E1_4"],["v","V:9"],["k","K7","C4"],["a","A1","C5"]],"P2":[]}',
    );
    expect(decodeClientPaths('C1', text)).toEqual(byProduct);
  });

  // A path not exactly of its kind's shape is never rebuilt wrong: its product is left out (read live).
  const BAD: readonly [string, ExplanationPath][] = [
    ['an unknown kind', { ...PATHS.event!, kind: 'rumour' }],
    [
      'another label',
      { ...PATHS.event!, nodes: [n('C1', 'Client'), n('E1_4', 'Journey'), n('P1', 'Product')] },
    ],
    [
      'another relationship type',
      { ...PATHS.event!, relationships: [r('DID', 'C1', 'E1_4'), r('MENTIONS', 'E1_4', 'P1')] },
    ],
    [
      'a reversed relationship',
      {
        ...PATHS.community!,
        relationships: [r('IN_COMMUNITY', 'K7', 'C1'), r('IN_COMMUNITY', 'C4', 'K7'), r('HOLDS', 'C4', 'P1')],
      },
    ],
    [
      'a longer path',
      {
        ...PATHS.similarOut!,
        nodes: [n('C1', 'Client'), n('C2', 'Client'), n('C6', 'Client'), n('P1', 'Product')],
      },
    ],
    [
      'another product at its end',
      { ...PATHS.similarOut!, relationships: [r('SIMILAR_TO', 'C1', 'C2'), r('HOLDS', 'C2', 'P9')] },
    ],
  ];
  it.each(BAD)('leave out a product with %s', (_, bad) => {
    const text = encodeClientPaths(
      'C1',
      new Map([
        ['P1', [PATHS.similarOut!, bad]],
        ['P2', []],
      ]),
    );
    expect([...decodeClientPaths('C1', text).keys()]).toEqual(['P2']);
  });

  it('refuse a stored path of an unknown kind', () => {
    expect(() => decodeClientPaths('C1', '{"P1":[["x","C2"]]}')).toThrow(
      /client C1, product P1: stored path \["x","C2"\]/,
    );
    expect(() => decodeClientPaths('C1', '{"P1":[["k","K7"]]}')).toThrow(/not of a known kind/);
  });
});
