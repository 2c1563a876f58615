import { describe, expect, it } from 'vitest';
import { allPassed, checkAll, checkClient } from '../../src/constraints/check-all.js';
import { RULE_NAMES } from '../../src/constraints/rule.js';
import { ch, channel, client, NOW, pr, product } from './fixtures.js';

describe('checkAll', () => {
  it('returns every rule, in order, without stopping at the first failure', () => {
    const checks = checkAll({
      client: client({ heldProducts: new Set([pr('P_LOAN')]), financiallyFragile: true }),
      product: product({ id: pr('P_LOAN'), isCredit: true, family: 'credit' }),
      channel: channel('sms'),
      policy: { noCreditOffersToFragileClients: true },
      now: NOW,
    });
    expect(checks.map((c) => c.rule)).toEqual([...RULE_NAMES]);
    expect(checks.filter((c) => !c.passed).map((c) => c.rule)).toEqual([
      'consent',
      'fragile-client-credit',
      'product-already-held',
    ]);
    expect(allPassed(checks)).toBe(false);
  });

  it('checkClient gives the same checks as checkAll for every action', () => {
    const products = [
      product(),
      product({ id: pr('P_LOAN'), isCredit: true }),
      product({ id: pr('P_X'), minAge: 60 }),
    ];
    const channels = [channel('email'), channel('phone'), channel('sms')];
    const c = client({ financiallyFragile: true, consents: new Map([[ch('phone'), 'granted']]) });
    const policy = { noCreditOffersToFragileClients: true, maxContactsPerClient: 3 };
    const cc = checkClient(c, products, channels, policy, NOW);
    for (let p = 0; p < products.length; p++) {
      for (let k = 0; k < channels.length; k++) {
        const direct = checkAll({
          client: c,
          product: products[p]!,
          channel: channels[k]!,
          policy,
          now: NOW,
        });
        expect([...cc.channel[k]!, ...cc.product[p]!]).toEqual(direct);
        expect(cc.channelOk[k]! & cc.productOk[p]!).toBe(allPassed(direct) ? 1 : 0);
      }
    }
    expect([...cc.channelOk]).toEqual([1, 1, 0]);
    expect([...cc.productOk]).toEqual([1, 0, 0]);
  });
});
