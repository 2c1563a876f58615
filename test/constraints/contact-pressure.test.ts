import { describe, expect, it } from 'vitest';
import { contactPressure } from '../../src/constraints/contact-pressure.js';
import type { PastContact, PlannedContacts } from '../../src/domain/client-state.js';
import type { Policy } from '../../src/domain/policy.js';
import { ch, channel, client, DAY, NOW } from './fixtures.js';

const past = (daysAgo: number, id: string): PastContact => ({ at: NOW - daysAgo * DAY, channel: ch(id) });

describe('contactPressure', () => {
  const cases: {
    name: string;
    policy: Policy;
    contacts: PastContact[];
    planned?: PlannedContacts;
    on: string;
    passed: boolean;
    reason: RegExp;
  }[] = [
    {
      name: 'no limit',
      policy: {},
      contacts: [past(1, 'email')],
      on: 'email',
      passed: true,
      reason: /no limit per client/,
    },
    {
      name: 'at the limit',
      policy: { maxContactsPerClient: 2 },
      contacts: [past(1, 'email'), past(10, 'phone')],
      on: 'email',
      passed: false,
      reason: /^2 contact\(s\) in the last 30 days, the limit is 2 per client$/,
    },
    {
      name: 'old contacts fall out of the window',
      policy: { maxContactsPerClient: 2, horizonDays: 30 },
      contacts: [past(1, 'email'), past(31, 'phone')],
      on: 'email',
      passed: true,
      reason: /1 contact\(s\) in the last 30 days or planned/,
    },
    {
      name: 'planned contacts count',
      policy: { maxContactsPerClient: 2 },
      contacts: [past(1, 'email')],
      planned: { total: 1, perChannel: new Map([[ch('sms'), 1]]) },
      on: 'email',
      passed: false,
      reason: /1 contact\(s\) in the last 30 days and 1 planned, the limit is 2/,
    },
    {
      name: 'per channel limit',
      policy: { maxContactsPerClient: 5, maxContactsPerClientPerChannel: { phone: 1 } },
      contacts: [past(3, 'phone')],
      on: 'phone',
      passed: false,
      reason: /1 phone contact\(s\) in the last 30 days, the limit is 1 per client on phone/,
    },
    {
      name: 'per channel limit of another channel',
      policy: { maxContactsPerClient: 5, maxContactsPerClientPerChannel: { phone: 1 } },
      contacts: [past(3, 'phone')],
      on: 'email',
      passed: true,
      reason: /limit 5 per client, no limit on email/,
    },
    {
      name: 'zero limit',
      policy: { maxContactsPerClient: 0 },
      contacts: [],
      on: 'email',
      passed: false,
      reason: /the limit is 0 per client/,
    },
    {
      name: 'future-dated contacts are ignored',
      policy: { maxContactsPerClient: 1 },
      contacts: [past(-2, 'email')],
      on: 'email',
      passed: true,
      reason: /^0 contact/,
    },
  ];
  it.each(cases)('$name', ({ policy, contacts, planned, on, passed, reason }) => {
    const r = contactPressure({
      client: client({ pastContacts: contacts }),
      channel: channel(on),
      policy,
      now: NOW,
      ...(planned ? { planned } : {}),
    });
    expect(r.rule).toBe('contact-pressure');
    expect(r.passed).toBe(passed);
    expect(r.reason).toMatch(reason);
  });
});
