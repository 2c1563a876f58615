import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../graph/metrics/roc-auc.js';

describe('graph/metrics/roc-auc', () => {
  it('counts ordered pairs (3 of 4 here)', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });
  it('counts ties as one half', () => {
    expect(rocAuc([1, 1], [0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
  });
  it('is 1 for a perfect and 0 for a reversed ranking', () => {
    expect(rocAuc([1, 2, 3], [0, 1, 1])).toBe(1);
    expect(rocAuc([3, 2, 1], [0, 1, 1])).toBe(0);
  });
  const bad: [string, () => unknown, RegExp][] = [
    ['lengths that differ', () => rocAuc([1, 2], [1]), /same length, got 2 and 1/],
    ['a label that is not 0 or 1', () => rocAuc([1, 2], [0, 2]), /labels\[1\] must be 0 or 1, got 2/],
    ['a NaN score', () => rocAuc([Number.NaN, 2], [0, 1]), /scores\[0\] must be finite/],
    ['no negative', () => rocAuc([1, 2], [1, 1]), /need positives and negatives, got 2 and 0/],
  ];
  it.each(bad)('refuses %s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});
