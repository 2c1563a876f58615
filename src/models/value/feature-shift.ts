/**
 * What-if copies of a decision table, by feature NAME (features absent from the schema are left
 * alone, so any schema works): the features as they would be just after one more contact, or d
 * days later. The action value uses them to price fatigue (the model's own view of how recent
 * contacts shrink uplift) and to pick the moment.
 *
 * After a contact through channel c (the client-level solicitation history of src/features):
 *   contacts_30d, contacts_90d, contacts_365d, recent_contacts += 1;  fatigue_45d += 1;
 *   days_since_contact = 0;  channel c's contacts_90d += 1.
 * After d days with nothing new but the journey's recent pace (names of src/features):
 *   S_τ(t + d) = S_τ(t) e^{−d/τ} + r · s̄ · τ (1 − e^{−d/τ})   for product_signal_3d/7d/30d (τ = 3, 7,
 *   30) and signal_7d, with r the product's sessions a day over the last 7 days (from
 *   product_sessions_7d = ln(1 + count)) and s̄ = 0.6 the mean strength of a session's events;
 *   fatigue_45d × e^{−d/45}; days_since_* + d (capped at 365). Counts over fixed windows are kept.
 */
import { selectExamples, type UpliftExamples } from '../../features/examples.js';

const CONTACT_COUNTERS = ['contacts_30d', 'contacts_90d', 'contacts_365d', 'recent_contacts'];
const FATIGUE = 'fatigue_45d';
const DAYS_CAP = 365;
/** Mean strength of a session's events in the decayed signals (page views 0.3 … abandons 1). */
const SESSION_STRENGTH = 0.6;
const SIGNALS: readonly (readonly [string, number])[] = [
  ['product_signal_3d', 3],
  ['product_signal_7d', 7],
  ['product_signal_30d', 30],
  ['signal_7d', 7],
];

function withFeatures(rows: UpliftExamples, x: Float32Array, xc: Float32Array): UpliftExamples {
  return { ...rows, x, xc };
}

/**
 * The table as it would be right after one contact of each row's client through channel c; only
 * the rows `only` (in that order) when given, so a caller re-scores just the rows that can matter.
 */
export function afterContact(rows: UpliftExamples, c: number, only?: Int32Array): UpliftExamples {
  return shiftedByContact(rows, (k) => k === c, only);
}

/**
 * The table after one contact of each row's client, with channel k's features as if that contact
 * went through k, for every k at once: a model whose channel-k output reads the pair features and
 * channel k's own features gives, for channel k, what it gives on afterContact(rows, k), and for
 * the other channels what it gives on `afterContactPairOnly`.
 */
export function afterContactThroughEach(rows: UpliftExamples, only?: Int32Array): UpliftExamples {
  return shiftedByContact(rows, () => true, only);
}

/** The pair features after one contact, every channel's own features left as they are. */
export function afterContactPairOnly(rows: UpliftExamples, only?: Int32Array): UpliftExamples {
  return shiftedByContact(rows, () => false, only);
}

function shiftedByContact(
  rows: UpliftExamples,
  shiftChannel: (c: number) => boolean,
  only: Int32Array | undefined,
): UpliftExamples {
  const F = rows.schema.pair.length;
  const K = rows.schema.channel.length;
  const C = rows.channelIds.length;
  const base = only ? selectExamples(rows, only) : rows;
  const x = only ? base.x : rows.x.slice();
  const xc = only ? base.xc : rows.xc.slice();
  const plus = CONTACT_COUNTERS.map((name) => rows.schema.pair.indexOf(name)).filter((j) => j >= 0);
  const fatigue = rows.schema.pair.indexOf(FATIGUE);
  const since = rows.schema.pair.indexOf('days_since_contact');
  const channelCount = rows.schema.channel.indexOf('contacts_90d');
  const shifted: number[] = [];
  for (let c = 0; c < C; c++) if (shiftChannel(c)) shifted.push(c);
  for (let i = 0; i < base.n; i++) {
    for (const j of plus) x[i * F + j]! += 1;
    if (fatigue >= 0) x[i * F + fatigue]! += 1;
    if (since >= 0) x[i * F + since] = 0;
    if (channelCount >= 0) for (const c of shifted) xc[(i * C + c) * K + channelCount]! += 1;
  }
  return withFeatures(base, x, xc);
}

/** The table d days later if nothing but the journey's recent pace goes on (module comment). */
export function afterDays(rows: UpliftExamples, d: number): UpliftExamples {
  const F = rows.schema.pair.length;
  const K = rows.schema.channel.length;
  const x = rows.x.slice();
  const xc = rows.xc.slice();
  const name = (j: number) => rows.schema.pair[j]!;
  const pace = rows.schema.pair.indexOf('product_sessions_7d');
  const fatigue = rows.schema.pair.indexOf(FATIGUE);
  const signals = SIGNALS.map(([s, tau]) => [rows.schema.pair.indexOf(s), tau] as const).filter(
    ([j]) => j >= 0,
  );
  const days: number[] = [];
  for (let j = 0; j < F; j++) if (name(j).includes('days_since')) days.push(j);
  const channelDays: number[] = [];
  for (let j = 0; j < K; j++) if (rows.schema.channel[j]!.includes('days_since')) channelDays.push(j);
  for (let i = 0; i < rows.n; i++) {
    const o = i * F;
    const rate = pace >= 0 ? Math.expm1(Math.max(0, x[o + pace]!)) / 7 : 0;
    for (const [j, tau] of signals) {
      const decay = Math.exp(-d / tau);
      x[o + j] = x[o + j]! * decay + rate * SESSION_STRENGTH * tau * (1 - decay);
    }
    if (fatigue >= 0) x[o + fatigue]! *= Math.exp(-d / 45);
    for (const j of days) x[o + j] = Math.min(DAYS_CAP, x[o + j]! + d);
  }
  if (channelDays.length > 0)
    for (let k = 0; k < xc.length / K; k++)
      for (const j of channelDays) xc[k * K + j] = Math.min(DAYS_CAP, xc[k * K + j]! + d);
  return withFeatures(rows, x, xc);
}
