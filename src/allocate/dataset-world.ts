import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { readTable } from '../dataset/read-table.js';
import type { ChannelInfo, ProductInfo } from '../domain/catalog.js';
import {
  type ClientProfile,
  type ClientState,
  type ClientStateOptions,
  type ConsentRecord,
  clientStateAt,
  type HoldingRecord,
  type SolicitationRecord,
} from '../domain/client-state.js';
import {
  channelsSpec,
  clientsSpec,
  consentsSpec,
  type FileSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
  TRUTH_DIR,
} from '../domain/contract.js';
import { OUTCOMES, RISK_PROFILES, SEGMENTS } from '../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../domain/ids.js';
import { DAY_MS } from '../domain/time.js';
import { InputError, type InputIssue } from '../errors.js';
import type { FeatureHistory } from '../features/index.js';

/** What `nbg plan` needs from a dataset folder: the catalogue and every client's state at `now`. */
export interface DatasetWorld {
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly clients: readonly ClientState[];
  /** Decision time used, epoch ms. */
  readonly now: number;
}

/** A client's own columns and records, gathered file by file before the state is derived. */
interface Gathered {
  readonly profile: ClientProfile;
  readonly holdings: HoldingRecord[];
  readonly consents: ConsentRecord[];
  readonly solicitations: SolicitationRecord[];
}

/** Passes every valid row of one contract file to `visit`; problems go to `onIssue`. */
async function visitRows<S extends z.ZodObject>(
  dir: string,
  spec: FileSpec<S>,
  onIssue: (issue: InputIssue) => void,
  visit: (row: z.output<S>) => void,
): Promise<void> {
  for await (const rows of readTable(dir, spec, { onIssue })) for (const { row } of rows) visit(row);
}

/** The evaluation date of a simulated dataset (truth/meta.json), as epoch ms, or undefined. */
export function datasetEvaluationDate(dir: string): number | undefined {
  const path = join(dir, TRUTH_DIR, 'meta.json');
  if (!existsSync(path)) return undefined;
  const meta = JSON.parse(readFileSync(path, 'utf8')) as { evaluationDate?: unknown };
  return typeof meta.evaluationDate === 'string' ? Date.parse(`${meta.evaluationDate}T00:00:00Z`) : undefined;
}

/** The products and channels of a folder (products.csv, channels.csv). */
async function readCatalogue(
  dir: string,
  onIssue: (issue: InputIssue) => void,
): Promise<{ products: ProductInfo[]; channels: ChannelInfo[] }> {
  const products: ProductInfo[] = [];
  await visitRows(dir, productsSpec, onIssue, (row) => {
    products.push({
      id: row.product_id as ProductId,
      family: row.family,
      isCredit: row.is_credit,
      minAge: row.min_age,
      maxAge: row.max_age,
      requiredRiskProfile: row.required_risk_profile,
      unitValue: row.unit_value,
    });
  });
  const channels: ChannelInfo[] = [];
  await visitRows(dir, channelsSpec, onIssue, (row) => {
    channels.push({
      id: row.channel_id as ChannelId,
      costPerContact: row.cost_per_contact,
      dailyCapacity: row.daily_capacity,
    });
  });
  return { products, channels };
}

/**
 * Reads the client states from a dataset folder of the data contract (clients, products, channels,
 * holdings, consents, solicitations), as they stand at `now` (domain's clientStateAt: holdings open
 * at `now`, the latest consent per channel given before `now`, contacts sent before `now`, or in
 * the last `windowDays` days when given, the latest refusal per product).
 * Every row is validated with the contract's schemas; bad rows are refused together (InputError).
 * Holds every client in memory (about 1 KB each, and its records until the end): for a bank-size
 * base use the Neo4j reader.
 */
export async function readDatasetWorld(
  dir: string,
  now: number,
  options: ClientStateOptions = {},
): Promise<DatasetWorld> {
  const issues: InputIssue[] = [];
  const onIssue = (issue: InputIssue): void => {
    if (issues.length < 1000) issues.push(issue);
  };
  const { products, channels } = await readCatalogue(dir, onIssue);
  const clients = new Map<string, Gathered>();
  await visitRows(dir, clientsSpec, onIssue, (row) => {
    clients.set(row.client_id, {
      profile: {
        id: row.client_id as ClientId,
        birthYear: row.birth_year,
        segment: row.segment,
        riskProfile: row.risk_profile,
        financiallyFragile: row.financially_fragile,
      },
      holdings: [],
      consents: [],
      solicitations: [],
    });
  });
  const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
  await visitRows(dir, holdingsSpec, onIssue, (row) => {
    clients.get(row.client_id)?.holdings.push({
      productId: row.product_id as ProductId,
      openedAt: dayOf(row.opened_at),
      closedAt: row.closed_at === undefined ? undefined : dayOf(row.closed_at),
    });
  });
  await visitRows(dir, consentsSpec, onIssue, (row) => {
    clients.get(row.client_id)?.consents.push({
      channel: row.channel_id as ChannelId,
      status: row.status,
      at: Date.parse(row.at),
    });
  });
  await visitRows(dir, solicitationsSpec, onIssue, (row) => {
    clients.get(row.client_id)?.solicitations.push({
      channel: row.channel_id as ChannelId,
      productId: row.product_id as ProductId,
      sentAt: Date.parse(row.sent_at),
      outcome: row.outcome,
      outcomeAt: row.outcome_at === undefined ? undefined : Date.parse(row.outcome_at),
    });
  });
  if (issues.length > 0) throw new InputError(issues);
  const list: ClientState[] = [];
  for (const c of clients.values()) list.push(clientStateAt(c.profile, c, now, options));
  return { products, channels, clients: list, now };
}

/** Fractional days of the feature history → epoch ms (the history keeps Date.parse(ts) / DAY_MS: exact). */
const msOfDay = (day: number): number => Math.round(day * DAY_MS);
const msOrUndefined = (day: number): number | undefined => (Number.isNaN(day) ? undefined : msOfDay(day));

/**
 * The same world as `readDatasetWorld`, with the client states taken from a feature history already
 * read from the folder (features/loadHistory(folderSource(dir))), so that `nbg plan --values model`
 * reads the folder's records once; only the catalogue files are read again. The states are those
 * of readDatasetWorld (times back to epoch ms exactly); the clients come sorted by id (the
 * history's order) rather than in file order.
 */
export async function datasetWorldFromHistory(
  dir: string,
  history: FeatureHistory,
  now: number,
  options: ClientStateOptions = {},
): Promise<DatasetWorld> {
  const issues: InputIssue[] = [];
  const { products, channels } = await readCatalogue(dir, (issue) => {
    if (issues.length < 1000) issues.push(issue);
  });
  if (issues.length > 0) throw new InputError(issues);
  const h = history;
  const productId = h.catalog.products.map((p) => p.id as ProductId);
  const channelId = h.catalog.channels.map((c) => c.id as ChannelId);
  const { holdings: ho, consents: co, solicitations: so } = h;
  const clients: ClientState[] = [];
  for (let i = 0; i < h.clientIds.length; i++) {
    const holdings: HoldingRecord[] = [];
    for (let r = ho.off[i]!; r < ho.off[i + 1]!; r++)
      holdings.push({
        productId: productId[ho.product[r]!]!,
        openedAt: msOfDay(ho.opened[r]!),
        closedAt: msOrUndefined(ho.closed[r]!),
      });
    const consents: ConsentRecord[] = [];
    for (let r = co.off[i]!; r < co.off[i + 1]!; r++)
      consents.push({
        channel: channelId[co.channel[r]!]!,
        status: co.granted[r] ? 'granted' : 'refused',
        at: msOfDay(co.at[r]!),
      });
    const solicitations: SolicitationRecord[] = [];
    for (let r = so.off[i]!; r < so.off[i + 1]!; r++)
      solicitations.push({
        channel: channelId[so.channel[r]!]!,
        productId: productId[so.product[r]!]!,
        sentAt: msOfDay(so.sent[r]!),
        outcome: OUTCOMES[so.outcome[r]!],
        outcomeAt: msOrUndefined(so.outcomeAt[r]!),
      });
    const profile: ClientProfile = {
      id: h.clientIds[i] as ClientId,
      birthYear: h.birthYear[i]!,
      segment: SEGMENTS[h.segment[i]!]!,
      riskProfile: RISK_PROFILES[h.riskProfile[i]!]!,
      financiallyFragile: h.fragile[i] === 1,
    };
    clients.push(clientStateAt(profile, { holdings, consents, solicitations }, now, options));
  }
  return { products, channels, clients, now };
}
