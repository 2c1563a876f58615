import { describe, expect, it } from 'vitest';
import {
  decodeClientPaths,
  type ExplanationPath,
  encodeClientPaths,
} from '../../../src/allocate/precomputed/explanation-paths.js';

const n = (id: string, label: string) => ({ id, label });
const r = (type: string, from: string, to: string) => ({ type, from, to });

/** One path of every kind from client C1 to product P1, as read/explanation-paths returns them. */
const PATHS: Record<string, ExplanationPath> = {
  similarOut: {
    kind: 'similar-client',
    nodes: [n('C1', 'Client'), n('C2', 'Client'), n('P1', 'Product')],
    relationships: [r('SIMILAR_TO', 'C1', 'C2'), r('HOLDS', 'C2', 'P1')],
  },
  similarIn: {
    kind: 'similar-client',
    nodes: [n('C1', 'Client'), n('C3', 'Client'), n('P1', 'Product')],
    relationships: [r('SIMILAR_TO', 'C3', 'C1'), r('HOLDS', 'C3', 'P1')],
  },
  event: {
    kind: 'journey-event',
    nodes: [n('C1', 'Client'), n('E1-4', 'Event'), n('P1', 'Product')],
    relationships: [r('DID', 'C1', 'E1-4'), r('ABOUT', 'E1-4', 'P1')],
  },
  verbatim: {
    kind: 'verbatim',
    nodes: [n('C1', 'Client'), n('V:9', 'Verbatim'), n('P1', 'Product')],
    relationships: [r('WROTE', 'C1', 'V:9'), r('ABOUT', 'V:9', 'P1')],
  },
  community: {
    kind: 'community',
    nodes: [n('C1', 'Client'), n('K7', 'Community'), n('C4', 'Client'), n('P1', 'Product')],
    relationships: [r('IN_COMMUNITY', 'C1', 'K7'), r('IN_COMMUNITY', 'C4', 'K7'), r('HOLDS', 'C4', 'P1')],
  },
  advisor: {
    kind: 'same-advisor',
    nodes: [n('C1', 'Client'), n('A1', 'Advisor'), n('C5', 'Client'), n('P1', 'Product')],
    relationships: [r('MANAGED_BY', 'C1', 'A1'), r('MANAGED_BY', 'C5', 'A1'), r('HOLDS', 'C5', 'P1')],
  },
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
      '{"P1":[["s","C2"],["s<","C3"],["e","E1-4"],["v","V:9"],["k","K7","C4"],["a","A1","C5"]],"P2":[]}',
    );
    expect(decodeClientPaths('C1', text)).toEqual(byProduct);
  });

  // A path not exactly of its kind's shape is never rebuilt wrong: its product is left out (read live).
  const BAD: readonly [string, ExplanationPath][] = [
    ['an unknown kind', { ...PATHS.event!, kind: 'rumour' }],
    [
      'another label',
      { ...PATHS.event!, nodes: [n('C1', 'Client'), n('E1-4', 'Journey'), n('P1', 'Product')] },
    ],
    [
      'another relationship type',
      { ...PATHS.event!, relationships: [r('DID', 'C1', 'E1-4'), r('MENTIONS', 'E1-4', 'P1')] },
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
