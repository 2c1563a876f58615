import * as tf from '@tensorflow/tfjs';
import type { TopKHeaps } from './top-k-heap.js';

/**
 * Slack added to every upper bound: the rotation and the float32 products move a dot product by
 * about 1e-6 at d = 128; 5e-4 keeps the bound safe with a wide margin for a few more exact checks.
 */
export const BOUND_SLACK = 5e-4;

const BLOCK = 2048;

/** Unit rows and their principal head (principal-head.ts), as the pruned kernel reads them. */
export interface PrunedRows {
  /** Row-major n x d unit rows: exact scores are computed from these. */
  readonly X: Float32Array;
  readonly d: number;
  /** Row-major n x r leading principal coordinates. */
  readonly head: Float32Array;
  readonly r: number;
  /** Norm of each rotated row beyond r. */
  readonly tails: Float32Array;
}

/** fround(sum_t X_qt X_ct), summed in float64 in the order of topKCosine: the same score bit for bit. */
function exactDot(X: Float32Array, d: number, q: number, c: number): number {
  let s = 0;
  const a = q * d;
  const b = c * d;
  for (let t = 0; t < d; t++) s += X[a + t]! * X[b + t]!;
  return Math.fround(s);
}

/**
 * Exact top-k when queries = candidates, pruned by a bound on the principal head: each row is
 * extended with its tail norm, [h_i, t_i], so one matrix product of r + 1 columns per block pair
 * (A, B) (B >= A; this part's share: pair number modulo parts) gives for every pair an upper bound
 * of its cosine (Cauchy–Schwarz on the rest):
 *   x_i . x_j = h_i . h_j + rest_i . rest_j <= h_i . h_j + t_i t_j,
 * and only pairs whose bound (plus BOUND_SLACK) reaches one of the two heaps' thresholds get their
 * exact score, the d-term dot product of the unit rows that topKCosine computes. Each pair is
 * scanned once and feeds both heaps. Offers are tie-aware, so the result does not depend on the
 * order of the pairs or the number of parts: it equals topKCosine's. Cost: n^2 (r + 1) / 2
 * multiply-adds in TensorFlow.js, one scan of the n^2 / 2 bounds, and d per surviving pair (a
 * few percent of the pairs on FastRP client vectors, most of them while the heaps fill).
 */
export function prunedSymmetricBlocks(
  heaps: TopKHeaps,
  rows: PrunedRows,
  ids: Int32Array,
  excludeSelf: boolean,
  requested: number,
  part = 0,
  parts = 1,
): void {
  const { X, d, head, r, tails } = rows;
  const n = ids.length;
  const B = Math.min(requested, BLOCK);
  const w1 = r + 1;
  const blocks: tf.Tensor2D[] = [];
  const transposed: tf.Tensor2D[] = [];
  // Column thresholds of the current block pair, less the slack (they only rise: a stale one is
  // a valid floor).
  const colThr = new Float32Array(B);
  try {
    for (let a0 = 0; a0 < n; a0 += B) {
      const a1 = Math.min(n, a0 + B);
      const rowsA = new Float32Array((a1 - a0) * w1);
      for (let i = a0; i < a1; i++) {
        rowsA.set(head.subarray(i * r, i * r + r), (i - a0) * w1);
        rowsA[(i - a0) * w1 + r] = tails[i]!;
      }
      const t = tf.tensor2d(rowsA, [a1 - a0, w1]);
      blocks.push(t);
      transposed.push(tf.transpose(t));
    }
    if (!excludeSelf) for (let q = 0; q < n; q++) heaps.offer(q, exactDot(X, d, q, q), ids[q]!);
    const scanPair = (a: number, b: number): void => {
      const a0 = a * B;
      const h = Math.min(B, n - a0);
      const b0 = b * B;
      const w = Math.min(B, n - b0);
      const prod = tf.matMul(blocks[a]!, transposed[b]!);
      const s = prod.dataSync() as Float32Array;
      prod.dispose();
      for (let j = 0; j < w; j++) colThr[j] = heaps.threshold(b0 + j) - BOUND_SLACK;
      for (let i = 0; i < h; i++) {
        const q = a0 + i;
        let thrQ = heaps.threshold(q) - BOUND_SLACK;
        const row = i * w;
        const idQ = ids[q]!;
        for (let j = a === b ? i + 1 : 0; j < w; j++) {
          const bound = s[row + j]!;
          const forQ = bound >= thrQ;
          if (!forQ && bound < colThr[j]!) continue;
          const c = b0 + j;
          const exact = exactDot(X, d, q, c);
          if (forQ && heaps.offer(q, exact, ids[c]!)) thrQ = heaps.threshold(q) - BOUND_SLACK;
          if (bound >= colThr[j]! && heaps.offer(c, exact, idQ)) colThr[j] = heaps.threshold(c) - BOUND_SLACK;
        }
      }
    };
    // The diagonal pairs first, in every part: on rows ordered by cluster they give each heap
    // near-final thresholds before the far pairs are scanned (parts then merge without duplicates).
    let pair = -1;
    for (let a = 0; a < blocks.length; a++) scanPair(a, a);
    for (let a = 0; a < blocks.length; a++)
      for (let b = a + 1; b < blocks.length; b++) {
        pair++;
        if (pair % parts === part) scanPair(a, b);
      }
  } finally {
    for (const t of blocks) t.dispose();
    for (const t of transposed) t.dispose();
  }
}
