import type { EvaluationPolicy } from './policies/evaluation-policy.js';
import { naiveConversionRatePolicy } from './policies/naive-conversion-rate.js';
import { truthOraclePolicy } from './policies/truth-oracle.js';
import { uniformRandomPolicy } from './policies/uniform-random.js';

/**
 * The policies `nbg evaluate` compares, all with the same contact budget. Adding a policy (a
 * trained model's ranking, say) is adding one entry here.
 */
export function defaultPolicies(contacts: number): EvaluationPolicy[] {
  return [
    uniformRandomPolicy({ contacts }),
    truthOraclePolicy({ contacts }),
    naiveConversionRatePolicy({ contacts, by: 'product' }),
    naiveConversionRatePolicy({ contacts, by: 'segment-product' }),
    naiveConversionRatePolicy({ contacts, by: 'product-channel' }),
  ];
}
