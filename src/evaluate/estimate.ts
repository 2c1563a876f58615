import {
  type ConfidenceInterval,
  confidenceInterval,
  type IntervalOptions,
  mean,
} from './confidence-interval.js';
import { clippedInversePropensity } from './estimators/clipped-inverse-propensity.js';
import { directMethod } from './estimators/direct-method.js';
import { doublyRobust } from './estimators/doubly-robust.js';
import type { OffPolicyEstimator } from './estimators/estimator.js';
import { inversePropensity } from './estimators/inverse-propensity.js';
import { selfNormalizedIps } from './estimators/self-normalized-ips.js';
import { switchDoublyRobust } from './estimators/switch-doubly-robust.js';
import { type ActionDistribution, checkLoggedData, type LoggedBanditData } from './logged-bandit-data.js';

/** The estimators the runner reports, in table order; `lambda` sets clipping and switching. */
export function standardEstimators(options: { readonly lambda?: number } = {}): OffPolicyEstimator[] {
  const lambda = options.lambda;
  const opt = lambda === undefined ? {} : { lambda };
  return [
    directMethod(),
    inversePropensity(),
    clippedInversePropensity(opt),
    selfNormalizedIps(),
    doublyRobust(),
    switchDoublyRobust(opt),
  ];
}

/** The estimate of V(pi): the mean of the estimator's round rewards (inputs checked first). */
export function estimatePolicyValue(
  estimator: OffPolicyEstimator,
  data: LoggedBanditData,
  pi: ActionDistribution,
): number {
  checkLoggedData(data, pi, { rewardHat: estimator.needsRewardModel });
  return mean(estimator.roundRewards(data, pi));
}

/** The estimate of V(pi) with a confidence interval (bootstrap by default, seeded). */
export function estimateInterval(
  estimator: OffPolicyEstimator,
  data: LoggedBanditData,
  pi: ActionDistribution,
  options: IntervalOptions = {},
): ConfidenceInterval {
  checkLoggedData(data, pi, { rewardHat: estimator.needsRewardModel });
  return confidenceInterval(estimator.roundRewards(data, pi), options);
}

/**
 * The estimate of V(pi) − V(baseline) with an interval from the paired round-reward differences
 * (the same rounds resampled for both). With baseline = "contact nobody", rounds where pi also
 * puts everything on 'none' contribute exactly 0 for DM, IPS and DR, which keeps variance down.
 */
export function estimateDifference(
  estimator: OffPolicyEstimator,
  data: LoggedBanditData,
  pi: ActionDistribution,
  baseline: ActionDistribution,
  options: IntervalOptions = {},
): ConfidenceInterval {
  checkLoggedData(data, pi, { rewardHat: estimator.needsRewardModel });
  checkLoggedData(data, baseline, { rewardHat: estimator.needsRewardModel });
  const a = estimator.roundRewards(data, pi);
  const b = estimator.roundRewards(data, baseline);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! - b[i]!;
  return confidenceInterval(a, options);
}
