import { DEFAULT_HORIZON_DAYS } from '../constraints/rule.js';
import { OUTCOMES } from '../domain/enums.js';
import { ErrorCode, NbgError } from '../errors.js';
import { createRng } from '../rng.js';
import { decisionRhythm } from './decision-rhythm.js';
import type { UpliftExamples } from './examples.js';
import { fillExamples } from './fill-examples.js';
import { f64, i8, i32, u8 } from './growable-column.js';
import { heldAt } from './held-at.js';
import { type FeatureHistory, loadHistory } from './record-store.js';
import { dayOfDate, type FeatureSource } from './records.js';

export interface TrainingExamplesOptions {
  /** The decision date D, `YYYY-MM-DD`: rows are at dates strictly before it. */
  readonly decisionDate: string;
  /** Decision dates are in [D − windowDays, D − horizonDays]. */
  readonly windowDays?: number;
  /**
   * Days between decision dates, a contact sent in [t, t + stepDays) being the row's treatment.
   * Default: the data's own campaign rhythm (decision-rhythm.ts): its waves of contacts, else steps
   * of horizonDays.
   */
  readonly stepDays?: number | undefined;
  /**
   * Conversions in [t, t + horizonDays) are the row's outcome: the contact policy's horizon (the
   * window a plan's value is counted over), so the models predict what a plan is worth.
   */
  readonly horizonDays?: number;
  /** Share of the never-contacted pairs kept (seeded); their weight is 1 / controlRate. */
  readonly controlRate?: number;
  readonly seed?: number;
}

export const TRAINING_DEFAULTS = {
  windowDays: 364,
  horizonDays: DEFAULT_HORIZON_DAYS,
  controlRate: 0.1,
  seed: 42,
} as const;

const CONVERTED = OUTCOMES.indexOf('converted');

function check(name: string, value: number, ok: boolean, limit: string): void {
  if (!ok) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `features/build-training-examples: ${name} must be ${limit}, got ${value}`,
    );
  }
}

/**
 * The training table: one row per (client, product) pair at each decision date t of the window
 * where the client is a client (customer since before t) and does not hold the product.
 * Decision dates t and their treatment windows come from decisionRhythm (the data's campaign waves,
 * or fixed steps), with every outcome window ending by D.
 * - treatment: the channel of the first contact about the product sent in t's treatment window,
 *   −1 for none; loggedPropensity its logging_propensity (NaN when empty or not contacted);
 * - outcome: 1 when a solicitation about the pair sent in t's treatment window converted in
 *   [t, t + horizonDays) (at its outcome_at, else its sending time), or a holding of the product was
 *   opened in that window, except on the day a solicitation sent outside the treatment window (an
 *   earlier wave's, or a later wave's inside the outcome window) converted: that conversion is the
 *   outcome of the other wave's decision. The same window for contacted and other rows, whatever
 *   the data's attribution delay;
 * - contacted rows are all kept (weight 1), the others with probability controlRate, weight
 *   1/controlRate (Horvitz–Thompson: weighted sums over rows estimate sums over all pairs). The
 *   draw of pair (client, t, product) is the (j·P + p)-th uniform of the client's own stream
 *   (`createRng(seed).fork(clientId)`), so it does not depend on any other record.
 * Features use only records dated before t (FeatureComputer). Rows come by client id, then date,
 * then product.
 */
export async function buildTrainingExamples(
  source: FeatureSource | FeatureHistory,
  options: TrainingExamplesOptions,
): Promise<UpliftExamples> {
  const o = { ...TRAINING_DEFAULTS, ...options };
  check('windowDays', o.windowDays, Number.isInteger(o.windowDays) && o.windowDays >= 1, 'an integer ≥ 1');
  if (o.stepDays !== undefined)
    check('stepDays', o.stepDays, Number.isInteger(o.stepDays) && o.stepDays >= 1, 'an integer ≥ 1');
  check(
    'horizonDays',
    o.horizonDays,
    Number.isInteger(o.horizonDays) && o.horizonDays >= 1,
    'an integer ≥ 1',
  );
  check('controlRate', o.controlRate, o.controlRate > 0 && o.controlRate <= 1, 'in (0, 1]');
  const D = dayOfDate(o.decisionDate);
  if (!Number.isFinite(D)) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `features/build-training-examples: decisionDate must be a date YYYY-MM-DD, got "${o.decisionDate}"`,
    );
  }
  const h = 'read' in source ? await loadHistory(source) : source;
  const rhythm = decisionRhythm(h.solicitations.sent, {
    decisionDay: D,
    windowDays: o.windowDays,
    horizonDays: o.horizonDays,
    stepDays: o.stepDays,
  });
  const days = rhythm.days;
  const P = h.catalog.products.length;
  const nClients = h.clientIds.length;
  const {
    off: sOff,
    product: sProduct,
    channel: sChannel,
    sent,
    propensity,
    outcome: sOutcome,
    outcomeAt,
  } = h.solicitations;
  const { off: hOff, product: hProduct, opened } = h.holdings;

  const client = i32();
  const day = i32();
  const product = i32();
  const treatment = i8();
  const prop = f64();
  const outcome = u8();
  const weight = f64();
  const held = new Uint8Array(P);
  const treat = new Int8Array(P);
  const treatProp = new Float64Array(P);
  const conv = new Uint8Array(P);
  /** Per product, the day of a conversion in the outcome window answering another wave's contact. */
  const elsewhere = new Float64Array(P);
  const u = new Float64Array(days.length * P);
  const root = createRng(o.seed);
  const controlWeight = 1 / o.controlRate;

  for (let i = 0; i < nClients; i++) {
    const rng = root.fork(h.clientIds[i]!);
    for (let k = 0; k < u.length; k++) u[k] = rng.next();
    const since = h.customerSince[i]!;
    for (let j = 0; j < days.length; j++) {
      const t = days[j]!;
      if (!(since < t)) continue;
      heldAt(h, i, t, held);
      treat.fill(-1);
      conv.fill(0);
      elsewhere.fill(-1);
      const endTreat = rhythm.treatEnd[j]!;
      const endOutcome = t + o.horizonDays;
      for (let r = sOff[i]!; r < sOff[i + 1]!; r++) {
        const s = sent[r]!;
        if (s >= endTreat && s >= endOutcome) break;
        const p = sProduct[r]!;
        if (s >= t && s < endTreat && treat[p] === -1) {
          treat[p] = sChannel[r]!;
          treatProp[p] = propensity[r]!;
        }
        if (sOutcome[r] === CONVERTED) {
          const at = Number.isNaN(outcomeAt[r]!) ? s : outcomeAt[r]!;
          if (at >= t && at < endOutcome) {
            // a conversion is the outcome of the decision whose contact it answers: one sent in
            // t's treatment window counts; one answering an earlier or a later wave's contact
            // belongs to that wave, and so does the holding it opened that day
            if (s >= t && s < endTreat) conv[p] = 1;
            else elsewhere[p] = Math.floor(at);
          }
        }
      }
      for (let r = hOff[i]!; r < hOff[i + 1]!; r++) {
        const d = opened[r]!;
        if (d >= endOutcome) break;
        const q = hProduct[r]!;
        if (d >= t && Math.floor(d) !== elsewhere[q]) conv[q] = 1;
      }
      for (let p = 0; p < P; p++) {
        if (held[p]) continue;
        const contacted = treat[p]! >= 0;
        if (!contacted && !(u[j * P + p]! < o.controlRate)) continue;
        client.push(i);
        day.push(t);
        product.push(p);
        treatment.push(treat[p]!);
        prop.push(contacted ? treatProp[p]! : Number.NaN);
        outcome.push(conv[p]!);
        weight.push(contacted ? 1 : controlWeight);
      }
    }
  }

  const n = client.length;
  const historyClient = client.values().slice();
  return fillExamples(h, {
    kind: 'train',
    n,
    historyClient,
    day: day.values().slice(),
    product: product.values().slice(),
    order: Int32Array.from({ length: n }, (_, k) => k),
    clientIds: h.clientIds,
    client: historyClient,
    treatment: treatment.values().slice(),
    outcome: outcome.values().slice(),
    loggedPropensity: Float32Array.from(prop.values()),
    weight: Float32Array.from(weight.values()),
  });
}
