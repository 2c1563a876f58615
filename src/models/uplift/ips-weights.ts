/**
 * Inverse-propensity weights of the training rows, so that the rows the old targeting chose stand
 * for the whole population (Horvitz & Thompson 1952; self-normalised as SNIPS, Swaminathan &
 * Joachims 2015; clipped as Ionides 2008):
 *
 *   w_i = s_i / μ(a_i | i),   then within each action group g (each channel, and 'none'):
 *   w̃_i = min(w_i / mean_g(w), maxWeight),   then w̃ rescaled to mean 1 in the group
 *
 * s_i is the row's sampling weight and μ(a_i | i) the logging policy's probability of the action the
 * row received: the row's logged propensity where present, else the exposure matrix (the exposure
 * model's μ, n × (C + 1), 'none' last). A 'none' row without an exposure matrix gets μ = 1 (the old
 * policy contacts few pairs, so μ(none) is close to 1); a contacted row without either is refused.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { ExposureModel } from '../model.js';

/**
 * 'ips': w = s / μ(a | i). 'stabilised': w = s × μ̂(a | x_i) / μ(a | i), μ̂ the exposure matrix (what
 * the features explain of the old targeting) and μ the row's logged propensity (what the old
 * targeting really used): the part of the weight that is a function of the features is left out
 * (stabilised weights, Robins, Hernán & Brumback 2000). A model that conditions on x needs no
 * reweighting over x, only over what the old targeting saw beyond x (in the simulator, the pair's
 * hidden baseline conversion: contacts went to sure things); the weights then range over that
 * ratio alone instead of over 1/μ (four orders of magnitude between segments). Without a logged
 * propensity, or without an exposure matrix, the ratio is 1. 'none': w = s.
 */
export type Weighting = 'ips' | 'stabilised' | 'none';

/**
 * Floor of both probabilities of the stabilised ratio: far below `minPropensity`, since the ratio
 * of two small probabilities is moderate; the self-normalised clip at `maxWeight` bounds it.
 */
const RATIO_FLOOR = 1e-6;

/** Where the learners take the logging policy's probabilities from. */
export interface PropensityOptions {
  /** n × (C + 1) μ(a | row), 'none' last (the exposure model's output, or the truth in tests). */
  readonly propensities?: Float32Array;
  /** Asked for the matrix when `propensities` is not given. */
  readonly exposure?: ExposureModel;
}

export interface WeightOptions {
  /** 'ips' or 'stabilised' (the debiased learners), or 'none' (plain sampling weights: the naive fit). */
  readonly weighting: Weighting;
  /** Largest self-normalised weight (a multiple of the group's mean weight). */
  readonly maxWeight: number;
  /** Propensities are floored at this value before inverting. */
  readonly minPropensity: number;
}

/** The exposure matrix of `rows`: given, asked of the exposure model, or undefined. */
export async function exposureMatrix(
  rows: UpliftExamples,
  source: PropensityOptions,
  where: string,
): Promise<Float32Array | undefined> {
  const C = rows.channelIds.length;
  const mu = source.propensities ?? (source.exposure ? await source.exposure.exposure(rows) : undefined);
  if (mu && mu.length !== rows.n * (C + 1))
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${where}: propensities have ${mu.length} values, expected n × (C + 1) = ${rows.n} × ${C + 1}`,
    );
  return mu;
}

/** μ(a | row i) for action a (0..C−1 a channel, C or −1 'none'), as the weights read it. */
export function actionPropensity(
  rows: UpliftExamples,
  mu: Float32Array | undefined,
  i: number,
  a: number,
): number {
  const C = rows.channelIds.length;
  const action = a < 0 ? C : a;
  if (action === rows.treatment[i] || (action === C && rows.treatment[i] === -1)) {
    const logged = rows.loggedPropensity[i]!;
    if (action < C && Number.isFinite(logged)) return logged;
  }
  if (mu) return mu[i * (C + 1) + action]!;
  return action === C ? 1 : Number.NaN;
}

/** Per-row training weights (n), 0 for rows of weight 0. See the module comment for the formula. */
export function ipsWeights(
  rows: UpliftExamples,
  mu: Float32Array | undefined,
  options: WeightOptions,
  where: string,
): Float32Array {
  const { n } = rows;
  const C = rows.channelIds.length;
  if (!(options.maxWeight >= 1))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: maxWeight must be ≥ 1, got ${options.maxWeight}`);
  if (!(options.minPropensity > 0 && options.minPropensity < 1))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: minPropensity must be in (0, 1), got ${options.minPropensity}`,
    );
  const w = new Float32Array(n);
  const sum = new Float64Array(C + 1);
  const count = new Float64Array(C + 1);
  for (let i = 0; i < n; i++) {
    const s = rows.weight[i]!;
    if (!(s > 0)) continue;
    const t = rows.treatment[i]!;
    const g = t < 0 ? C : t;
    let v = s;
    if (options.weighting === 'ips') {
      const q = actionPropensity(rows, mu, i, t);
      if (!Number.isFinite(q) || q <= 0)
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          `${where}: row ${i} (client ${rows.clientIds[rows.client[i]!]}, ${rows.productIds[rows.product[i]!]}) was contacted through ${rows.channelIds[t]} but has no propensity (${q}): give the exposure model or a propensity matrix`,
        );
      v = s / Math.max(q, options.minPropensity);
    } else if (options.weighting === 'stabilised') {
      v = s * stabilisedRatio(rows, mu, i, t, RATIO_FLOOR);
    }
    w[i] = v;
    sum[g]! += v;
    count[g]! += 1;
  }
  // self-normalise per action group, clip, and rescale to mean 1 again
  const clipped = new Float64Array(C + 1);
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    const t = rows.treatment[i]!;
    const g = t < 0 ? C : t;
    const v = Math.min((w[i]! * count[g]!) / sum[g]!, options.maxWeight);
    w[i] = v;
    clipped[g]! += v;
  }
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    const t = rows.treatment[i]!;
    const g = t < 0 ? C : t;
    w[i] = (w[i]! * count[g]!) / clipped[g]!;
  }
  return w;
}

/**
 * μ̂(a | x_i) / μ(a | i) for the stabilised weights: the exposure matrix's probability of the row's
 * action over its logged propensity, both floored at `floor`; 1 when either is missing.
 */
export function stabilisedRatio(
  rows: UpliftExamples,
  mu: Float32Array | undefined,
  i: number,
  a: number,
  floor: number,
): number {
  const C = rows.channelIds.length;
  if (!mu || a < 0) return 1;
  const logged = rows.loggedPropensity[i]!;
  if (!Number.isFinite(logged) || logged <= 0) return 1;
  const hat = mu[i * (C + 1) + a]!;
  return Math.max(hat, floor) / Math.max(logged, floor);
}
