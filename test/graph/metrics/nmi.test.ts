import { describe, expect, it } from 'vitest';
import { nmi } from '../../../graph/metrics/nmi.js';

describe('graph/metrics/nmi', () => {
  it('is 1 for the same partition under renaming', () => {
    expect(nmi([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c'])).toBeCloseTo(1, 12);
  });
  it('is 0 for independent partitions', () => {
    expect(nmi([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
  });
  it('matches the hand computation 2 I / (H(a) + H(b))', () => {
    // I = (2/3) ln 2, H(a) = ln 2, H(b) = ln 3.
    const expected = ((4 / 3) * Math.LN2) / (Math.LN2 + Math.log(3));
    expect(nmi([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.5158, 4);
  });
  it('is 1 when both partitions are one block', () => {
    expect(nmi([1, 1, 1], ['x', 'x', 'x'])).toBe(1);
  });
  const bad: [string, () => unknown, RegExp][] = [
    ['lengths that differ', () => nmi([0, 1], [0]), /same length, got 2 and 1/],
    ['empty partitions', () => nmi([], []), /partitions are empty/],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
