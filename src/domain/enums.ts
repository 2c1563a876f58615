/** The closed sets of the data contract (docs/data-contract.md). */
export const SEGMENTS = ['mass', 'affluent', 'private', 'professional', 'young'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Ordered from least to most risk accepted; `unknown` is below all (gets no suitable investment). */
export const RISK_PROFILES = ['unknown', 'prudent', 'balanced', 'dynamic'] as const;
export type RiskProfile = (typeof RISK_PROFILES)[number];

export const PRODUCT_FAMILIES = [
  'account',
  'savings',
  'credit',
  'insurance',
  'investment',
  'service',
] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

export const CONSENT_STATUSES = ['granted', 'refused'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const OUTCOMES = ['no_response', 'opened', 'clicked', 'converted', 'refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const EVENT_TYPES = [
  'login',
  'page_view',
  'search',
  'simulation',
  'form_start',
  'form_abandon',
  'form_submit',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ACCOUNT_TYPES = ['current', 'savings', 'credit'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Channels for which the absence of a consent row means "refused" (opt-in channels). */
export const OPT_IN_CHANNELS: ReadonlySet<string> = new Set(['phone', 'sms']);
