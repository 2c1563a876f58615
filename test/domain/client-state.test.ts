import { describe, expect, it } from 'vitest';
import { cooldownAfterRefusal } from '../../src/constraints/cooldown-after-refusal.js';
import type { ProductInfo } from '../../src/domain/catalog.js';
import {
  type ClientProfile,
  type ClientRecords,
  type ClientStateOptions,
  type ConsentRecord,
  clientStateAt,
  type HoldingRecord,
  type SolicitationRecord,
} from '../../src/domain/client-state.js';
import type { ChannelId, ClientId, ProductId } from '../../src/domain/ids.js';
import { DAY_MS } from '../../src/domain/time.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const day = (n: number): number => NOW + n * DAY_MS;
const P = (id: string) => id as ProductId;
const CH = (id: string) => id as ChannelId;
const PROFILE: ClientProfile = {
  id: 'C1' as ClientId,
  birthYear: 1980,
  segment: 'mass',
  riskProfile: 'balanced',
  financiallyFragile: false,
};

const holding = (product: string, openedAt: number, closedAt?: number): HoldingRecord => ({
  productId: P(product),
  openedAt,
  closedAt,
});
const consent = (channel: string, status: 'granted' | 'refused', at?: number): ConsentRecord => ({
  channel: CH(channel),
  status,
  at,
});
const sent = (
  channel: string,
  sentAt: number,
  more: Partial<Omit<SolicitationRecord, 'channel' | 'sentAt'>> = {},
): SolicitationRecord => ({ channel: CH(channel), sentAt, ...more });

interface Case {
  readonly name: string;
  readonly records: Partial<ClientRecords>;
  readonly options?: ClientStateOptions;
  readonly held?: string[];
  readonly consents?: [string, string][];
  readonly contacts?: number[];
  readonly refusals?: [string, number][];
}

const CASES: readonly Case[] = [
  {
    name: 'no record: nothing held, no consent, no contact',
    records: {},
    held: [],
    consents: [],
    contacts: [],
  },
  {
    name: 'holdings: open at now, opened on now; not closed before, on now, or opened after',
    records: {
      holdings: [
        holding('P_OPEN', day(-400)),
        holding('P_OPENED_TODAY', NOW),
        holding('P_CLOSED_BEFORE', day(-400), day(-1)),
        holding('P_CLOSES_TODAY', day(-400), NOW),
        holding('P_CLOSES_TOMORROW', day(-400), day(1)),
        holding('P_LATER', day(1)),
      ],
    },
    held: ['P_CLOSES_TOMORROW', 'P_OPEN', 'P_OPENED_TODAY'],
  },
  {
    name: 'a holding closed and reopened before now is held',
    records: { holdings: [holding('P_A', day(-400), day(-200)), holding('P_A', day(-100))] },
    held: ['P_A'],
  },
  {
    name: 'consent given then withdrawn: refused; withdrawn then given: granted',
    records: {
      consents: [
        consent('email', 'granted', day(-30)),
        consent('email', 'refused', day(-10)),
        consent('sms', 'refused', day(-30)),
        consent('sms', 'granted', day(-10)),
      ],
    },
    consents: [
      ['email', 'refused'],
      ['sms', 'granted'],
    ],
  },
  {
    name: 'a decision after now is not in force yet; one on now is',
    records: {
      consents: [
        consent('email', 'granted', day(-30)),
        consent('email', 'refused', day(1)),
        consent('sms', 'refused', day(-30)),
        consent('sms', 'granted', NOW),
        consent('phone', 'granted', day(2)),
      ],
    },
    consents: [
      ['email', 'granted'],
      ['sms', 'granted'],
    ],
  },
  {
    name: 'records out of date order: the latest date wins; on equal dates the later record',
    records: {
      consents: [
        consent('email', 'refused', day(-5)),
        consent('email', 'granted', day(-50)),
        consent('sms', 'granted', day(-5)),
        consent('sms', 'refused', day(-5)),
      ],
    },
    consents: [
      ['email', 'refused'],
      ['sms', 'refused'],
    ],
  },
  {
    name: 'an undated decision is the oldest: a dated one overrides it, in either order',
    records: {
      consents: [
        consent('email', 'granted'),
        consent('email', 'refused', day(-5)),
        consent('sms', 'refused', day(-5)),
        consent('sms', 'granted'),
        consent('phone', 'granted'),
      ],
    },
    consents: [
      ['email', 'refused'],
      ['phone', 'granted'],
      ['sms', 'refused'],
    ],
  },
  {
    name: 'contacts: sent up to now, in record order; none after now',
    records: { solicitations: [sent('email', day(-100)), sent('sms', NOW), sent('email', day(1))] },
    contacts: [day(-100), NOW],
  },
  {
    name: 'contacts in the window (now − 30 days, now]: the bound itself is out',
    records: {
      solicitations: [sent('email', day(-30)), sent('email', day(-30) + 1), sent('sms', day(-1))],
    },
    options: { windowDays: 30 },
    contacts: [day(-30) + 1, day(-1)],
  },
  {
    name: 'refusals: the latest per product, dated by the outcome, never after now',
    records: {
      solicitations: [
        sent('email', day(-200), { productId: P('P_A'), outcome: 'refused', outcomeAt: day(-199) }),
        sent('email', day(-100), { productId: P('P_A'), outcome: 'refused', outcomeAt: day(-98) }),
        sent('sms', day(-150), { productId: P('P_A'), outcome: 'refused' }),
        sent('sms', day(-3), { productId: P('P_B'), outcome: 'refused', outcomeAt: day(4) }),
        sent('email', day(-20), { productId: P('P_C'), outcome: 'converted', outcomeAt: day(-19) }),
        sent('email', day(-20), { outcome: 'refused', outcomeAt: day(-19) }),
        sent('email', day(2), { productId: P('P_D'), outcome: 'refused', outcomeAt: day(3) }),
      ],
    },
    refusals: [
      ['P_A', day(-98)],
      ['P_B', NOW],
    ],
  },
  {
    name: 'a refusal without an outcome date is dated by its sending; outside the window it still counts',
    records: { solicitations: [sent('email', day(-60), { productId: P('P_A'), outcome: 'refused' })] },
    options: { windowDays: 30 },
    contacts: [],
    refusals: [['P_A', day(-60)]],
  },
];

describe('clientStateAt: one derivation of the state at a date', () => {
  it.each(CASES)('$name', (c) => {
    const records: ClientRecords = { holdings: [], consents: [], solicitations: [], ...c.records };
    const s = clientStateAt(PROFILE, records, NOW, c.options);
    expect(s).toMatchObject(PROFILE);
    if (c.held) expect([...s.heldProducts].sort()).toEqual(c.held);
    if (c.consents) expect([...s.consents].sort()).toEqual(c.consents);
    if (c.contacts) expect(s.pastContacts.map((x) => x.at)).toEqual(c.contacts);
    if (c.refusals) expect([...s.lastRefusalAt].sort()).toEqual(c.refusals);
  });

  it('feeds the cooldown rule: a refusal inside the cooldown excludes, one outside it does not', () => {
    const product: ProductInfo = { id: P('P_A'), family: 'savings', isCredit: false, unitValue: 100 };
    const at = (refusedDaysAgo: number) =>
      clientStateAt(
        PROFILE,
        {
          holdings: [],
          consents: [],
          solicitations: [
            sent('email', day(-refusedDaysAgo - 1), {
              productId: P('P_A'),
              outcome: 'refused',
              outcomeAt: day(-refusedDaysAgo),
            }),
          ],
        },
        NOW,
      );
    const policy = { cooldownDaysAfterRefusal: 90 };
    expect(cooldownAfterRefusal({ client: at(89), product, policy, now: NOW }).passed).toBe(false);
    expect(cooldownAfterRefusal({ client: at(90), product, policy, now: NOW }).passed).toBe(true);
    expect(cooldownAfterRefusal({ client: at(120), product, policy, now: NOW }).passed).toBe(true);
  });

  it('reads nothing but its arguments: the same records give the same state', () => {
    const records: ClientRecords = {
      holdings: [holding('P_A', day(-10))],
      consents: [consent('email', 'granted', day(-10))],
      solicitations: [sent('email', day(-5), { productId: P('P_A'), outcome: 'refused' })],
    };
    expect(clientStateAt(PROFILE, records, NOW)).toEqual(clientStateAt(PROFILE, records, NOW));
  });
});
