import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic } from '../../src/numeric/isotonic.js';

describe('fitIsotonic', () => {
  it('pools adjacent violators into the weighted means (textbook example)', () => {
    // targets 1, 3, 2, 4 at scores 1..4: the violating pair (3, 2) pools to 2.5
    const map = fitIsotonic([1, 2, 3, 4], [1, 3, 2, 4], [1, 1, 1, 1]);
    expect(Array.from(map.value)).toEqual([1, 2.5, 4]);
    expect(Array.from(map.lo)).toEqual([1, 2, 4]);
    expect(Array.from(map.hi)).toEqual([1, 3, 4]);
  });

  it('weights the pooled mean and pools tied scores', () => {
    const map = fitIsotonic([1, 2, 2], [1, 0, 1], [1, 3, 1]);
    // the tie at score 2 pools to 0.25; then 1 > 0.25 pools everything: (1 + 0 + 1) / 5
    expect(Array.from(map.value)).toEqual([0.4]);
  });

  it('interpolates between blocks and clamps outside', () => {
    const map = fitIsotonic([0, 1, 2, 3], [0, 0, 1, 1], [1, 1, 1, 1]);
    expect(applyIsotonic(map, -5)).toBe(0);
    expect(applyIsotonic(map, 0.5)).toBe(0);
    expect(applyIsotonic(map, 1.5)).toBeCloseTo(0.5, 12);
    expect(applyIsotonic(map, 9)).toBe(1);
  });

  it.each([
    ['lengths', [1, 2], [1], [1, 1], /lengths must agree/],
    ['no weight', [1], [1], [0], /no rows with positive weight/],
  ] as const)('refuses %s', (_n, s, t, w, msg) => {
    expect(() => fitIsotonic(s, t, w)).toThrow(msg);
  });
});
