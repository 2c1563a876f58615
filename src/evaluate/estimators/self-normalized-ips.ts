import { mean } from '../confidence-interval.js';
import type { ActionDistribution, LoggedBanditData } from '../logged-bandit-data.js';
import { importanceWeights, type OffPolicyEstimator } from './estimator.js';

/**
 * Self-normalised IPS: V̂_SNIPS = Σ_i w_i r_i / Σ_i w_i, as round rewards w_i r_i / mean(w).
 * Slightly biased, bounded by the rewards' range, much lower variance than IPS.
 * Swaminathan & Joachims 2015; obp `SelfNormalizedInverseProbabilityWeighting`.
 */
export function selfNormalizedIps(): OffPolicyEstimator {
  return {
    name: 'snips',
    needsRewardModel: false,
    lambda: Number.POSITIVE_INFINITY,
    roundRewards(data: LoggedBanditData, pi: ActionDistribution): Float64Array {
      const w = importanceWeights(data, pi);
      const wBar = mean(w);
      for (let i = 0; i < w.length; i++) w[i] = wBar > 0 ? (data.reward[i]! * w[i]!) / wBar : 0;
      return w;
    },
  };
}
