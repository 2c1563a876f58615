import type { ActionDistribution, LoggedBanditData } from '../logged-bandit-data.js';
import { modelValue, type OffPolicyEstimator } from './estimator.js';

/**
 * Direct method: V̂_DM = (1/n) Σ_i Σ_a pi(a|x_i) q̂(x_i, a). No propensities; as good as the reward
 * model (biased when q̂ is). Beygelzimer & Langford 2009; obp `DirectMethod`.
 */
export function directMethod(): OffPolicyEstimator {
  return {
    name: 'dm',
    needsRewardModel: true,
    lambda: Number.POSITIVE_INFINITY,
    roundRewards(data: LoggedBanditData, pi: ActionDistribution): Float64Array {
      const { nRounds: n, nActions: A } = data;
      const q = data.rewardHat as Float64Array;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = modelValue(q, pi, i, A);
      return out;
    },
  };
}
