import type { ProductRuleInput, RuleCheck } from './rule.js';

/** No credit offer to a financially fragile client when `noCreditOffersToFragileClients` is true. */
export function fragileClientCredit({ client, product, policy }: ProductRuleInput): RuleCheck {
  if (!product.isCredit) {
    return { rule: 'fragile-client-credit', passed: true, reason: `${product.id} is not a credit product` };
  }
  if (!client.financiallyFragile) {
    return { rule: 'fragile-client-credit', passed: true, reason: 'the client is not financially fragile' };
  }
  if (policy.noCreditOffersToFragileClients !== true) {
    return {
      rule: 'fragile-client-credit',
      passed: true,
      reason: `the client is financially fragile but the policy allows credit offers (${product.id})`,
    };
  }
  return {
    rule: 'fragile-client-credit',
    passed: false,
    reason: `the client is financially fragile and ${product.id} is a credit product`,
  };
}
