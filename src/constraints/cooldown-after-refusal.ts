import { DAY_MS } from '../domain/time.js';
import type { ProductRuleInput, RuleCheck } from './rule.js';

/**
 * Cooldown after a refusal: no offer of a product within `cooldownDaysAfterRefusal` days after the
 * client refused an offer of that same product (now − lastRefusal < cooldown ⇒ excluded).
 */
export function cooldownAfterRefusal({ client, product, policy, now }: ProductRuleInput): RuleCheck {
  const cooldown = policy.cooldownDaysAfterRefusal;
  const last = client.lastRefusalAt.get(product.id);
  if (last === undefined) {
    return { rule: 'cooldown-after-refusal', passed: true, reason: `the client never refused ${product.id}` };
  }
  const days = Math.floor((now - last) / DAY_MS);
  if (cooldown === undefined) {
    return {
      rule: 'cooldown-after-refusal',
      passed: true,
      reason: `the client refused ${product.id} ${days} days ago; the policy sets no cooldown`,
    };
  }
  const passed = now - last >= cooldown * DAY_MS;
  return {
    rule: 'cooldown-after-refusal',
    passed,
    reason: `the client refused ${product.id} ${days} days ago, the cooldown is ${cooldown} days`,
  };
}
