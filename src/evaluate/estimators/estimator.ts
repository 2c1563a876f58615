import type { ActionDistribution, LoggedBanditData } from '../logged-bandit-data.js';

/**
 * One off-policy estimator (the obp interface): per-round rewards whose mean is the estimate of
 * the evaluation policy's value V(pi) = E_x E_{a~pi} [r(x, a)]. `estimatePolicyValue` and
 * `estimateInterval` in ../estimate.ts work for every estimator from these round rewards.
 * Inputs are trusted: check them once with `checkLoggedData`.
 */
export interface OffPolicyEstimator {
  /** Short name used in tables and JSON (dm, ips, clipped-ips, snips, dr, switch-dr). */
  readonly name: string;
  /** Whether `data.rewardHat` is needed. */
  readonly needsRewardModel: boolean;
  /** Importance-weight threshold (clipping or switching), Infinity when none. */
  readonly lambda: number;
  /** Round rewards, length n; their mean is the estimate. */
  roundRewards(data: LoggedBanditData, pi: ActionDistribution): Float64Array;
}

/** w_i = pi(a_i | x_i) / mu(a_i | x_i), the importance weight of each logged round. */
export function importanceWeights(data: LoggedBanditData, pi: ActionDistribution): Float64Array {
  const { nRounds: n, nActions: A, action, pscore } = data;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = pi[i * A + action[i]!]! / pscore[i]!;
  return w;
}

/** sum_a pi(a|x_i) q̂(x_i, a) / sum_a pi(a|x_i): the model's value of pi in round i (np.average). */
export function modelValue(q: Float64Array, pi: ActionDistribution, i: number, A: number): number {
  let num = 0;
  let den = 0;
  for (let k = i * A; k < (i + 1) * A; k++) {
    num += pi[k]! * q[k]!;
    den += pi[k]!;
  }
  return num / den;
}
