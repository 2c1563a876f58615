/**
 * Calibration of an uplift learner's action values on held-out logged outcomes, so that what a plan
 * announces is what it earns. A learner fitted on the old targeting's rows can be right in its
 * ranking and wrong in its scale (a bias of the weights, of the outcome window, or the winner's
 * curse of picking the largest of many noisy estimates); a budget set on those values is wrong by
 * the same factor. Per channel c, on rows of clients the learner never saw:
 *
 *   ψ_i = τ̂_i + ( 1[a_i = c] w1_i (y_i − f1_i) − 1[a_i = none] w0_i (y_i − f0_i) ) / s_i
 *
 * the doubly robust pseudo-outcome of the uplift (Dudík, Langford & Li 2011; Kennedy 2020), with
 * τ̂ = f1 − f0 the learner's uplift, s_i the row's sampling weight and w1, w0 the inverse logging
 * propensities s/μ, self-normalised so each group stands for all the rows and clipped at maxWeight
 * times their mean (as ips-weights.ts). E[ψ | x] is the true uplift whatever the error of f0 and
 * f1 when μ is right. The calibrated uplift is b_c τ̂ with
 *
 *   b_c = Σ s m² ψ τ̂ / Σ s m² τ̂²
 *
 * the least-squares slope through the origin in EUR (m the product's margin: errors weigh by what
 * they cost), over the rows whose announced gain τ̂ m exceeds the channel's cost: the actions a plan
 * can take, whose values the plan announces (all rows when they hold fewer than `minContacted`
 * held-out contacts). It rescales the uplift without reordering a channel's actions; since it
 * regresses the truth on the estimate, it also shrinks a noisy estimate toward zero (regression
 * dilution), the correction a plan that picks the largest estimates needs. A channel with fewer
 * than `minContacted` held-out contacts in all its rows takes the slope of all channels pooled. Slopes are kept in
 * [0, MAX_SLOPE]: a slope of 0 says the learner's uplift through that channel carries no value.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { ActionScores } from '../model.js';
import { actionPropensity } from './ips-weights.js';

export interface UpliftCalibrationOptions {
  /** Largest weight, as a multiple of its group's mean weight. */
  readonly maxWeight: number;
  /** Propensities are floored at this value before inverting. */
  readonly minPropensity: number;
  /** Held-out contacts through a channel below which it takes the pooled slope. */
  readonly minContacted: number;
}

export const UPLIFT_CALIBRATION_DEFAULTS: Readonly<UpliftCalibrationOptions> = Object.freeze({
  maxWeight: 50,
  minPropensity: 0.01,
  minContacted: 200,
});

export const MAX_SLOPE = 5;

/** A fitted calibration: one slope per channel, in the table's channel order. */
export interface UpliftCalibration {
  readonly slope: readonly number[];
  /** Held-out contacts through each channel. */
  readonly contacted: readonly number[];
  /** The slope of all channels pooled. */
  readonly pooled: number;
  /** Held-out rows used. */
  readonly rows: number;
}

interface Sums {
  num: number;
  den: number;
}

/**
 * Fits the slopes on held-out rows `rows` (a training table: treatment, outcome, weight), the
 * learner's uncalibrated `scores` on them and the logging propensities `mu` (n × (C + 1), 'none'
 * last; a contacted row's logged propensity takes precedence, as in the training weights).
 */
export function fitUpliftCalibration(
  rows: UpliftExamples,
  scores: ActionScores,
  mu: Float32Array | undefined,
  options: Partial<UpliftCalibrationOptions> = {},
): UpliftCalibration {
  const o = { ...UPLIFT_CALIBRATION_DEFAULTS, ...options };
  const where = 'models/uplift-calibration';
  if (rows.kind !== 'train')
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: needs training rows (with outcomes), got decision rows`,
    );
  const C = rows.channelIds.length;
  const byChannel: Sums[] = Array.from({ length: C }, () => ({ num: 0, den: 0 }));
  const contacted: number[] = new Array(C).fill(0);
  const pooled: Sums = { num: 0, den: 0 };
  for (let c = 0; c < C; c++) {
    // the actions a plan could take (an announced gain above the contact's cost), else all
    let part = channelSums(rows, scores, mu, c, o, rows.channelCost[c]!);
    if (part.contacted < o.minContacted) part = channelSums(rows, scores, mu, c, o, Number.NEGATIVE_INFINITY);
    byChannel[c] = part.sums;
    contacted[c] = part.contacted;
    pooled.num += part.sums.num;
    pooled.den += part.sums.den;
  }
  const clamp = (b: number): number => (Number.isFinite(b) ? Math.min(MAX_SLOPE, Math.max(0, b)) : 1);
  const pooledSlope = pooled.den > 0 ? clamp(pooled.num / pooled.den) : 1;
  const slope = byChannel.map((s, c) =>
    contacted[c]! >= o.minContacted && s.den > 0 ? clamp(s.num / s.den) : pooledSlope,
  );
  return { slope, contacted, pooled: pooledSlope, rows: rows.n };
}

/**
 * Σ s m² ψ τ̂ and Σ s m² τ̂² of channel c over the rows where c is allowed and the announced gain
 * τ̂ m exceeds `minGain`.
 */
function channelSums(
  rows: UpliftExamples,
  scores: ActionScores,
  mu: Float32Array | undefined,
  c: number,
  o: UpliftCalibrationOptions,
  minGain: number,
): { sums: Sums; contacted: number } {
  const C = rows.channelIds.length;
  const { n } = rows;
  const inRegion = (i: number): boolean =>
    rows.weight[i]! > 0 &&
    rows.contactable[i * C + c] === 1 &&
    usable(scores, i, c, C) &&
    (scores.pContact[i * C + c]! - scores.pNoContact[i]!) * rows.margin[rows.product[i]!]! > minGain;
  // raw inverse propensities of each group, and the rows' total sampling weight
  const w1 = new Float64Array(n);
  const w0 = new Float64Array(n);
  let total = 0;
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < n; i++) {
    if (!inRegion(i)) continue;
    const s = rows.weight[i]!;
    total += s;
    const a = rows.treatment[i]!;
    if (a === c) {
      w1[i] = s / Math.max(actionPropensity(rows, mu, i, c), o.minPropensity);
      n1++;
    } else if (a < 0) {
      w0[i] = s / Math.max(actionPropensity(rows, mu, i, -1), o.minPropensity);
      n0++;
    }
  }
  selfNormalise(w1, n1, total, o.maxWeight);
  selfNormalise(w0, n0, total, o.maxWeight);
  const sums: Sums = { num: 0, den: 0 };
  for (let i = 0; i < n; i++) {
    if (!inRegion(i)) continue;
    const s = rows.weight[i]!;
    const f0 = scores.pNoContact[i]!;
    const f1 = scores.pContact[i * C + c]!;
    const tau = f1 - f0;
    const y = rows.outcome[i]!;
    const psi = tau + (w1[i]! * (y - f1) - w0[i]! * (y - f0)) / s;
    const m = rows.margin[rows.product[i]!]!;
    const k = s * m * m;
    sums.num += k * psi * tau;
    sums.den += k * tau * tau;
  }
  return { sums, contacted: n1 };
}

function usable(scores: ActionScores, i: number, c: number, C: number): boolean {
  return Number.isFinite(scores.pNoContact[i]!) && Number.isFinite(scores.pContact[i * C + c]!);
}

/** Scales the positive weights so they sum to `total`, clips at maxWeight × their mean, rescales. */
function selfNormalise(w: Float64Array, count: number, total: number, maxWeight: number): void {
  if (count === 0) return;
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]!;
  const cap = (maxWeight * total) / count;
  let clipped = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    w[i] = Math.min((w[i]! * total) / sum, cap);
    clipped += w[i]!;
  }
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) w[i] = (w[i]! * total) / clipped;
}

/** The calibrated scores: pContact = pNoContact + b_c (pContact − pNoContact), clamped to [0, 1]; upliftSd × b_c. */
export function applyUpliftCalibration(
  rows: UpliftExamples,
  scores: ActionScores,
  slope: readonly number[],
): ActionScores {
  const C = rows.channelIds.length;
  if (slope.length !== C)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models/uplift-calibration: ${slope.length} slopes for ${C} channels (${rows.channelIds.join(', ')})`,
    );
  const pContact = new Float32Array(scores.pContact.length);
  const upliftSd = scores.upliftSd ? new Float32Array(scores.upliftSd.length) : undefined;
  for (let i = 0; i < rows.n; i++) {
    const p0 = scores.pNoContact[i]!;
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      const p1 = p0 + slope[c]! * (scores.pContact[k]! - p0);
      pContact[k] = Math.min(1, Math.max(0, p1));
      if (upliftSd) upliftSd[k] = scores.upliftSd![k]! * slope[c]!;
    }
  }
  return { pNoContact: scores.pNoContact, pContact, ...(upliftSd ? { upliftSd } : {}) };
}
