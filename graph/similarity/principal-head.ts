import * as tf from '@tensorflow/tfjs';
import { GraphError } from '../graph-error.js';
import { symmetricEigen } from './symmetric-eigen.js';

const MODULE = 'graph/similarity/principal-head';

/** Unit rows seen on their r leading principal axes, with what is left of each row. */
export interface PrincipalHead {
  /** Row-major n x r: coordinates on the r leading eigenvectors of the Gram matrix. */
  readonly head: Float32Array;
  /** Norm of each row outside those r axes (n). */
  readonly tails: Float32Array;
  readonly r: number;
  /** 90th percentile of the tails. */
  readonly tailP90: number;
}

/** Largest 90th-percentile tail norm at which 'auto' accepts r (products of two tails <= 1/64). */
export const AUTO_TAIL = 0.125;

function percentile90(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? 0;
}

/**
 * Y = X V, V the eigenvectors of the Gram matrix X^T X (largest eigenvalue first), so that
 * Y Y^T = X X^T: dot products are unchanged and the leading columns carry most of every row. Keeps
 * the first r columns (`head`) and the norm of the rest of each row (`tails`), which bounds what the
 * rest can add to any dot product (Cauchy–Schwarz: |y_i,tail . y_j,tail| <= t_i t_j).
 * `r = 'auto'`: the smallest multiple of 8 up to d / 2 whose 90th-percentile tail is at most
 * AUTO_TAIL; null when none is (the rows spread over too many directions for the bound to prune).
 * Shapes: X n x d (unit rows); cost 4 n d^2 flops in two matrix products plus O(d^3) for Jacobi.
 * Needs a TensorFlow.js backend ready.
 */
export function principalHead(
  X: Float32Array,
  n: number,
  d: number,
  r: number | 'auto',
): PrincipalHead | null {
  if (r !== 'auto' && (!Number.isInteger(r) || r < 1 || r >= d))
    throw new GraphError(MODULE, `r must be 'auto' or an integer in [1, ${d - 1}], got ${r}`);
  if (X.length !== n * d) throw new GraphError(MODULE, `X must hold ${n} x ${d} values, got ${X.length}`);
  // dataSync outside tf.tidy: tidy walks what its function returns, element by element for an array.
  const x = tf.tensor2d(X, [n, d]);
  let Y: Float32Array;
  try {
    const gram = tf.matMul(x, x, true, false);
    const { vectors } = symmetricEigen(gram.dataSync() as Float32Array, d);
    gram.dispose();
    const v = tf.tensor2d(Float32Array.from(vectors), [d, d]);
    const y = tf.matMul(x, v);
    Y = y.dataSync() as Float32Array;
    v.dispose();
    y.dispose();
  } finally {
    x.dispose();
  }
  const candidates = r === 'auto' ? Array.from({ length: Math.floor(d / 16) }, (_, i) => 8 * (i + 1)) : [r];
  // tails[c][i]: norm of row i beyond candidates[c] columns, from one backward pass per row.
  const tails = candidates.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    let tail = 0;
    let c = candidates.length - 1;
    for (let j = d - 1; j >= 0 && c >= 0; j--) {
      const y = Y[i * d + j]!;
      tail += y * y;
      while (c >= 0 && j === candidates[c]) tails[c--]![i] = Math.sqrt(tail);
    }
  }
  let pick = -1;
  let p90 = 0;
  for (let c = 0; c < candidates.length; c++) {
    p90 = percentile90(tails[c]!);
    if (r !== 'auto' || p90 <= AUTO_TAIL) {
      pick = c;
      break;
    }
  }
  if (pick < 0) return null;
  const keep = candidates[pick]!;
  const head = new Float32Array(n * keep);
  for (let i = 0; i < n; i++) head.set(Y.subarray(i * d, i * d + keep), i * keep);
  return { head, tails: tails[pick]!, r: keep, tailP90: p90 };
}
