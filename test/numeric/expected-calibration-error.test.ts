import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from '../../src/numeric/expected-calibration-error.js';

describe('expectedCalibrationError', () => {
  it('is 0 when each bin’s mean prediction equals its event rate', () => {
    const p = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    expect(expectedCalibrationError(p, y, new Array(8).fill(1), 2)).toBe(0);
  });

  it('weights each bin’s gap by its share of the weight', () => {
    // bin 1 (weight 2): predicted 0.1, observed 0.5; bin 2 (weight 2): predicted 0.9, observed 1
    const ece = expectedCalibrationError([0.1, 0.1, 0.9, 0.9], [1, 0, 1, 1], [1, 1, 1, 1], 2);
    expect(ece).toBeCloseTo(0.5 * 0.4 + 0.5 * 0.1, 12);
  });

  it('counts row weights (equal-mass bins by weight)', () => {
    const ece = expectedCalibrationError([0.2, 0.2], [1, 0], [3, 1], 1);
    expect(ece).toBeCloseTo(Math.abs(0.2 - 0.75), 12);
  });

  it.each([
    ['lengths', [0.1], [1, 0], [1], 10, /lengths must agree/],
    ['bins', [0.1], [1], [1], 0, /bins must be an integer ≥ 1, got 0/],
  ] as const)('refuses %s', (_n, p, y, w, bins, msg) => {
    expect(() => expectedCalibrationError(p, y, w, bins)).toThrow(msg);
  });
});
