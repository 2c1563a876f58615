import { describe, expect, it } from 'vitest';
import { ageLimits } from '../../src/constraints/age-limits.js';
import { cooldownAfterRefusal } from '../../src/constraints/cooldown-after-refusal.js';
import { fragileClientCredit } from '../../src/constraints/fragile-client-credit.js';
import { productAlreadyHeld } from '../../src/constraints/product-already-held.js';
import type { ProductRuleInput, RuleCheck } from '../../src/constraints/rule.js';
import { suitability } from '../../src/constraints/suitability.js';
import type { ProductInfo } from '../../src/domain/catalog.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { Policy } from '../../src/domain/policy.js';
import { client, DAY, NOW, pr, product } from './fixtures.js';

interface Case {
  name: string;
  rule: (i: ProductRuleInput) => RuleCheck;
  client?: Partial<ClientState>;
  product?: Partial<ProductInfo>;
  policy?: Policy;
  passed: boolean;
  reason: RegExp;
}

const cases: Case[] = [
  {
    name: 'cooldown: refused 10 days ago, cooldown 90',
    rule: cooldownAfterRefusal,
    client: { lastRefusalAt: new Map([[pr('P_SAVINGS'), NOW - 10 * DAY]]) },
    policy: { cooldownDaysAfterRefusal: 90 },
    passed: false,
    reason: /refused P_SAVINGS 10 days ago, the cooldown is 90 days/,
  },
  {
    name: 'cooldown: refused exactly 90 days ago',
    rule: cooldownAfterRefusal,
    client: { lastRefusalAt: new Map([[pr('P_SAVINGS'), NOW - 90 * DAY]]) },
    policy: { cooldownDaysAfterRefusal: 90 },
    passed: true,
    reason: /90 days ago/,
  },
  {
    name: 'cooldown: another product refused',
    rule: cooldownAfterRefusal,
    client: { lastRefusalAt: new Map([[pr('P_OTHER'), NOW - DAY]]) },
    policy: { cooldownDaysAfterRefusal: 90 },
    passed: true,
    reason: /never refused P_SAVINGS/,
  },
  {
    name: 'cooldown: no cooldown in the policy',
    rule: cooldownAfterRefusal,
    client: { lastRefusalAt: new Map([[pr('P_SAVINGS'), NOW - DAY]]) },
    passed: true,
    reason: /sets no cooldown/,
  },
  {
    name: 'fragile: credit to fragile client',
    rule: fragileClientCredit,
    client: { financiallyFragile: true },
    product: { id: pr('P_LOAN'), isCredit: true, family: 'credit' },
    policy: { noCreditOffersToFragileClients: true },
    passed: false,
    reason: /financially fragile and P_LOAN is a credit product/,
  },
  {
    name: 'fragile: rule off',
    rule: fragileClientCredit,
    client: { financiallyFragile: true },
    product: { isCredit: true },
    policy: { noCreditOffersToFragileClients: false },
    passed: true,
    reason: /policy allows credit/,
  },
  {
    name: 'fragile: non-credit product',
    rule: fragileClientCredit,
    client: { financiallyFragile: true },
    policy: { noCreditOffersToFragileClients: true },
    passed: true,
    reason: /not a credit product/,
  },
  {
    name: 'suitability: prudent client, dynamic product',
    rule: suitability,
    client: { riskProfile: 'prudent' },
    product: { requiredRiskProfile: 'dynamic', family: 'investment' },
    policy: { suitability: true },
    passed: false,
    reason: /requires a dynamic profile or higher, the client's profile is prudent/,
  },
  {
    name: 'suitability: dynamic client, balanced product',
    rule: suitability,
    client: { riskProfile: 'dynamic' },
    product: { requiredRiskProfile: 'balanced' },
    policy: { suitability: true },
    passed: true,
    reason: /client's profile is dynamic/,
  },
  {
    name: 'suitability: unknown profile gets none',
    rule: suitability,
    client: { riskProfile: 'unknown' },
    product: { requiredRiskProfile: 'unknown' },
    policy: { suitability: true },
    passed: false,
    reason: /profile is unknown/,
  },
  {
    name: 'suitability: off',
    rule: suitability,
    client: { riskProfile: 'prudent' },
    product: { requiredRiskProfile: 'dynamic' },
    passed: true,
    reason: /does not check suitability/,
  },
  {
    name: 'age: too young (born 2007, min 18 in 2025)',
    rule: ageLimits,
    client: { birthYear: 2007 },
    product: { minAge: 18 },
    passed: false,
    reason: /born in 2007, is 17 or 18 years old, P_SAVINGS needs at least 18/,
  },
  {
    name: 'age: old enough (born 2006)',
    rule: ageLimits,
    client: { birthYear: 2006 },
    product: { minAge: 18 },
    passed: true,
    reason: /18 or 19 years old, P_SAVINGS allows 18 to any age/,
  },
  {
    name: 'age: too old (born 1949, max 75)',
    rule: ageLimits,
    client: { birthYear: 1949 },
    product: { maxAge: 75 },
    passed: false,
    reason: /75 or 76 years old, P_SAVINGS allows at most 75/,
  },
  { name: 'age: no limits', rule: ageLimits, passed: true, reason: /has no age limit/ },
  {
    name: 'held: already held',
    rule: productAlreadyHeld,
    client: { heldProducts: new Set([pr('P_SAVINGS')]) },
    passed: false,
    reason: /already holds P_SAVINGS/,
  },
  { name: 'held: not held', rule: productAlreadyHeld, passed: true, reason: /does not hold P_SAVINGS/ },
];

describe('product rules', () => {
  it.each(cases)('$name', (c) => {
    const r = c.rule({
      client: client(c.client),
      product: product(c.product),
      policy: c.policy ?? {},
      now: NOW,
    });
    expect(r.passed).toBe(c.passed);
    expect(r.reason).toMatch(c.reason);
  });
});
