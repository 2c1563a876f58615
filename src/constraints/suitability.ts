import { RISK_PROFILES, type RiskProfile } from '../domain/enums.js';
import type { ProductRuleInput, RuleCheck } from './rule.js';

const rank = (p: RiskProfile): number => RISK_PROFILES.indexOf(p);

/**
 * Suitability (when `suitability` is true): a product with a `requiredRiskProfile` may only go to a
 * client whose risk profile is at least that one (prudent < balanced < dynamic); a client whose
 * profile is unknown gets none of them (MiFID II suitability, art. 25(2)).
 */
export function suitability({ client, product, policy }: ProductRuleInput): RuleCheck {
  const required = product.requiredRiskProfile;
  if (required === undefined) {
    return { rule: 'suitability', passed: true, reason: `${product.id} requires no risk profile` };
  }
  if (policy.suitability !== true) {
    return {
      rule: 'suitability',
      passed: true,
      reason: `${product.id} requires a ${required} profile but the policy does not check suitability`,
    };
  }
  const passed = client.riskProfile !== 'unknown' && rank(client.riskProfile) >= rank(required);
  return {
    rule: 'suitability',
    passed,
    reason: `${product.id} requires a ${required} profile or higher, the client's profile is ${client.riskProfile}`,
  };
}
