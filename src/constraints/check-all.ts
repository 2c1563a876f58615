import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import type { ClientState, PlannedContacts } from '../domain/client-state.js';
import type { Policy } from '../domain/policy.js';
import { ageLimits } from './age-limits.js';
import { consent } from './consent.js';
import { contactPressure } from './contact-pressure.js';
import { cooldownAfterRefusal } from './cooldown-after-refusal.js';
import { fragileClientCredit } from './fragile-client-credit.js';
import { productAlreadyHeld } from './product-already-held.js';
import type { ChannelRuleInput, ProductRuleInput, RuleCheck, RuleInput } from './rule.js';
import { suitability } from './suitability.js';

/** Rules that depend on the channel only. */
export const CHANNEL_RULES: readonly ((input: ChannelRuleInput) => RuleCheck)[] = [consent, contactPressure];
/** Rules that depend on the product only. */
export const PRODUCT_RULES: readonly ((input: ProductRuleInput) => RuleCheck)[] = [
  cooldownAfterRefusal,
  fragileClientCredit,
  suitability,
  ageLimits,
  productAlreadyHeld,
];

/** Every rule for one (client, product, channel) action, in a fixed order; never stops early. */
export function checkAll(input: RuleInput): RuleCheck[] {
  const out: RuleCheck[] = [];
  for (const rule of CHANNEL_RULES) out.push(rule(input));
  for (const rule of PRODUCT_RULES) out.push(rule(input));
  return out;
}

/** True when every check passed. */
export function allPassed(checks: readonly RuleCheck[]): boolean {
  for (const c of checks) if (!c.passed) return false;
  return true;
}

/**
 * The checks of one client against every channel and every product, computed once each
 * (channels × 2 + products × 5 rule calls instead of channels × products × 7). The checks of
 * action (p, c) are `channel[c]` followed by `product[p]`, the same list `checkAll` returns.
 */
export interface ClientChecks {
  readonly channel: readonly (readonly RuleCheck[])[];
  readonly product: readonly (readonly RuleCheck[])[];
  readonly channelOk: Uint8Array;
  readonly productOk: Uint8Array;
}

export function checkClient(
  client: ClientState,
  products: readonly ProductInfo[],
  channels: readonly ChannelInfo[],
  policy: Policy,
  now: number,
  planned?: PlannedContacts,
): ClientChecks {
  const channelOk = new Uint8Array(channels.length);
  const productOk = new Uint8Array(products.length);
  const channel = channels.map((ch, c) => {
    const input: ChannelRuleInput =
      planned === undefined
        ? { client, channel: ch, policy, now }
        : { client, channel: ch, policy, now, planned };
    const checks = CHANNEL_RULES.map((rule) => rule(input));
    channelOk[c] = allPassed(checks) ? 1 : 0;
    return checks;
  });
  const product = products.map((pr, p) => {
    const input: ProductRuleInput = { client, product: pr, policy, now };
    const checks = PRODUCT_RULES.map((rule) => rule(input));
    productOk[p] = allPassed(checks) ? 1 : 0;
    return checks;
  });
  return { channel, product, channelOk, productOk };
}
