import { trueUpliftAuuc } from '../../../src/evaluate/uplift-curve.js';
import type { UpliftExamples } from '../../../src/features/examples.js';
import type { ActionScores } from '../../../src/models/model.js';
import type { SyntheticTruth } from '../synthetic-examples.js';

/** Spearman rank correlation (ties broken by index; the scores here are continuous). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const rank = (v: ArrayLike<number>): Float64Array => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort(
      (i, j) => (v[i] as number) - (v[j] as number),
    );
    const r = new Float64Array(v.length);
    idx.forEach((i, k) => {
      r[i] = k;
    });
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const m = (ra.length - 1) / 2;
  let s = 0;
  let qa = 0;
  let qb = 0;
  for (let i = 0; i < ra.length; i++) {
    s += (ra[i]! - m) * (rb[i]! - m);
    qa += (ra[i]! - m) ** 2;
    qb += (rb[i]! - m) ** 2;
  }
  return s / Math.sqrt(qa * qb);
}

/**
 * How well predicted uplifts match the learnable truth E[p1 − p0 | features] over every (row,
 * channel): Spearman, the normalised true-uplift AUUC, the same AUUC for the action value
 * u × margin − cost (the ranking a policy uses), and the mean predicted uplift and the share
 * predicted negative where the truth is clearly negative (sleeping-dog-heavy rows).
 */
export function upliftQuality(
  scores: ActionScores,
  truth: SyntheticTruth,
  rows: UpliftExamples,
): { spearman: number; auuc: number; valueAuuc: number; meanWhereNegative: number; negativeShare: number } {
  const n = rows.n;
  const C = rows.channelIds.length;
  const predicted = new Float64Array(n * C);
  const value = new Float64Array(n * C);
  const trueValue = new Float64Array(n * C);
  let neg = 0;
  let negSum = 0;
  let negRight = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) {
      const u = scores.pContact[i * C + c]! - scores.pNoContact[i]!;
      predicted[i * C + c] = u;
      const m = rows.margin[rows.product[i]!]!;
      value[i * C + c] = u * m - rows.channelCost[c]!;
      trueValue[i * C + c] = truth.expectedUplift[i * C + c]! * m - rows.channelCost[c]!;
      if (truth.expectedUplift[i * C + c]! < -0.01) {
        neg++;
        negSum += u;
        if (u < 0) negRight++;
      }
    }
  return {
    spearman: spearman(predicted, truth.expectedUplift),
    auuc: trueUpliftAuuc(predicted, truth.expectedUplift).normalised,
    valueAuuc: trueUpliftAuuc(value, trueValue).normalised,
    meanWhereNegative: negSum / neg,
    negativeShare: negRight / neg,
  };
}
