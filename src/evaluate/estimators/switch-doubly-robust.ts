import { ErrorCode, NbgError } from '../../errors.js';
import { switchedCorrection } from './doubly-robust.js';
import type { OffPolicyEstimator } from './estimator.js';

export const SWITCH_DR_DEFAULTS = { lambda: 100 } as const;

/**
 * SWITCH-DR: V̂ = (1/n) Σ_i [ Σ_a pi(a|x_i) q̂(x_i, a) + 1[w_i ≤ lambda] w_i (r_i − q̂(x_i, a_i)) ]:
 * DR where the weight is moderate, the direct method where it would explode. Wang, Agarwal & Dudík
 * 2017 (in obp's form, which keeps DM on every round); obp `SwitchDoublyRobust(lambda_)`.
 */
export function switchDoublyRobust(options: { readonly lambda?: number } = {}): OffPolicyEstimator {
  const lambda = options.lambda ?? SWITCH_DR_DEFAULTS.lambda;
  if (!(lambda >= 0)) {
    throw new NbgError(ErrorCode.BAD_CONFIG, `evaluate/switch-dr: lambda must be at least 0, got ${lambda}`);
  }
  return switchedCorrection('switch-dr', lambda, true);
}
