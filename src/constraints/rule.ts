import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import type { ClientState, PlannedContacts } from '../domain/client-state.js';
import type { Policy } from '../domain/policy.js';

/** The names of the per-client rules, as they appear in reasons, CSV files and audits. */
export const RULE_NAMES = [
  'consent',
  'contact-pressure',
  'cooldown-after-refusal',
  'fragile-client-credit',
  'suitability',
  'age-limits',
  'product-already-held',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** The outcome of one rule for one action: a sentence a compliance officer can read, with figures. */
export interface RuleCheck {
  readonly rule: RuleName;
  readonly passed: boolean;
  readonly reason: string;
}

/** Inputs of a rule that depends on the channel only (consent, contact pressure). */
export interface ChannelRuleInput {
  readonly client: ClientState;
  readonly channel: ChannelInfo;
  readonly policy: Policy;
  /** Decision time, epoch ms (UTC). */
  readonly now: number;
  readonly planned?: PlannedContacts;
}

/** Inputs of a rule that depends on the product only (cooldown, fragility, suitability, age, holding). */
export interface ProductRuleInput {
  readonly client: ClientState;
  readonly product: ProductInfo;
  readonly policy: Policy;
  readonly now: number;
}

/** Everything a rule may read about one (client, product, channel) action. */
export interface RuleInput extends ChannelRuleInput, ProductRuleInput {}

/** The pressure window and the default horizon when the policy sets none, in days. */
export const DEFAULT_HORIZON_DAYS = 30;
