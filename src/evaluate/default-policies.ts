import type { EvaluationPolicy } from './policies/evaluation-policy.js';
import { naiveConversionRatePolicy } from './policies/naive-conversion-rate.js';
import { truthOraclePolicy, typeBlindOraclePolicy } from './policies/truth-oracle.js';
import { uniformRandomPolicy } from './policies/uniform-random.js';

/**
 * The policies `nbg evaluate` compares, all with the same contact budget. Adding a policy (a
 * trained model's ranking, say) is adding one entry here. `typeBlind`: the truth has the type-blind
 * columns, so the type-blind oracle joins the truth oracle.
 */
export function defaultPolicies(
  contacts: number,
  options: { readonly typeBlind?: boolean } = {},
): EvaluationPolicy[] {
  return [
    uniformRandomPolicy({ contacts }),
    truthOraclePolicy({ contacts }),
    ...(options.typeBlind ? [typeBlindOraclePolicy({ contacts })] : []),
    naiveConversionRatePolicy({ contacts, by: 'product' }),
    naiveConversionRatePolicy({ contacts, by: 'segment-product' }),
    naiveConversionRatePolicy({ contacts, by: 'product-channel' }),
  ];
}
