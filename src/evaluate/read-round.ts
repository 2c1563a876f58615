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
import type { TruthMeta } from './truth-meta.js';
import { readTruthResponse, type TruthResponse } from './truth-response.js';

// The logged round at the evaluation date D, read from a data-contract folder with truth/ for
// buildEvaluationDataset (evaluation-dataset.ts): the contract tables, consent before D, the
// solicitations around D and the holdings opened in [D, D + h).

/** products.csv: ids, unit values, and the limits `productAllowed` reads. */
async function readProducts(dir: string) {
  const ids: string[] = [];
  const unit: number[] = [];
  const limits: { minAge: number; maxAge: number; requiredRisk: number }[] = [];
  await eachRow(dir, productsSpec, ({ row }) => {
    ids.push(row.product_id);
    unit.push(row.unit_value);
    limits.push({
      minAge: row.min_age ?? -1,
      maxAge: row.max_age ?? Number.POSITIVE_INFINITY,
      requiredRisk:
        row.required_risk_profile === undefined ? -1 : RISK_PROFILES.indexOf(row.required_risk_profile),
    });
  });
  return { ids, unit, limits };
}

/** channels.csv: ids and costs per contact. */
async function readChannels(dir: string) {
  const ids: string[] = [];
  const cost: number[] = [];
  await eachRow(dir, channelsSpec, ({ row }) => {
    ids.push(row.channel_id);
    cost.push(row.cost_per_contact);
  });
  return { ids, cost };
}

/** clients.csv: ids, segment index, birth year, risk profile rank. */
async function readClients(dir: string) {
  const ids: string[] = [];
  const seg: number[] = [];
  const birth: number[] = [];
  const risk: number[] = [];
  await eachRow(dir, clientsSpec, ({ row }) => {
    ids.push(row.client_id);
    seg.push(SEGMENTS.indexOf(row.segment));
    birth.push(row.birth_year);
    risk.push(RISK_PROFILES.indexOf(row.risk_profile));
  });
  return { ids, seg, birth, risk };
}

/** The contract tables of the round, read once: products, channels, clients and their indices. */
export interface RoundTables {
  readonly products: Awaited<ReturnType<typeof readProducts>>;
  readonly channels: Awaited<ReturnType<typeof readChannels>>;
  readonly clients: Awaited<ReturnType<typeof readClients>>;
  readonly clientIndex: ReadonlyMap<string, number>;
  readonly productIndex: ReadonlyMap<string, number>;
  readonly channelIndex: ReadonlyMap<string, number>;
}

/** The round at D: its instants (ISO), the tables, the truth pairs and a pair's index by i·P + p. */
export interface Round {
  readonly dir: string;
  readonly evaluationDate: string;
  /** D and D + h as ISO instants, D + h as a date. */
  readonly D: string;
  readonly end: string;
  readonly endDate: string;
  readonly tables: RoundTables;
  readonly truth: TruthResponse;
  readonly pairOf: ReadonlyMap<number, number>;
}

/** Consent before D: the latest row per (client, channel), n × C; 1 granted, 0 refused, -1 no row. */
export async function consentBefore(round: Round): Promise<Int8Array> {
  const { dir, D, tables } = round;
  const C = tables.channels.ids.length;
  const consent = new Int8Array(tables.clients.ids.length * C).fill(-1);
  const consentAt = new Array<string>(tables.clients.ids.length * C);
  if (existsSync(join(dir, consentsSpec.file))) {
    await eachRow(dir, consentsSpec, ({ row }) => {
      if (row.at >= D) return;
      const i = tables.clientIndex.get(row.client_id);
      const c = tables.channelIndex.get(row.channel_id);
      if (i === undefined || c === undefined) return;
      const at = consentAt[i * C + c];
      if (at !== undefined && at > row.at) return;
      consentAt[i * C + c] = row.at;
      consent[i * C + c] = row.status === 'granted' ? 1 : 0;
    });
  }
  return consent;
}

/**
 * solicitations.csv: before D, the contact and conversion counts per (product, segment, channel);
 * in [D, D + h), the logged action of each pair (at most one contact per pair, else InputError), its
 * own logging_propensity and a `converted` outcome.
 */
export async function readSolicitations(round: Round) {
  const { dir, D, end, tables, pairOf } = round;
  const P = tables.products.ids.length;
  const C = tables.channels.ids.length;
  const S = SEGMENTS.length;
  const n = round.truth.nPairs;
  const seg = tables.clients.seg;
  const action = new Int32Array(n).fill(C);
  const loggedMu = new Float64Array(n);
  const converted = new Uint8Array(n);
  const historyContacts = new Float64Array(P * S * C);
  const historyConversions = new Float64Array(P * S * C);
  let loggedContacts = 0;
  const extraContacts: InputIssue[] = [];
  if (existsSync(join(dir, solicitationsSpec.file))) {
    await eachRow(dir, solicitationsSpec, ({ row, line }) => {
      const i = tables.clientIndex.get(row.client_id);
      const p = tables.productIndex.get(row.product_id);
      const c = tables.channelIndex.get(row.channel_id);
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
            reason: `a second contact about ${row.product_id} for ${row.client_id} in the round at ${round.evaluationDate}: the decision unit allows one`,
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
  return { action, loggedMu, converted, historyContacts, historyConversions, loggedContacts };
}

/** holdings.csv: a holding of the pair's product opened in [D, D + h) is a conversion too. */
export async function markOpenedHoldings(round: Round, converted: Uint8Array): Promise<void> {
  const { dir, tables, pairOf } = round;
  const P = tables.products.ids.length;
  if (!existsSync(join(dir, holdingsSpec.file))) return;
  await eachRow(dir, holdingsSpec, ({ row }) => {
    if (row.opened_at < round.evaluationDate || row.opened_at >= round.endDate) return;
    const i = tables.clientIndex.get(row.client_id);
    const p = tables.productIndex.get(row.product_id);
    if (i === undefined || p === undefined) return;
    const k = pairOf.get(i * P + p);
    if (k !== undefined) converted[k] = 1;
  });
}

/** Reads the contract tables and truth/response.csv of a folder with truth/: the round at D. */
export async function readRound(dir: string, meta: TruthMeta): Promise<Round> {
  for (const spec of [clientsSpec, productsSpec, channelsSpec]) {
    if (!existsSync(join(dir, spec.file)))
      throw new InputError([{ file: spec.file, reason: 'missing: a required file of the data contract' }]);
  }
  const dMs = Date.parse(`${meta.evaluationDate}T00:00:00Z`);
  const endMs = dMs + meta.horizonDays * DAY_MS;
  const end = new Date(endMs).toISOString();
  const products = await readProducts(dir);
  const channels = await readChannels(dir);
  const clients = await readClients(dir);
  const index = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, i) => [id, i]));
  const tables: RoundTables = {
    products,
    channels,
    clients,
    clientIndex: index(clients.ids),
    productIndex: index(products.ids),
    channelIndex: index(channels.ids),
  };
  const truth = await readTruthResponse(dir, tables.clientIndex, tables.productIndex, tables.channelIndex);
  const P = products.ids.length;
  const pairOf = new Map<number, number>();
  for (let k = 0; k < truth.nPairs; k++) pairOf.set(truth.pairClient[k]! * P + truth.pairProduct[k]!, k);
  return {
    dir,
    evaluationDate: meta.evaluationDate,
    D: new Date(dMs).toISOString(),
    end,
    endDate: end.slice(0, 10),
    tables,
    truth,
    pairOf,
  };
}
