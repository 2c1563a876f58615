import type { ProductRuleInput, RuleCheck } from './rule.js';

/**
 * Age limits of the product (min_age, max_age). Only the birth year is known, so on date `now` the
 * client is `year(now) − birthYear − 1` or `year(now) − birthYear` years old; the rule is
 * conservative and passes only if both possible ages are within the limits.
 */
export function ageLimits({ client, product, now }: ProductRuleInput): RuleCheck {
  const year = new Date(now).getUTCFullYear();
  const oldest = year - client.birthYear;
  const youngest = oldest - 1;
  const age = `the client, born in ${client.birthYear}, is ${Math.max(0, youngest)} or ${oldest} years old`;
  if (product.minAge !== undefined && youngest < product.minAge) {
    return {
      rule: 'age-limits',
      passed: false,
      reason: `${age}, ${product.id} needs at least ${product.minAge}`,
    };
  }
  if (product.maxAge !== undefined && oldest > product.maxAge) {
    return {
      rule: 'age-limits',
      passed: false,
      reason: `${age}, ${product.id} allows at most ${product.maxAge}`,
    };
  }
  if (product.minAge === undefined && product.maxAge === undefined) {
    return { rule: 'age-limits', passed: true, reason: `${product.id} has no age limit` };
  }
  const range = `${product.minAge ?? 0} to ${product.maxAge ?? 'any age'}`;
  return { rule: 'age-limits', passed: true, reason: `${age}, ${product.id} allows ${range}` };
}
