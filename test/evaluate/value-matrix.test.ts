import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEvaluationDataset, type EvaluationDataset } from '../../src/evaluate/evaluation-dataset.js';
import { valueMatrixPolicy } from '../../src/evaluate/policies/value-matrix.js';
import { segmentShares } from '../../src/evaluate/segment-shares.js';
import { valueCurves } from '../../src/evaluate/value-curve.js';

const MINI = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/evaluate-mini');
let d: EvaluationDataset;
beforeAll(async () => {
  d = await buildEvaluationDataset(MINI);
});
const rows = (pi: Float64Array): number[][] =>
  Array.from({ length: pi.length / 3 }, (_, k) => [...pi.subarray(k * 3, k * 3 + 3)]);

// Pairs: C1/P_A, C2/P_A, C2/P_B, C3/P_A, C3/P_B; channels email, branch.
// Contactable: C2 has no email consent; C3/P_B is out of the product's limits.
const VALUE = Float64Array.from([5, 3, 100, 2, Number.NaN, Number.NaN, -1, -2, 50, 50]);

describe('valueMatrixPolicy', () => {
  it('takes each pair best contactable channel, skips NaN and non-positive values', () => {
    const pi = valueMatrixPolicy({ name: 'm', contacts: 5, value: VALUE }).actionDistribution(d);
    expect(rows(pi)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });
  it('keeps the budget: one contact goes to the highest value', () => {
    const pi = valueMatrixPolicy({ name: 'm', contacts: 1, value: VALUE }).actionDistribution(d);
    expect(rows(pi)[0]).toEqual([1, 0, 0]);
    expect(
      rows(pi)
        .slice(1)
        .every((r) => r[2] === 1),
    ).toBe(true);
  });
  it('refuses a value matrix of the wrong shape, naming the policy', () => {
    expect(() =>
      valueMatrixPolicy({ name: 'short', contacts: 1, value: new Float64Array(3) }).actionDistribution(d),
    ).toThrow(/policy "short": 3 values for 5 pairs × 2 channels \(expected 10\)/);
  });
});

describe('segmentShares and valueCurves', () => {
  it('gives each segment its share of contacts over its share of clients', () => {
    const pi = valueMatrixPolicy({ name: 'm', contacts: 5, value: VALUE }).actionDistribution(d);
    const s = Object.fromEntries(segmentShares(d, pi).map((r) => [r.segment, r]));
    expect(s.mass!.clientShare).toBeCloseTo(2 / 3, 12);
    expect(s.mass!.contactShare).toBeCloseTo(0.5, 12);
    expect(s.mass!.ratio).toBeCloseTo(0.75, 12);
    expect(s.affluent!.ratio).toBeCloseTo(1.5, 12);
    expect(s.young!.ratio).toBe(0);
  });
  it('scores every policy at every budget by its true value', () => {
    const curves = valueCurves(d, [1, 2], (k) => [
      valueMatrixPolicy({ name: 'm', contacts: k, value: VALUE }),
    ]);
    expect(curves).toHaveLength(1);
    expect(curves[0]!.contacts).toEqual([1, 2]);
    // C1/P_A email: (0.30 − 0.10) × 100 − 1 = 19; then C2/P_A branch: 0.20 × 100 − 10 = 10.
    expect(curves[0]!.netValue[0]).toBeCloseTo(19, 10);
    expect(curves[0]!.netValue[1]).toBeCloseTo(29, 10);
  });
});
