import { describe, expect, it } from 'vitest';
import {
  CONSENT_GRANTED,
  CONSENT_NONE,
  CONSENT_REFUSED,
  consentAllows,
  productAllowed,
} from '../../src/features/contactable.js';

describe('consentAllows', () => {
  const cases: [number, string, boolean][] = [
    [CONSENT_GRANTED, 'phone', true],
    [CONSENT_GRANTED, 'email', true],
    [CONSENT_REFUSED, 'email', false],
    [CONSENT_REFUSED, 'branch', false],
    [CONSENT_NONE, 'email', true],
    [CONSENT_NONE, 'branch', true],
    [CONSENT_NONE, 'phone', false], // opt-in
    [CONSENT_NONE, 'sms', false], // opt-in
  ];
  it.each(cases)('state %i on %s → %s', (state, channel, allowed) => {
    expect(consentAllows(state, channel)).toBe(allowed);
  });
});

describe('productAllowed', () => {
  const none = { minAge: -1, maxAge: Number.POSITIVE_INFINITY, requiredRisk: -1 };
  const adult = { minAge: 18, maxAge: 70, requiredRisk: -1 };
  const balanced = { minAge: 18, maxAge: Number.POSITIVE_INFINITY, requiredRisk: 2 };
  const cases: [string, number, number, number, typeof none, boolean][] = [
    ['no limits', 2025, 2015, 0, none, true],
    ['18 or 19 in 2025: both ages ≥ 18', 2025, 2006, 1, adult, true],
    ['17 or 18 in 2025: might be 17', 2025, 2007, 1, adult, false],
    ['70 or 71 in 2025: might be 71', 2025, 1954, 1, adult, false],
    ['69 or 70 in 2025', 2025, 1955, 1, adult, true],
    ['balanced profile suits balanced', 2025, 1980, 2, balanced, true],
    ['dynamic suits balanced', 2025, 1980, 3, balanced, true],
    ['prudent does not suit balanced', 2025, 1980, 1, balanced, false],
    ['unknown suits nothing that requires a profile', 2025, 1980, 0, balanced, false],
  ];
  it.each(cases)('%s', (_, year, birth, risk, product, allowed) => {
    expect(productAllowed(year, birth, risk, product)).toBe(allowed);
  });
});
