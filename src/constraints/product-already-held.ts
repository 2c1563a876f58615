import type { ProductRuleInput, RuleCheck } from './rule.js';

/** No offer of a product the client currently holds (a holding without a closing date). */
export function productAlreadyHeld({ client, product }: ProductRuleInput): RuleCheck {
  const held = client.heldProducts.has(product.id);
  return {
    rule: 'product-already-held',
    passed: !held,
    reason: held ? `the client already holds ${product.id}` : `the client does not hold ${product.id}`,
  };
}
