import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/numeric/percentile.js';

describe('percentile (numpy "linear")', () => {
  it('interpolates between order statistics', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(percentile(s, 0.025)).toBeCloseTo(1.075, 12);
    expect(percentile(s, 0.975)).toBeCloseTo(3.925, 12);
    expect(percentile(s, 0.5)).toBe(2.5);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 1)).toBe(4);
    expect(percentile([7], 0.3)).toBe(7);
  });

  it('is NaN on an empty array and refuses q outside [0, 1]', () => {
    expect(percentile([], 0.5)).toBeNaN();
    for (const q of [-0.1, 1.5, Number.NaN, 97.5])
      expect(() => percentile([1, 2], q)).toThrow(/q must be in \[0, 1\]/);
  });
});
