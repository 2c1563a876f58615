import { GraphError } from '../graph-error.js';

const MODULE = 'graph/similarity/symmetric-eigen';

export interface Eigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Row-major d x d; column j is the unit eigenvector of values[j]. */
  readonly vectors: Float64Array;
}

/**
 * Eigen-decomposition of a small symmetric matrix (d x d, row-major) by cyclic Jacobi rotations
 * (Golub and Van Loan, Matrix Computations, 8.5): each rotation zeroes one off-diagonal entry;
 * sweeps repeat until the off-diagonal mass is below 1e-14 of the total. O(d^3) per sweep, a few
 * sweeps: fine for d up to a few hundred (embedding dimensions), not for large matrices.
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number, maxSweeps = 50): Eigen {
  if (!Number.isInteger(d) || d < 1 || matrix.length !== d * d)
    throw new GraphError(
      MODULE,
      `matrix must be d x d with d >= 1, got length ${matrix.length} for d = ${d}`,
    );
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    if (off <= 1e-28 * total || off === 0) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => a[y * d + y]! - a[x * d + x]!);
  const values = Float64Array.from(order, (i) => a[i * d + i]!);
  const vectors = new Float64Array(d * d);
  for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) vectors[k * d + j] = v[k * d + order[j]!]!;
  return { values, vectors };
}
