import { ErrorCode, NbgError } from '../../errors.js';
import type { OffPolicyEstimator } from './estimator.js';
import { clippedWeights } from './inverse-propensity.js';

export const CLIPPED_IPS_DEFAULTS = { lambda: 100 } as const;

/**
 * Clipped IPS: V̂ = (1/n) Σ_i min(w_i, lambda) r_i. Trades a downward bias (for positive rewards)
 * for variance. Ionides 2008; Strehl et al. 2010; obp `InverseProbabilityWeighting(lambda_)`.
 */
export function clippedInversePropensity(options: { readonly lambda?: number } = {}): OffPolicyEstimator {
  const lambda = options.lambda ?? CLIPPED_IPS_DEFAULTS.lambda;
  if (!(lambda > 0)) {
    throw new NbgError(ErrorCode.BAD_CONFIG, `evaluate/clipped-ips: lambda must be positive, got ${lambda}`);
  }
  return clippedWeights('clipped-ips', lambda);
}
