import { describe, expect, it } from 'vitest';
import { rankActions } from '../../../src/allocate/real-time/rank-actions.js';
import { ch, channel, client, NOW, pr, product } from '../../constraints/fixtures.js';

const products = [
  product({ id: pr('P_A') }),
  product({ id: pr('P_LOAN'), isCredit: true, family: 'credit' }),
];
const channels = [channel('email'), channel('sms')];

describe('rankActions', () => {
  it('ranks allowed actions by value and explains every exclusion', () => {
    // values index p·C + c: P_A/email 5, P_A/sms 9, P_LOAN/email 12, P_LOAN/sms 1
    const r = rankActions({
      client: client({ financiallyFragile: true }),
      products,
      channels,
      policy: { noCreditOffersToFragileClients: true },
      now: NOW,
      values: [5, 9, 12, 1],
    });
    expect(r.decision).toBe('contact');
    expect(r.actions.map((a) => [a.product, a.channel, a.value])).toEqual([['P_A', 'email', 5]]);
    expect(r.excluded.map((e) => [e.product, e.channel, e.excludedBy])).toEqual([
      ['P_A', 'sms', ['consent']],
      ['P_LOAN', 'email', ['fragile-client-credit']],
      ['P_LOAN', 'sms', ['consent', 'fragile-client-credit']],
    ]);
    expect(r.reason).toMatch(/P_A via email: expected incremental value 5.00 EUR, all 7 rules passed/);
  });

  it("says 'no contact' when nothing allowed is worth it", () => {
    const r = rankActions({
      client: client({ consents: new Map([[ch('sms'), 'granted']]) }),
      products,
      channels,
      policy: {},
      now: NOW,
      values: [-1, 0, -3, -0.5],
    });
    expect(r.decision).toBe('no-contact');
    expect(r.actions).toEqual([]);
    expect(r.excluded.every((e) => e.excludedBy.join() === 'no-positive-value')).toBe(true);
  });

  it('counts live planned contacts against the pressure limit', () => {
    const r = rankActions({
      client: client(),
      products,
      channels,
      policy: { maxContactsPerClient: 1 },
      now: NOW,
      values: [5, 9, 12, 1],
      planned: { total: 1, perChannel: new Map() },
    });
    expect(r.decision).toBe('no-contact');
    expect(r.excluded.filter((e) => e.excludedBy.includes('contact-pressure'))).toHaveLength(4);
  });

  it('refuses a values array of the wrong size', () => {
    expect(() =>
      rankActions({ client: client(), products, channels, policy: {}, now: NOW, values: [1, 2, 3] }),
    ).toThrow(/values must have products × channels = 4 entries, got 3/);
  });
});
