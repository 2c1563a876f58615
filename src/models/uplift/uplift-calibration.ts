/**
 * Calibration of an uplift learner's action values on held-out logged outcomes, so that what a plan
 * announces is what it earns. A learner fitted on the old targeting's rows can be right in its
 * ranking and wrong in its scale (a bias of the weights, of the outcome window, or the winner's
 * curse of picking the largest of many noisy estimates); a budget set on those values is wrong by
 * the same factor. On rows of clients the learner never saw:
 *
 *   ψ_i = τ̂_i + ( 1[a_i = c] w1_i (y_i − f1_i) − 1[a_i = none] w0_i (y_i − f0_i) ) / s_i
 *
 * is the doubly robust pseudo-outcome of the uplift through channel c (Dudík, Langford & Li 2011;
 * Kennedy 2020), with τ̂ = f1 − f0 the learner's uplift, s_i the row's sampling weight and w1, w0 the
 * inverse logging propensities s/μ, self-normalised so each group stands for all the rows and
 * clipped at maxWeight times their mean (as ips-weights.ts). E[ψ | x] is the true uplift whatever
 * the error of f0 and f1 when μ is right. The calibration is measured where a plan acts: at each
 * held-out decision (a client at a date), the actions a plan would pick (the `picksPerDecision`
 * allowed product-channel pairs of largest positive announced value τ̂ m − cost, one per product). Per channel c, over the decisions
 * whose pick is c:
 *
 *   b_c = Σ s m ψ / Σ s m τ̂      (true over announced gain, in EUR; m the product's margin)
 *
 * and the calibrated uplift is b_c τ̂: it rescales the uplift without reordering a channel's actions,
 * and because the picks are the largest estimates it also takes out their winner's curse. The
 * ratios are noisy (a few hundred held-out contacts per channel on a small bank), so they are
 * shrunk as random effects: the channels with `minContacted` contacts among their picks give their
 * ratio and its delta-method variance; their precision-weighted mean, with the between-channel
 * variance of DerSimonian & Laird (1986), is shrunk toward 1 (the learner as it is) against a prior
 * standard deviation PRIOR_SD, and each channel's ratio toward that mean; the other channels take the
 * mean. With fewer than `minContacted` held-out contacts among all the picks, every slope is 1. Slopes stay in [MIN_SLOPE, MAX_SLOPE].
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
  /** Actions a plan may pick per decision (the policy's contacts per client over its horizon). */
  readonly picksPerDecision: number;
  /**
   * Edges of the old targeting's propensity bands (μ̂ of the pair through the channel, from the
   * features alone): each channel gets one slope per band, so the pairs the old targeting
   * contacted often, where the logs see the uplift well, are not given the scale of those it never
   * contacted. Empty: one slope per channel.
   */
  readonly bands: readonly number[];
}

export const UPLIFT_CALIBRATION_DEFAULTS: Readonly<UpliftCalibrationOptions> = Object.freeze({
  maxWeight: 50,
  minPropensity: 0.01,
  minContacted: 100,
  picksPerDecision: 2,
  bands: [],
});

export const MAX_SLOPE = 5;
/**
 * The smallest slope: a held-out sample of a few hundred contacts cannot tell a worthless channel
 * from a noisy one (on a 4,000-client mild-bias world the email ratio came out at −0.47 and every
 * slope at 0, a plan of no contact, where the classic plan earned money), so the learner's ranking
 * is kept at a tenth of its scale at least.
 */
export const MIN_SLOPE = 0.1;

/**
 * A fitted calibration: one slope per channel, in the table's channel order, or with `bands`, one
 * per channel and band (stratum c × (bands + 1) + b, b the band of μ̂: below bands[0] is band 0).
 */
export interface UpliftCalibration {
  readonly slope: readonly number[];
  /** Band edges on μ̂ (absent or empty: one slope per channel). */
  readonly bands?: readonly number[];
  /** Held-out contacts through each stratum. */
  readonly contacted: readonly number[];
  /** The slope of all channels pooled. */
  readonly pooled: number;
  /** Held-out rows used. */
  readonly rows: number;
  /** Each channel's own least-squares slope before shrinkage (null: too few contacts). */
  readonly raw?: readonly (number | null)[];
  readonly rawPooled?: number | null;
  /** Standard errors (delta method) of `raw` and `rawPooled`: how much the held-out logs can say. */
  readonly rawSe?: readonly (number | null)[];
  readonly rawPooledSe?: number | null;
}

interface Sums {
  num: number;
  den: number;
  /** The rows' (weight, τ̂, ψ), kept for the slope's sampling variance. */
  k: number[];
  tau: number[];
  psi: number[];
}

const emptySums = (): Sums => ({ num: 0, den: 0, k: [], tau: [], psi: [] });

/** The ratio Σ k ψ / Σ k τ̂ and its delta-method variance Σ k² (ψ − b τ̂)² / (Σ k τ̂)². */
function slopeOf(s: Sums): { b: number; v: number } {
  if (!(s.den > 0)) return { b: Number.NaN, v: Number.POSITIVE_INFINITY };
  const b = s.num / s.den;
  let meat = 0;
  for (let j = 0; j < s.k.length; j++) {
    const r = s.k[j]! * (s.psi[j]! - b * s.tau[j]!);
    meat += r * r;
  }
  return { b, v: meat / (s.den * s.den) };
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
  bandMu?: Float32Array,
): UpliftCalibration {
  const o = { ...UPLIFT_CALIBRATION_DEFAULTS, ...options };
  const where = 'models/uplift-calibration';
  if (rows.kind !== 'train')
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: needs training rows (with outcomes), got decision rows`,
    );
  const C = rows.channelIds.length;
  const B = o.bands.length + 1;
  const band = stratumBands(rows, o.bands, bandMu, where);
  const byChannel: Sums[] = [];
  const contacted: number[] = new Array(C * B).fill(0);
  const pooled = emptySums();
  const chosen = bestActions(rows, scores, o.picksPerDecision);
  for (let k = 0; k < C * B; k++) {
    const c = Math.floor(k / B);
    const part = channelSums(rows, scores, mu, c, o, chosen, band, k % B);
    byChannel.push(part.sums);
    contacted[k] = part.contacted;
    pooled.num += part.sums.num;
    pooled.den += part.sums.den;
    // (a loop: spreading hundreds of thousands of rows into push overflows the call stack)
    for (let j = 0; j < part.sums.k.length; j++) {
      pooled.k.push(part.sums.k[j]!);
      pooled.tau.push(part.sums.tau[j]!);
      pooled.psi.push(part.sums.psi[j]!);
    }
  }
  // Empirical Bayes (random effects): the channels with enough contacts give their own ratio and
  // its variance; their precision-weighted mean, with the between-channel variance of DerSimonian &
  // Laird (1986), is shrunk toward 1 (the learner as it is) against a prior standard deviation of
  // PRIOR_SD, and each channel's ratio toward that mean. Without any such channel, the ratio of all
  // channels' chosen actions pooled stands for the mean.
  const own = byChannel.map((sums, c) =>
    contacted[c]! >= o.minContacted ? slopeOf(sums) : { b: Number.NaN, v: Number.POSITIVE_INFINITY },
  );
  const between = betweenVariance(own);
  const usableOwn = own.filter((e) => Number.isFinite(e.b) && Number.isFinite(e.v) && e.v > 0);
  // too few held-out contacts among all the picks: nothing to learn, the learner stays as it is
  const totalContacted = contacted.reduce((x, y) => x + y, 0);
  let mean = totalContacted >= o.minContacted ? slopeOf(pooled) : { b: 1, v: 0 };
  if (usableOwn.length > 0) {
    const w = usableOwn.map((e) => 1 / (e.v + between));
    const sw = w.reduce((x, y) => x + y, 0);
    mean = { b: usableOwn.reduce((x, e, j) => x + w[j]! * e.b, 0) / sw, v: 1 / sw };
  }
  const pooledSlope = clamp(
    Number.isFinite(mean.b) ? 1 + ((mean.b - 1) * PRIOR_SD ** 2) / (PRIOR_SD ** 2 + mean.v) : 1,
  );
  const slope = own.map(({ b, v }) =>
    Number.isFinite(b) && Number.isFinite(v)
      ? clamp(pooledSlope + ((b - pooledSlope) * between) / (between + v))
      : pooledSlope,
  );
  return {
    slope,
    ...(o.bands.length > 0 ? { bands: [...o.bands] } : {}),
    contacted,
    pooled: pooledSlope,
    rows: rows.n,
    raw: own.map(({ b }) => (Number.isFinite(b) ? b : null)),
    rawPooled: Number.isFinite(mean.b) ? mean.b : null,
    rawSe: own.map(({ b, v }) => (Number.isFinite(b) && Number.isFinite(v) ? Math.sqrt(v) : null)),
    rawPooledSe: Number.isFinite(mean.b) && Number.isFinite(mean.v) ? Math.sqrt(mean.v) : null,
  };
}

/** Prior standard deviation of the pooled slope around 1. */
export const PRIOR_SD = 1;

const clamp = (b: number): number => (Number.isFinite(b) ? Math.min(MAX_SLOPE, Math.max(MIN_SLOPE, b)) : 1);

/** DerSimonian–Laird between-estimate variance of the finite slopes (0 with fewer than two). */
function betweenVariance(est: readonly { b: number; v: number }[]): number {
  const ok = est.filter((e) => Number.isFinite(e.b) && e.v > 0 && Number.isFinite(e.v));
  if (ok.length < 2) return 0;
  const w = ok.map((e) => 1 / e.v);
  const sw = w.reduce((a, x) => a + x, 0);
  const mean = ok.reduce((a, e, j) => a + w[j]! * e.b, 0) / sw;
  const q = ok.reduce((a, e, j) => a + w[j]! * (e.b - mean) ** 2, 0);
  const sw2 = w.reduce((a, x) => a + x * x, 0);
  return Math.max(0, (q - (ok.length - 1)) / (sw - sw2 / sw));
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
  chosen: Uint8Array,
  band: Uint8Array | undefined,
  b: number,
): { sums: Sums; contacted: number } {
  const C = rows.channelIds.length;
  const { n } = rows;
  const inRegion = (i: number): boolean =>
    rows.weight[i]! > 0 && chosen[i * C + c] === 1 && (band === undefined || band[i * C + c] === b);
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
  const sums = emptySums();
  for (let i = 0; i < n; i++) {
    if (!inRegion(i)) continue;
    const s = rows.weight[i]!;
    const f0 = scores.pNoContact[i]!;
    const f1 = scores.pContact[i * C + c]!;
    const tau = f1 - f0;
    const y = rows.outcome[i]!;
    const psi = tau + (w1[i]! * (y - f1) - w0[i]! * (y - f0)) / s;
    const m = rows.margin[rows.product[i]!]!;
    sums.num += s * psi * m;
    sums.den += s * tau * m;
    sums.k.push(s);
    sums.tau.push(tau * m);
    sums.psi.push(psi * m);
  }
  return { sums, contacted: n1 };
}

/**
 * The actions a plan would pick at each decision of the rows (a client at a date): the `picks`
 * allowed (product, channel) of largest positive announced value τ̂ m − cost, at most one per
 * product; n × C, 1 where picked. Rows of one decision are consecutive (training tables come by
 * client, then date).
 */
function bestActions(rows: UpliftExamples, scores: ActionScores, picks: number): Uint8Array {
  const C = rows.channelIds.length;
  const chosen = new Uint8Array(rows.n * C);
  let start = 0;
  const candidates: { k: number; v: number }[] = [];
  while (start < rows.n) {
    let end = start + 1;
    while (end < rows.n && rows.client[end] === rows.client[start] && rows.day[end] === rows.day[start])
      end++;
    candidates.length = 0;
    for (let i = start; i < end; i++) {
      const m = rows.margin[rows.product[i]!]!;
      let best = -1;
      let bestValue = 0;
      for (let c = 0; c < C; c++) {
        if (!rows.contactable[i * C + c] || !usable(scores, i, c, C)) continue;
        const v = (scores.pContact[i * C + c]! - scores.pNoContact[i]!) * m - rows.channelCost[c]!;
        if (v > bestValue) {
          bestValue = v;
          best = i * C + c;
        }
      }
      if (best >= 0) candidates.push({ k: best, v: bestValue });
    }
    candidates.sort((a, b) => b.v - a.v || a.k - b.k);
    for (let j = 0; j < Math.min(picks, candidates.length); j++) chosen[candidates[j]!.k] = 1;
    start = end;
  }
  return chosen;
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

/**
 * The calibrated scores: pContact = pNoContact + b (pContact − pNoContact), clamped to [0, 1], and
 * upliftSd × b, with b the slope of the action's channel (and of its band of μ̂, `bandMu`, n × (C + 1)
 * from the features alone, when the calibration has bands).
 */
export function applyUpliftCalibration(
  rows: UpliftExamples,
  scores: ActionScores,
  cal: Pick<UpliftCalibration, 'slope' | 'bands'>,
  bandMu?: Float32Array,
): ActionScores {
  const where = 'models/uplift-calibration';
  const C = rows.channelIds.length;
  const edges = cal.bands ?? [];
  const B = edges.length + 1;
  if (cal.slope.length !== C * B)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: ${cal.slope.length} slopes for ${C} channels (${rows.channelIds.join(', ')}) × ${B} propensity bands`,
    );
  const band = stratumBands(rows, edges, bandMu, where);
  const pContact = new Float32Array(scores.pContact.length);
  const upliftSd = scores.upliftSd ? new Float32Array(scores.upliftSd.length) : undefined;
  for (let i = 0; i < rows.n; i++) {
    const p0 = scores.pNoContact[i]!;
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      const b = cal.slope[c * B + (band ? band[k]! : 0)]!;
      const p1 = p0 + b * (scores.pContact[k]! - p0);
      pContact[k] = Math.min(1, Math.max(0, p1));
      if (upliftSd) upliftSd[k] = scores.upliftSd![k]! * b;
    }
  }
  return { pNoContact: scores.pNoContact, pContact, ...(upliftSd ? { upliftSd } : {}) };
}

/**
 * The band of each action (n × C): the number of `edges` at or below μ̂ of the row through the
 * channel; undefined without edges. Throws when edges are given without μ̂.
 */
export function stratumBands(
  rows: UpliftExamples,
  edges: readonly number[],
  bandMu: Float32Array | undefined,
  where: string,
): Uint8Array | undefined {
  if (edges.length === 0) return undefined;
  const C = rows.channelIds.length;
  if (!bandMu || bandMu.length !== rows.n * (C + 1))
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: the calibration has ${edges.length} propensity band edges and needs the exposure model's μ̂ (${rows.n} × ${C + 1}), got ${bandMu ? bandMu.length : 'none'}`,
    );
  const out = new Uint8Array(rows.n * C);
  for (let i = 0; i < rows.n; i++)
    for (let c = 0; c < C; c++) {
      const m = bandMu[i * (C + 1) + c]!;
      let b = 0;
      while (b < edges.length && m >= edges[b]!) b++;
      out[i * C + c] = b;
    }
  return out;
}
