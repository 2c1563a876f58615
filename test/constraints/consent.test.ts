import { describe, expect, it } from 'vitest';
import { consent } from '../../src/constraints/consent.js';
import type { ConsentStatus } from '../../src/domain/enums.js';
import { ch, channel, client, NOW } from './fixtures.js';

describe('consent', () => {
  const cases: [string, ConsentStatus | undefined, boolean, RegExp][] = [
    ['email', undefined, true, /opt-out channel/],
    ['app_push', undefined, true, /silence means granted/],
    ['phone', undefined, false, /opt-in channel/],
    ['sms', undefined, false, /silence means refused/],
    ['phone', 'granted', true, /granted consent to phone/],
    ['email', 'refused', false, /refused email/],
    ['sms', 'refused', false, /refused sms/],
  ];
  it.each(cases)('%s with consent %s → passed %s', (id, status, passed, reason) => {
    const consents = new Map(status ? [[ch(id), status]] : []);
    const r = consent({ client: client({ consents }), channel: channel(id), policy: {}, now: NOW });
    expect(r.rule).toBe('consent');
    expect(r.passed).toBe(passed);
    expect(r.reason).toMatch(reason);
  });
});
