/**
 * The action value of the debiased policy, per decision row i (a client-product pair) and channel c:
 *
 *   value_ic = uplift_ic × margin_p − cost_c − fatigue_ic,     'no contact' is worth 0,
 *   best_i   = argmax over the contactable channels and 'no contact' (−1 when nothing beats 0).
 *
 * uplift = pContact − pNoContact from any OutcomeModel (the uplift learners).
 *
 * Fatigue is LEARNED, from what the model learnt of the solicitation history: the uplift networks
 * see the recent-contact features (contacts in 30/90/365 days, the decayed fatigue Σ e^{−Δ/45}, per
 * channel contacts), so the model itself says how much one more contact shrinks what later contacts
 * can earn. With B_i(x) = max(0, max_c (uplift_ic(x) m_p − cost_c)) the best value of row i:
 *
 *   fatigue_ic = futureDecisions × max(0, max_{j ∈ client(i)} B_j(x) − max_{j ∈ client(i)} B_j(x ⊕ c))
 *
 * with x ⊕ c the client's features just after a contact through c (feature-shift.ts): the drop in
 * the value of the client's next best action, in EUR (futureDecisions = 1: one later decision);
 * 0 where c is not contactable for any of the client's rows (no contact, no fatigue).
 *
 * Confidence: an action whose value is positive but whose lower bound (uplift − z upliftSd) × m −
 * cost − fatigue is not is given that lower bound instead (≤ 0): contact only where the model is
 * confident the contact pays (`confidence` = z; upliftSd is the spread of the learner's members).
 *
 * Moment: the value is recomputed on the features d days later for each d of `waitDays`
 * (journey signals decayed, with the recent session pace carried on; fatigue decayed): the row's
 * suggested wait is the d with the highest best value if it beats now by `waitGain` (relative),
 * else 0 (now). A rising journey (many recent sessions, little signal yet) or a fresh contact
 * history suggests waiting; a signal already high and decaying says now.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { ActionScores, OutcomeModel } from '../model.js';
import { afterContact, afterContactPairOnly, afterContactThroughEach, afterDays } from './feature-shift.js';

export interface ActionValueOptions {
  /** Later decisions a contact's fatigue weighs on (1 = the next one). 0 turns fatigue off. */
  readonly futureDecisions: number;
  /** Days ahead at which waiting is considered; empty = always now. */
  readonly waitDays: readonly number[];
  /** Relative gain over now a later moment needs to be suggested. */
  readonly waitGain: number;
  /**
   * z of the lower bound an action must clear: an action is taken only where
   * (uplift − z × upliftSd) × margin − cost − fatigue > 0; elsewhere its value is that lower bound
   * (≤ 0, so no plan takes it). 0 decides on the expected value alone; a model without upliftSd is
   * not affected.
   */
  readonly confidence: number;
}

export const ACTION_VALUE_DEFAULTS: Readonly<ActionValueOptions> = Object.freeze({
  futureDecisions: 0,
  waitDays: [7, 14],
  waitGain: 0.1,
  confidence: 0,
});

export interface ActionValues {
  /** n × C: pContact − pNoContact. */
  readonly uplift: Float32Array;
  /** n × C, when the model has one. */
  readonly upliftSd: Float32Array | undefined;
  /** n × C: EUR fatigue cost of contacting through c. */
  readonly fatigue: Float64Array;
  /** n × C: EUR value; −Infinity where the channel is not contactable. */
  readonly value: Float64Array;
  /** n: best channel, −1 for 'no contact'. */
  readonly best: Int8Array;
  /** n: value of the best action (0 for 'no contact'). */
  readonly bestValue: Float64Array;
  /** n: 0 = now, else the suggested wait in days. */
  readonly waitDays: Int16Array;
  /** n × C and n: the model's probabilities behind the values. */
  readonly scores: ActionScores;
}

const MODULE = 'models/action-value';

/** Per row, max(0, max_c uplift × margin − cost) over contactable channels. */
function bestGross(rows: UpliftExamples, s: ActionScores): Float64Array {
  const C = rows.channelIds.length;
  const out = new Float64Array(rows.n);
  for (let i = 0; i < rows.n; i++) {
    const m = rows.margin[rows.product[i]!]!;
    let b = 0;
    for (let c = 0; c < C; c++) {
      if (!rows.contactable[i * C + c]) continue;
      const v = (s.pContact[i * C + c]! - s.pNoContact[i]!) * m - rows.channelCost[c]!;
      if (v > b) b = v;
    }
    out[i] = b;
  }
  return out;
}

/** Max of a per-row array over each client's rows (n → clients). */
function clientMax(rows: UpliftExamples, v: Float64Array): Float64Array {
  const out = new Float64Array(rows.clientIds.length);
  for (let i = 0; i < rows.n; i++) {
    const k = rows.client[i]!;
    if (v[i]! > out[k]!) out[k] = v[i]!;
  }
  return out;
}

/**
 * Fills `fatigue` (n × C, zeros) with the learnt fatigue of the module comment. Only rows that can
 * carry one are re-scored after a contact: those of clients whose best value now is positive
 * (otherwise max(0, 0 − after) = 0), and through c only for clients with a row contactable through
 * c (no contact through c, no fatigue: the value there is −Infinity whatever the fatigue). A row's
 * scores depend on its own features only, so the values are those of re-scoring the whole table.
 *
 * Two passes serve every channel instead of one pass per channel: the pair features after a
 * contact are the same whatever its channel, and a model's channel-k output reads the pair features
 * and channel k's own features (the learners' networks take [x | xc_k | k]); so after a contact
 * through c, channel c's output is that of the table shifted through each channel at once, and
 * every other channel's that of the table with only the pair features shifted. When the two passes
 * disagree on pNoContact (a model that reads channel features there) the fatigue falls back to one
 * pass per channel.
 */
async function learntFatigue(
  model: OutcomeModel,
  rows: UpliftExamples,
  scores: ActionScores,
  futureDecisions: number,
  fatigue: Float64Array,
): Promise<void> {
  const C = rows.channelIds.length;
  const now = clientMax(rows, bestGross(rows, scores));
  const reachable = new Uint8Array(rows.clientIds.length * C);
  for (let i = 0; i < rows.n; i++)
    for (let c = 0; c < C; c++) if (rows.contactable[i * C + c]) reachable[rows.client[i]! * C + c] = 1;
  const picked: number[] = [];
  for (let i = 0; i < rows.n; i++) if (now[rows.client[i]!]! > 0) picked.push(i);
  if (picked.length === 0) return;
  const only = Int32Array.from(picked);
  const pairOnly = afterContactPairOnly(rows, only);
  const rest = await model.predict(pairOnly);
  const own = await model.predict(afterContactThroughEach(rows, only));
  const afterFor = own.pNoContact.every((p, e) => Object.is(p, rest.pNoContact[e]))
    ? (c: number): ActionScores => {
        const pContact = rest.pContact.slice();
        for (let e = 0; e < only.length; e++) pContact[e * C + c] = own.pContact[e * C + c]!;
        return { pContact, pNoContact: rest.pNoContact };
      }
    : undefined;
  for (let c = 0; c < C; c++) {
    const after = clientMax(
      pairOnly,
      bestGross(pairOnly, afterFor ? afterFor(c) : await model.predict(afterContact(rows, c, only))),
    );
    for (let e = 0; e < only.length; e++) {
      const i = only[e]!;
      const k = rows.client[i]!;
      if (reachable[k * C + c]) fatigue[i * C + c] = futureDecisions * Math.max(0, now[k]! - after[k]!);
    }
  }
}

export async function actionValues(
  model: OutcomeModel,
  rows: UpliftExamples,
  options: Partial<ActionValueOptions> = {},
): Promise<ActionValues> {
  const o = { ...ACTION_VALUE_DEFAULTS, ...options };
  if (!(o.futureDecisions >= 0 && Number.isFinite(o.futureDecisions)))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${MODULE}: futureDecisions must be a finite value ≥ 0, got ${o.futureDecisions}`,
    );
  for (const d of o.waitDays)
    if (!Number.isInteger(d) || d < 1 || d > 365)
      throw new NbgError(ErrorCode.BAD_CONFIG, `${MODULE}: waitDays must be integers in 1..365, got ${d}`);
  if (!(o.waitGain >= 0))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${MODULE}: waitGain must be ≥ 0, got ${o.waitGain}`);
  if (!(o.confidence >= 0 && Number.isFinite(o.confidence)))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${MODULE}: confidence must be a finite z ≥ 0, got ${o.confidence}`,
    );
  const { n } = rows;
  const C = rows.channelIds.length;
  const scores = await model.predict(rows);
  const uplift = new Float32Array(n * C);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) uplift[i * C + c] = scores.pContact[i * C + c]! - scores.pNoContact[i]!;

  const fatigue = new Float64Array(n * C);
  if (o.futureDecisions > 0) await learntFatigue(model, rows, scores, o.futureDecisions, fatigue);

  const value = new Float64Array(n * C);
  const best = new Int8Array(n).fill(-1);
  const bestValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = rows.margin[rows.product[i]!]!;
    for (let c = 0; c < C; c++) {
      const k = i * C + c;
      if (!rows.contactable[k]) {
        value[k] = Number.NEGATIVE_INFINITY;
        continue;
      }
      value[k] = uplift[k]! * m - rows.channelCost[c]! - fatigue[k]!;
      const sd = scores.upliftSd?.[k];
      if (o.confidence > 0 && sd !== undefined && value[k]! > 0) {
        const lower = value[k]! - o.confidence * sd * m;
        if (!(lower > 0)) value[k] = lower;
      }
      if (value[k]! > bestValue[i]!) {
        bestValue[i] = value[k]!;
        best[i] = c;
      }
    }
  }

  const waitDays = new Int16Array(n);
  if (o.waitDays.length > 0) {
    const laterBest = new Float64Array(n);
    for (const d of o.waitDays) {
      const later = bestGross(rows, await model.predict(afterDays(rows, d)));
      for (let i = 0; i < n; i++) {
        // later fatigue is at most today's: keep today's as a conservative charge
        const fat = best[i]! >= 0 ? fatigue[i * C + best[i]!]! : 0;
        const v = later[i]! - fat;
        if (v > laterBest[i]! && v > bestValue[i]! * (1 + o.waitGain) && v > 0) {
          laterBest[i] = v;
          waitDays[i] = d;
        }
      }
    }
  }
  return { uplift, upliftSd: scores.upliftSd, fatigue, value, best, bestValue, waitDays, scores };
}
