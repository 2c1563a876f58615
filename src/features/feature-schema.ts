import { SEGMENTS } from '../domain/enums.js';
import type { FeatureSchema } from './examples.js';

/**
 * Version of the feature definitions (docs/features.md). Bump it whenever a feature's meaning,
 * transform or fill value changes: models saved with another version must not score these rows.
 */
export const FEATURE_SCHEMA_VERSION = 'features-1';

export const CLIENT_FEATURES = [
  'age',
  ...SEGMENTS.map((s) => `segment_${s}`),
  'income_band',
  'risk_profile',
  'fragile',
  'tenure_years',
] as const;

/** Holdings: the count, one flag per product of the catalog (inserted after `held_count`), then these. */
export const HOLDING_TAIL_FEATURES = ['months_since_last_opening', 'product_held_before'] as const;

export const BALANCE_FEATURES = [
  'current_log',
  'savings_log',
  'credit_log',
  'current_trend_log',
  'savings_trend_log',
  'current_volatility_log',
  'current_change_log',
  'savings_change_log',
  'overdraft_months_12',
  'balance_months',
] as const;

export const JOURNEY_FEATURES = [
  'product_sessions_7d',
  'product_sessions_30d',
  'product_sessions_90d',
  'product_days_since_simulation',
  'product_days_since_abandon',
  'product_signal_3d',
  'product_signal_7d',
  'product_signal_30d',
  'sessions_7d',
  'sessions_30d',
  'sessions_90d',
  'signal_7d',
  'days_since_session',
] as const;

export const VERBATIM_FEATURES = [
  'verbatims',
  'verbatim_score',
  'product_verbatims',
  'product_verbatim_score',
  'days_since_verbatim',
] as const;

export const SOLICITATION_FEATURES = [
  'contacts_30d',
  'contacts_90d',
  'contacts_365d',
  'fatigue_45d',
  'product_contacts_90d',
  'product_contacts_365d',
  'days_since_contact',
  'days_since_refusal',
  'product_days_since_refusal',
  'conversions_after_contact',
] as const;

/** Per channel c, in `xc`. */
export const CHANNEL_FEATURES = [
  'consent',
  'contacts_90d',
  'days_since_refusal',
  'opted_out',
  'conversions_after_contact',
  'product_contacts_365d',
  'verbatim_score',
] as const;

/** The pair feature names for a catalog (one `holds_<product id>` per product, in catalog order). */
export function featureSchema(productIds: readonly string[]): FeatureSchema {
  return {
    version: FEATURE_SCHEMA_VERSION,
    pair: [
      ...CLIENT_FEATURES,
      'held_count',
      ...productIds.map((p) => `holds_${p}`),
      ...HOLDING_TAIL_FEATURES,
      ...BALANCE_FEATURES,
      ...JOURNEY_FEATURES,
      ...VERBATIM_FEATURES,
      ...SOLICITATION_FEATURES,
    ],
    channel: [...CHANNEL_FEATURES],
  };
}
