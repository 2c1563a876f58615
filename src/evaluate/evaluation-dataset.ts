import { InputError, type InputIssue } from '../errors.js';
import { consentAllows, productAllowed } from '../features/contactable.js';
import type { LoggedBanditData } from './logged-bandit-data.js';
import { type PropensitySource, truthPropensities } from './propensity-source.js';
import { consentBefore, markOpenedHoldings, type Round, readRound, readSolicitations } from './read-round.js';
import { readTruthMeta } from './truth-meta.js';
import type { TruthResponse } from './truth-response.js';

/**
 * The logged round at the evaluation date D as bandit data. Decision unit: a (client, product)
 * pair (every pair of truth/response.csv; a product the client holds has no row and cannot be
 * sold); actions: the C channels, then 'none' (index C).
 * - logged action: the channel of the solicitation about the pair sent in [D, D + h), else none;
 * - reward: converted × unit_value − cost of the channel used (0 for none), where converted means a
 *   `converted` solicitation outcome or a holding of the product opened in [D, D + h);
 * - pscore: mu(logged action | pair) from the propensity source (a solicitation's own
 *   logging_propensity wins for a contacted pair); mu(none) = 1 − Σ_c mu(c).
 * - contactable[k * C + c]: the client's consent to channel c before D (latest row; without a row
 *   granted, except opt-in channels), the product's age limits (conservative, from the birth year)
 *   and risk profile (suitability), and a truth row for the channel. Policies act only there.
 * - history: contacts and conversions before D per (product, segment, channel), for the naive
 *   "conversion rate among contacted clients" policies.
 */
export interface EvaluationDataset {
  readonly dir: string;
  readonly evaluationDate: string;
  readonly horizonDays: number;
  readonly clientIds: readonly string[];
  readonly productIds: readonly string[];
  readonly channelIds: readonly string[];
  /** Segment index (SEGMENTS) per client. */
  readonly clientSegment: Uint8Array;
  readonly nPairs: number;
  readonly nChannels: number;
  /** nChannels + 1 ('none' last). */
  readonly nActions: number;
  readonly pairClient: Int32Array;
  readonly pairProduct: Int32Array;
  /** EUR per product. */
  readonly unitValue: Float64Array;
  /** EUR per action ('none' costs 0). */
  readonly actionCost: Float64Array;
  readonly contactable: Uint8Array;
  /** Number of pairs with at least one contactable channel. */
  readonly nContactablePairs: number;
  readonly truth: TruthResponse;
  /** Logging distribution, nPairs × nActions. */
  readonly mu: Float64Array;
  readonly logged: LoggedBanditData;
  /** Per pair: the logged contact's own logging_propensity (0 when none or not given). */
  readonly loggedPropensity: Float64Array;
  readonly converted: Uint8Array;
  /** Contacts logged in the round at D. */
  readonly loggedContacts: number;
  readonly propensitySource: string;
  /** index (p * S + s) * C + c. */
  readonly historyContacts: Float64Array;
  readonly historyConversions: Float64Array;
}

export interface EvaluationDatasetOptions {
  /** Default: the logging_propensity column of truth/response.csv. */
  readonly propensities?: PropensitySource;
  /**
   * Build without propensities (mu of the channels 0 except a contact's own logged value); the
   * caller then calls `withPropensities` with an estimate, e.g. a fitted exposure model's on the
   * dataset's pairs, which can only be computed once the pairs are known.
   */
  readonly deferPropensities?: boolean;
}

/** Where a policy may act: consent, the product's age limits and suitability, and a truth row (nPairs × C). */
function contactablePairs(round: Round, consent: Int8Array, year: number) {
  const { truth, tables } = round;
  const { birth, risk } = tables.clients;
  const channelIds = tables.channels.ids;
  const C = channelIds.length;
  const n = truth.nPairs;
  const contactable = new Uint8Array(n * C);
  let nContactablePairs = 0;
  for (let k = 0; k < n; k++) {
    const i = truth.pairClient[k]!;
    const p = truth.pairProduct[k]!;
    const productOk = productAllowed(year, birth[i]!, risk[i]!, tables.products.limits[p]!);
    let any = 0;
    for (let c = 0; c < C; c++) {
      const granted = consentAllows(consent[i * C + c]!, channelIds[c]!);
      const ok = productOk && granted && truth.hasRow[k * C + c] === 1 ? 1 : 0;
      contactable[k * C + c] = ok;
      any |= ok;
    }
    nContactablePairs += any;
  }
  return { contactable, nContactablePairs };
}

/** Reads a dataset folder with truth/ into the round-D evaluation data (streamed, typed arrays). */
export async function buildEvaluationDataset(
  dir: string,
  options: EvaluationDatasetOptions = {},
): Promise<EvaluationDataset> {
  const meta = readTruthMeta(dir);
  const round = await readRound(dir, meta);
  const { truth, tables } = round;
  const year = new Date(Date.parse(`${meta.evaluationDate}T00:00:00Z`)).getUTCFullYear();
  const { contactable, nContactablePairs } = contactablePairs(round, await consentBefore(round), year);
  const logged = await readSolicitations(round);
  await markOpenedHoldings(round, logged.converted);
  const { action, converted } = logged;
  const { unit } = tables.products;
  const { cost } = tables.channels;
  const n = truth.nPairs;
  const C = cost.length;
  const A = C + 1;
  const reward = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = action[k]!;
    reward[k] = converted[k]! * unit[truth.pairProduct[k]!]! - (a < C ? cost[a]! : 0);
  }
  const actionCost = new Float64Array(A);
  actionCost.set(cost);
  const data: EvaluationDataset = {
    dir,
    evaluationDate: meta.evaluationDate,
    horizonDays: meta.horizonDays,
    clientIds: tables.clients.ids,
    productIds: tables.products.ids,
    channelIds: tables.channels.ids,
    clientSegment: Uint8Array.from(tables.clients.seg),
    nPairs: n,
    nChannels: C,
    nActions: A,
    pairClient: truth.pairClient,
    pairProduct: truth.pairProduct,
    unitValue: Float64Array.from(unit),
    actionCost,
    contactable,
    nContactablePairs,
    truth,
    mu: new Float64Array(n * A),
    logged: { nRounds: n, nActions: A, action, reward, pscore: new Float64Array(n) },
    loggedPropensity: logged.loggedMu,
    converted,
    loggedContacts: logged.loggedContacts,
    propensitySource: 'deferred',
    historyContacts: logged.historyContacts,
    historyConversions: logged.historyConversions,
  };
  if (options.deferPropensities) return data;
  const source = options.propensities ?? truthPropensities;
  return withPropensities(data, {
    name: source.name,
    muC: source.propensities({ nPairs: n, nChannels: C, truth }),
  });
}

/**
 * The dataset with the logging distribution `muC` (nPairs × C, 'none' = 1 − Σ): a contacted pair's own
 * logged propensity replaces the estimate of its channel; pscore is mu of the logged action. Throws
 * when a logged action gets probability 0 (it could not have been taken).
 */
export function withPropensities(
  data: EvaluationDataset,
  propensities: { readonly name: string; readonly muC: Float64Array | Float32Array },
): EvaluationDataset {
  const { nPairs: n, nChannels: C, nActions: A, truth, clientIds, productIds, channelIds } = data;
  const { muC } = propensities;
  if (muC.length !== n * C) {
    throw new Error(
      `evaluate: ${propensities.name} gives ${muC.length} propensities for ${n} pairs × ${C} channels`,
    );
  }
  const action = data.logged.action;
  const loggedMu = data.loggedPropensity;
  const mu = new Float64Array(n * A);
  const pscore = new Float64Array(n);
  const bad: InputIssue[] = [];
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let c = 0; c < C; c++) {
      const m = muC[k * C + c]!;
      mu[k * A + c] = m;
      s += m;
    }
    const a = action[k]!;
    if (a < C && loggedMu[k]! > 0) {
      s += loggedMu[k]! - mu[k * A + a]!;
      mu[k * A + a] = loggedMu[k]!;
    }
    mu[k * A + C] = Math.max(0, 1 - s);
    pscore[k] = mu[k * A + a]!;
    if (!(pscore[k]! > 0) && bad.length < 50) {
      bad.push({
        file: 'truth/response.csv',
        id: `${clientIds[truth.pairClient[k]!]} ${productIds[truth.pairProduct[k]!]}`,
        reason: `the logged action (${a < C ? channelIds[a] : 'none'}) has propensity 0 in ${propensities.name}: it could not have been taken`,
      });
    }
  }
  if (bad.length > 0) throw new InputError(bad);
  return {
    ...data,
    mu,
    logged: { ...data.logged, pscore },
    propensitySource: propensities.name,
  };
}
