import type { ConfidenceInterval, IntervalOptions } from './confidence-interval.js';
import { estimateDifference, standardEstimators } from './estimate.js';
import type { OffPolicyEstimator } from './estimators/estimator.js';
import type { EvaluationDataset } from './evaluation-dataset.js';
import type { LoggedBanditData } from './logged-bandit-data.js';
import { contactNobody, type EvaluationPolicy } from './policies/evaluation-policy.js';
import { tabularRewardModel } from './tabular-reward-model.js';
import { type TrueValue, trueValue, unbiasedStandardErrorFloor } from './true-value.js';
import { type WeightDiagnostics, weightDiagnostics } from './weight-diagnostics.js';

export interface CompareOptions {
  /** Default: standardEstimators({ lambda }). */
  readonly estimators?: readonly OffPolicyEstimator[];
  /** Clipping / switching threshold of the default estimators. Default 1,000. */
  readonly lambda?: number;
  /** Reward-model predictions nPairs × nActions. Default: tabularRewardModel(data). */
  readonly rewardHat?: Float64Array;
  /** Default: a normal 95% interval (n is large); 'bootstrap' follows obp. */
  readonly interval?: IntervalOptions;
}

export const COMPARE_DEFAULTS = { lambda: 1000, interval: { method: 'normal', alpha: 0.05 } } as const;

/** One estimator's estimate of a policy's total incremental net value (EUR) over contacting nobody. */
export interface EstimateRow {
  readonly estimator: string;
  readonly total: ConfidenceInterval;
  /** (estimate − truth) / |truth|, when truth exists and is not 0. */
  readonly relativeError: number | undefined;
}

export interface PolicyComparison {
  readonly policy: string;
  readonly truth: TrueValue;
  /**
   * The standard error (EUR) below which no unbiased estimate of this policy's value can go on this
   * logged round (DR with the true reward model; `unbiasedStandardErrorFloor`).
   */
  readonly seFloor: number;
  readonly estimates: readonly EstimateRow[];
  readonly diagnostics: WeightDiagnostics;
}

/**
 * Evaluates each policy on the logged round: its true value from truth/ and, for each estimator,
 * the off-policy estimate of V(pi) − V(contact nobody), scaled to a total over all pairs
 * (mean × nPairs) with its interval. The estimand equals the true net value's definition, so the
 * two columns compare directly.
 */
export function comparePolicies(
  data: EvaluationDataset,
  policies: readonly EvaluationPolicy[],
  options: CompareOptions = {},
): PolicyComparison[] {
  const lambda = options.lambda ?? COMPARE_DEFAULTS.lambda;
  const estimators = options.estimators ?? standardEstimators({ lambda });
  const logged: LoggedBanditData = {
    ...data.logged,
    rewardHat: options.rewardHat ?? tabularRewardModel(data),
  };
  const baseline = contactNobody(data);
  const interval = options.interval ?? COMPARE_DEFAULTS.interval;
  const n = data.nPairs;
  return policies.map((policy) => {
    const pi = policy.actionDistribution(data);
    const truth = trueValue(data, pi);
    const estimates = estimators.map((est) => {
      const d = estimateDifference(est, logged, pi, baseline, interval);
      const total: ConfidenceInterval = {
        ...d,
        estimate: d.estimate * n,
        lower: d.lower * n,
        upper: d.upper * n,
      };
      const relativeError =
        truth.netValue !== 0 ? (total.estimate - truth.netValue) / Math.abs(truth.netValue) : undefined;
      return { estimator: est.name, total, relativeError };
    });
    return {
      policy: policy.name,
      truth,
      seFloor: unbiasedStandardErrorFloor(data, pi),
      estimates,
      diagnostics: weightDiagnostics(data, pi, lambda),
    };
  });
}
