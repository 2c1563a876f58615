/**
 * Weighted isotonic regression (pool adjacent violators; Ayer et al. 1955, Barlow et al. 1972), the
 * calibration map of Zadrozny & Elkan (2002): the non-decreasing step function f minimising
 * Σ_i w_i (y_i − f(s_i))² over scores s. Prediction interpolates linearly between the pooled
 * blocks (as scikit-learn's IsotonicRegression) and clamps outside the fitted range.
 */
import { ErrorCode, NbgError } from '../errors.js';

export interface IsotonicMap {
  /** Per block: its smallest and largest score, and its fitted value. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly value: Float64Array;
}

/** Fits the map on n scores, targets and weights (weights > 0 count; others are skipped). */
export function fitIsotonic(
  score: ArrayLike<number>,
  target: ArrayLike<number>,
  weight: ArrayLike<number>,
): IsotonicMap {
  const n = score.length;
  if (target.length !== n || weight.length !== n)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models/isotonic: ${n} scores, ${target.length} targets, ${weight.length} weights: lengths must agree`,
    );
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => (weight[i] as number) > 0)
    .sort((a, b) => (score[a] as number) - (score[b] as number));
  if (order.length === 0)
    throw new NbgError(ErrorCode.BAD_INPUT, 'numeric/isotonic: no rows with positive weight');
  const lo: number[] = [];
  const hi: number[] = [];
  const sw: number[] = [];
  const swy: number[] = [];
  for (const i of order) {
    const s = score[i] as number;
    const w = weight[i] as number;
    lo.push(s);
    hi.push(s);
    sw.push(w);
    swy.push(w * (target[i] as number));
    // pool while the last block's mean is below the previous one's, or the scores tie
    while (sw.length > 1) {
      const b = sw.length - 1;
      const prevMean = (swy[b - 1] as number) / (sw[b - 1] as number);
      const mean = (swy[b] as number) / (sw[b] as number);
      if (mean > prevMean && (lo[b] as number) > (hi[b - 1] as number)) break;
      sw[b - 1] = (sw[b - 1] as number) + (sw[b] as number);
      swy[b - 1] = (swy[b - 1] as number) + (swy[b] as number);
      hi[b - 1] = hi[b] as number;
      sw.pop();
      swy.pop();
      lo.pop();
      hi.pop();
    }
  }
  return {
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    value: Float64Array.from(sw, (w, b) => (swy[b] as number) / w),
  };
}

/** f(s): the block's value inside a block, linear between blocks, clamped outside. */
export function applyIsotonic(map: IsotonicMap, s: number): number {
  const { lo, hi, value } = map;
  const B = value.length;
  if (s <= (hi[0] as number)) return value[0] as number;
  if (s >= (lo[B - 1] as number)) return value[B - 1] as number;
  // the first block whose upper score is ≥ s
  let a = 0;
  let b = B - 1;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((hi[m] as number) < s) a = m + 1;
    else b = m;
  }
  if (s >= (lo[a] as number)) return value[a] as number;
  const x0 = hi[a - 1] as number;
  const x1 = lo[a] as number;
  const t = (s - x0) / (x1 - x0);
  return (value[a - 1] as number) + t * ((value[a] as number) - (value[a - 1] as number));
}
