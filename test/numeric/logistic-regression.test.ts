import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, logisticProbabilities } from '../../src/numeric/logistic-regression.js';

/** Rows of a categorical x (one-hot over G groups) with given class counts per group. */
function grouped(counts: number[][]): { x: Float32Array; labels: Int32Array; d: number } {
  const G = counts.length;
  const d = G - 1; // group 0 is the baseline
  const xs: number[] = [];
  const ys: number[] = [];
  counts.forEach((byClass, g) => {
    byClass.forEach((c, k) => {
      for (let i = 0; i < c; i++) {
        for (let j = 1; j < G; j++) xs.push(g === j ? 1 : 0);
        ys.push(k);
      }
    });
  });
  return { x: Float32Array.from(xs), labels: Int32Array.from(ys), d };
}

describe('fitLogisticRegression', () => {
  it('reaches the closed-form MLE of a saturated binary model (rates per group)', () => {
    const data = grouped([
      [80, 20],
      [30, 70],
      [50, 50],
    ]);
    const fit = fitLogisticRegression({ ...data, classes: 2 }, { l2: 0, tolerance: 1e-10 });
    const p = new Float64Array(3 * 2);
    logisticProbabilities(fit, Float32Array.from([0, 0, 1, 0, 0, 1]), 3, p);
    expect(p[1]).toBeCloseTo(0.2, 6);
    expect(p[3]).toBeCloseTo(0.7, 6);
    expect(p[5]).toBeCloseTo(0.5, 6);
  });

  it('reaches the closed-form MLE of a saturated multinomial model, with weights', () => {
    const data = grouped([
      [60, 30, 10],
      [20, 20, 60],
    ]);
    // doubling the weight of every class-2 row doubles its odds
    const weights = Float64Array.from(data.labels, (y) => (y === 2 ? 2 : 1));
    const fit = fitLogisticRegression({ ...data, classes: 3, weights }, { l2: 0, tolerance: 1e-10 });
    const p = new Float64Array(2 * 3);
    logisticProbabilities(fit, Float32Array.from([0, 1]), 2, p);
    expect(Array.from(p).map((v) => Number(v.toFixed(6)))).toEqual([
      Number((60 / 110).toFixed(6)),
      Number((30 / 110).toFixed(6)),
      Number((20 / 110).toFixed(6)),
      Number((20 / 160).toFixed(6)),
      Number((20 / 160).toFixed(6)),
      Number((120 / 160).toFixed(6)),
    ]);
  });

  it('respects the allowed classes of each row', () => {
    const data = grouped([
      [50, 25, 25],
      [50, 50, 0],
    ]);
    const allowed = new Uint8Array(data.labels.length * 3).fill(1);
    for (let i = 0; i < data.labels.length; i++) if ((data.x[i] as number) === 1) allowed[i * 3 + 2] = 0;
    const fit = fitLogisticRegression({ ...data, classes: 3, allowed }, { l2: 0, tolerance: 1e-10 });
    const p = new Float64Array(3);
    logisticProbabilities(fit, Float32Array.from([1]), 1, p, Uint8Array.from([1, 1, 0]));
    expect(p[0]).toBeCloseTo(0.5, 6);
    expect(p[2]).toBe(0);
  });

  it('shrinks towards equal odds as the L2 penalty grows', () => {
    const data = grouped([
      [90, 10],
      [10, 90],
    ]);
    const weak = fitLogisticRegression({ ...data, classes: 2 }, { l2: 0 });
    const strong = fitLogisticRegression({ ...data, classes: 2 }, { l2: 10 });
    expect(Math.abs(strong.coef[1] as number)).toBeLessThan(Math.abs(weak.coef[1] as number) / 10);
  });

  it.each([
    ['no rows', { x: new Float32Array(0), d: 1, labels: [], classes: 2 }, /no training rows/],
    [
      'shape',
      { x: new Float32Array(3), d: 2, labels: [0, 1], classes: 2 },
      /x has 3 values, expected n × d = 2 × 2/,
    ],
    ['label', { x: new Float32Array(2), d: 1, labels: [0, 2], classes: 2 }, /label 1 is 2, expected 0..1/],
    [
      'classes',
      { x: new Float32Array(2), d: 1, labels: [0, 0], classes: 1 },
      /classes must be an integer ≥ 2/,
    ],
    [
      'weights',
      { x: new Float32Array(2), d: 1, labels: [0, 1], classes: 2, weights: [1] },
      /1 weights for 2 rows/,
    ],
    [
      'disallowed label',
      { x: new Float32Array(1), d: 1, labels: [1], classes: 2, allowed: Uint8Array.from([1, 0]) },
      /row 0 has label 1, which it does not allow/,
    ],
  ] as const)('refuses bad input: %s', (_name, data, msg) => {
    expect(() => fitLogisticRegression(data)).toThrow(msg);
  });
});
