import { OPT_IN_CHANNELS } from '../domain/enums.js';

/** The consent in force for a (client, channel): the latest decision's, or none. */
export const CONSENT_NONE = -1;
export const CONSENT_REFUSED = 0;
export const CONSENT_GRANTED = 1;

/**
 * Whether a channel may be used under the consent in force: granted, or no decision at all on a
 * channel that is not opt-in (the data contract's default; phone and SMS need an explicit grant).
 */
export function consentAllows(state: number, channelId: string): boolean {
  return state === CONSENT_GRANTED || (state === CONSENT_NONE && !OPT_IN_CHANNELS.has(channelId));
}

/**
 * Whether a product may be offered to a client in `year`, before consent: its age limits read
 * conservatively from the birth year (both possible ages, year − birthYear − 1 and year − birthYear,
 * must be inside [minAge, maxAge], as the age-limits rule of src/constraints) and its required risk
 * profile (ranks of RISK_PROFILES; `unknown`, rank 0, suits no product that requires one).
 * `minAge` -1 and `maxAge` Infinity when the product has none, `requiredRisk` -1 when none.
 */
export function productAllowed(
  year: number,
  birthYear: number,
  riskRank: number,
  product: { readonly minAge: number; readonly maxAge: number; readonly requiredRisk: number },
): boolean {
  const oldest = year - birthYear;
  return (
    oldest - 1 >= product.minAge &&
    oldest <= product.maxAge &&
    (product.requiredRisk < 0 || riskRank >= product.requiredRisk)
  );
}
