import type { ActionDistribution, LoggedBanditData } from '../logged-bandit-data.js';
import { modelValue, type OffPolicyEstimator } from './estimator.js';

/**
 * Doubly robust: V̂_DR = (1/n) Σ_i [ Σ_a pi(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i)) ].
 * Unbiased when either the propensities or the reward model are right. Dudík, Langford & Li 2011;
 * obp `DoublyRobust` (lambda_ = ∞).
 */
export function doublyRobust(): OffPolicyEstimator {
  return switchedCorrection('dr', Number.POSITIVE_INFINITY, false);
}

/**
 * DR's correction term with weights gated by lambda: clipped (min(w, lambda), `zeroAbove` false)
 * or switched (w·1[w ≤ lambda], `zeroAbove` true).
 */
export function switchedCorrection(name: string, lambda: number, zeroAbove: boolean): OffPolicyEstimator {
  return {
    name,
    needsRewardModel: true,
    lambda,
    roundRewards(data: LoggedBanditData, pi: ActionDistribution): Float64Array {
      const { nRounds: n, nActions: A, action, reward, pscore } = data;
      const q = data.rewardHat as Float64Array;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = action[i]!;
        let w = pi[i * A + a]! / pscore[i]!;
        if (zeroAbove) w = w <= lambda ? w : 0;
        else w = Math.min(w, lambda);
        out[i] = modelValue(q, pi, i, A) + w * (reward[i]! - q[i * A + a]!);
      }
      return out;
    },
  };
}
