import type { ActionDistribution, LoggedBanditData } from '../logged-bandit-data.js';
import { importanceWeights, type OffPolicyEstimator } from './estimator.js';

/**
 * Inverse propensity scoring: V̂_IPS = (1/n) Σ_i w_i r_i with w_i = pi(a_i|x_i) / mu(a_i|x_i).
 * Unbiased when mu > 0 wherever pi > 0 (support); high variance when weights are large.
 * Horvitz & Thompson 1952; obp `InverseProbabilityWeighting` (lambda_ = ∞).
 */
export function inversePropensity(): OffPolicyEstimator {
  return clippedWeights('ips', Number.POSITIVE_INFINITY);
}

/** IPS with weights min(w_i, lambda) (shared by the clipped variant). */
export function clippedWeights(name: string, lambda: number): OffPolicyEstimator {
  return {
    name,
    needsRewardModel: false,
    lambda,
    roundRewards(data: LoggedBanditData, pi: ActionDistribution): Float64Array {
      const w = importanceWeights(data, pi);
      for (let i = 0; i < w.length; i++) w[i] = Math.min(w[i]!, lambda) * data.reward[i]!;
      return w;
    },
  };
}
