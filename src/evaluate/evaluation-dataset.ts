import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eachRow } from '../dataset/read-table.js';
import {
  channelsSpec,
  clientsSpec,
  consentsSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
} from '../domain/contract.js';
import { RISK_PROFILES, SEGMENTS } from '../domain/enums.js';
import { DAY_MS } from '../domain/time.js';
import { InputError, type InputIssue } from '../errors.js';
import { consentAllows, productAllowed } from '../features/contactable.js';
import type { LoggedBanditData } from './logged-bandit-data.js';
import { type PropensitySource, truthPropensities } from './propensity-source.js';
import { readTruthMeta } from './truth-meta.js';
import { readTruthResponse, type TruthResponse } from './truth-response.js';

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

/** Reads a dataset folder with truth/ into the round-D evaluation data (streamed, typed arrays). */
export async function buildEvaluationDataset(
  dir: string,
  options: EvaluationDatasetOptions = {},
): Promise<EvaluationDataset> {
  const meta = readTruthMeta(dir);
  for (const spec of [clientsSpec, productsSpec, channelsSpec]) {
    if (!existsSync(join(dir, spec.file)))
      throw new InputError([{ file: spec.file, reason: 'missing: a required file of the data contract' }]);
  }
  const dMs = Date.parse(`${meta.evaluationDate}T00:00:00Z`);
  const endMs = dMs + meta.horizonDays * DAY_MS;
  const D = new Date(dMs).toISOString();
  const end = new Date(endMs).toISOString();
  const endDate = end.slice(0, 10);
  const year = new Date(dMs).getUTCFullYear();

  const productIds: string[] = [];
  const unit: number[] = [];
  const limits: { minAge: number; maxAge: number; requiredRisk: number }[] = [];
  await eachRow(dir, productsSpec, ({ row }) => {
    productIds.push(row.product_id);
    unit.push(row.unit_value);
    limits.push({
      minAge: row.min_age ?? -1,
      maxAge: row.max_age ?? Number.POSITIVE_INFINITY,
      requiredRisk:
        row.required_risk_profile === undefined ? -1 : RISK_PROFILES.indexOf(row.required_risk_profile),
    });
  });
  const channelIds: string[] = [];
  const cost: number[] = [];
  await eachRow(dir, channelsSpec, ({ row }) => {
    channelIds.push(row.channel_id);
    cost.push(row.cost_per_contact);
  });
  const clientIds: string[] = [];
  const seg: number[] = [];
  const birth: number[] = [];
  const risk: number[] = [];
  await eachRow(dir, clientsSpec, ({ row }) => {
    clientIds.push(row.client_id);
    seg.push(SEGMENTS.indexOf(row.segment));
    birth.push(row.birth_year);
    risk.push(RISK_PROFILES.indexOf(row.risk_profile));
  });
  const index = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, i) => [id, i]));
  const clientIndex = index(clientIds);
  const productIndex = index(productIds);
  const channelIndex = index(channelIds);
  const nClients = clientIds.length;
  const P = productIds.length;
  const C = channelIds.length;
  const A = C + 1;
  const S = SEGMENTS.length;

  const truth = await readTruthResponse(dir, clientIndex, productIndex, channelIndex);
  const n = truth.nPairs;
  const pairOf = new Map<number, number>();
  for (let k = 0; k < n; k++) pairOf.set(truth.pairClient[k]! * P + truth.pairProduct[k]!, k);

  // Consent before D: latest row per (client, channel); 1 granted, 0 refused, -1 no row.
  const consent = new Int8Array(nClients * C).fill(-1);
  const consentAt = new Array<string>(nClients * C);
  if (existsSync(join(dir, consentsSpec.file))) {
    await eachRow(dir, consentsSpec, ({ row }) => {
      if (row.at >= D) return;
      const i = clientIndex.get(row.client_id);
      const c = channelIndex.get(row.channel_id);
      if (i === undefined || c === undefined) return;
      const at = consentAt[i * C + c];
      if (at !== undefined && at > row.at) return;
      consentAt[i * C + c] = row.at;
      consent[i * C + c] = row.status === 'granted' ? 1 : 0;
    });
  }
  const contactable = new Uint8Array(n * C);
  let nContactablePairs = 0;
  for (let k = 0; k < n; k++) {
    const i = truth.pairClient[k]!;
    const p = truth.pairProduct[k]!;
    const productOk = productAllowed(year, birth[i]!, risk[i]!, limits[p]!);
    let any = 0;
    for (let c = 0; c < C; c++) {
      const granted = consentAllows(consent[i * C + c]!, channelIds[c]!);
      const ok = productOk && granted && truth.hasRow[k * C + c] === 1 ? 1 : 0;
      contactable[k * C + c] = ok;
      any |= ok;
    }
    nContactablePairs += any;
  }

  const action = new Int32Array(n).fill(C);
  const loggedMu = new Float64Array(n);
  const converted = new Uint8Array(n);
  const historyContacts = new Float64Array(P * S * C);
  const historyConversions = new Float64Array(P * S * C);
  let loggedContacts = 0;
  const extraContacts: InputIssue[] = [];
  if (existsSync(join(dir, solicitationsSpec.file))) {
    await eachRow(dir, solicitationsSpec, ({ row, line }) => {
      const i = clientIndex.get(row.client_id);
      const p = productIndex.get(row.product_id);
      const c = channelIndex.get(row.channel_id);
      if (i === undefined || p === undefined || c === undefined) return;
      const conv = row.outcome === 'converted';
      if (row.sent_at < D) {
        const h = (p * S + seg[i]!) * C + c;
        historyContacts[h]! += 1;
        if (conv) historyConversions[h]! += 1;
        return;
      }
      if (row.sent_at >= end) return;
      const k = pairOf.get(i * P + p);
      if (k === undefined) return; // a product the client held: not a decision of the round
      if (action[k] !== C) {
        if (extraContacts.length < 50) {
          extraContacts.push({
            file: solicitationsSpec.file,
            line,
            id: row.solicitation_id,
            reason: `a second contact about ${row.product_id} for ${row.client_id} in the round at ${meta.evaluationDate}: the decision unit allows one`,
          });
        }
        return;
      }
      action[k] = c;
      loggedContacts++;
      loggedMu[k] = row.logging_propensity ?? 0;
      if (conv) converted[k] = 1;
    });
  }
  if (extraContacts.length > 0) throw new InputError(extraContacts);
  if (existsSync(join(dir, holdingsSpec.file))) {
    await eachRow(dir, holdingsSpec, ({ row }) => {
      if (row.opened_at < meta.evaluationDate || row.opened_at >= endDate) return;
      const i = clientIndex.get(row.client_id);
      const p = productIndex.get(row.product_id);
      if (i === undefined || p === undefined) return;
      const k = pairOf.get(i * P + p);
      if (k !== undefined) converted[k] = 1;
    });
  }

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
    clientIds,
    productIds,
    channelIds,
    clientSegment: Uint8Array.from(seg),
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
    loggedPropensity: loggedMu,
    converted,
    loggedContacts,
    propensitySource: 'deferred',
    historyContacts,
    historyConversions,
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
