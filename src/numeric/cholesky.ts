/**
 * Solves A z = b for a symmetric positive-definite d × d matrix A (row-major Float64Array) by
 * Cholesky factorisation A = L Lᵀ, in place: A is overwritten by L, b by z. O(d³/3). Used for the
 * small normal equations of ridge regressions and of implicit ALS (d = factors).
 */
import { ErrorCode, NbgError } from '../errors.js';

export function choleskySolve(a: Float64Array, b: Float64Array, d: number, where = 'numeric/cholesky'): void {
  if (a.length < d * d || b.length < d)
    throw new NbgError(
      ErrorCode.INTERNAL,
      `${where}: a ${d} × ${d} system needs ${d * d} + ${d} values, got ${a.length} + ${b.length}`,
    );
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j] as number;
    for (let k = 0; k < j; k++) s -= (a[j * d + k] as number) ** 2;
    if (!(s > 0))
      throw new NbgError(
        ErrorCode.INTERNAL,
        `${where}: matrix is not positive definite (pivot ${j} is ${s}); add regularisation`,
      );
    const ljj = Math.sqrt(s);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j] as number;
      for (let k = 0; k < j; k++) t -= (a[i * d + k] as number) * (a[j * d + k] as number);
      a[i * d + j] = t / ljj;
    }
  }
  // L y = b
  for (let i = 0; i < d; i++) {
    let t = b[i] as number;
    for (let k = 0; k < i; k++) t -= (a[i * d + k] as number) * (b[k] as number);
    b[i] = t / (a[i * d + i] as number);
  }
  // Lᵀ z = y
  for (let i = d - 1; i >= 0; i--) {
    let t = b[i] as number;
    for (let k = i + 1; k < d; k++) t -= (a[k * d + i] as number) * (b[k] as number);
    b[i] = t / (a[i * d + i] as number);
  }
}
