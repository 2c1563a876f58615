import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../graph/similarity/symmetric-eigen.js';

describe('graph/similarity/symmetric-eigen', () => {
  it('finds the hand-computed eigenpairs of [[2, 1], [1, 2]]', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]! * vectors[2]!).toBeCloseTo(0.5, 12);
  });

  it('reconstructs a random symmetric matrix as V diag(values) V^T', () => {
    const d = 12;
    const m = new Float64Array(d * d);
    let s = 5;
    for (let i = 0; i < d; i++)
      for (let j = 0; j <= i; j++) {
        s = (s * 16807) % 2147483647;
        m[i * d + j] = m[j * d + i] = s / 2147483647 - 0.5;
      }
    const { values, vectors } = symmetricEigen(m, d);
    for (let i = 1; i < d; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let x = 0;
        for (let k = 0; k < d; k++) x += vectors[i * d + k]! * values[k]! * vectors[j * d + k]!;
        expect(x).toBeCloseTo(m[i * d + j]!, 10);
      }
  });

  it('refuses a matrix that is not d x d', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/must be d x d with d >= 1, got length 3 for d = 2/);
  });
});
