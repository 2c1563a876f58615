import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelInfo, ClientState, PastContact, ProductInfo } from '../constraints/client-state.js';
import { readTable } from '../dataset/read-table.js';
import {
  channelsSpec,
  clientsSpec,
  consentsSpec,
  holdingsSpec,
  productsSpec,
  solicitationsSpec,
  TRUTH_DIR,
} from '../domain/contract.js';
import type { ConsentStatus, RiskProfile, Segment } from '../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../domain/ids.js';
import { InputError, type InputIssue } from '../errors.js';

/** What `nbg plan` needs from a dataset folder: the catalogue and every client's state at `now`. */
export interface DatasetWorld {
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly clients: readonly ClientState[];
  /** Decision time used, epoch ms. */
  readonly now: number;
}

interface MutableClient {
  id: ClientId;
  birthYear: number;
  segment: Segment;
  riskProfile: RiskProfile;
  financiallyFragile: boolean;
  heldProducts: Set<ProductId>;
  consents: Map<ChannelId, ConsentStatus>;
  consentAt: Map<ChannelId, number>;
  pastContacts: PastContact[];
  lastRefusalAt: Map<ProductId, number>;
}

/** The evaluation date of a simulated dataset (truth/meta.json), as epoch ms, or undefined. */
export function datasetEvaluationDate(dir: string): number | undefined {
  const path = join(dir, TRUTH_DIR, 'meta.json');
  if (!existsSync(path)) return undefined;
  const meta = JSON.parse(readFileSync(path, 'utf8')) as { evaluationDate?: unknown };
  return typeof meta.evaluationDate === 'string' ? Date.parse(`${meta.evaluationDate}T00:00:00Z`) : undefined;
}

/**
 * Reads the client states from a dataset folder of the data contract (clients, products, channels,
 * holdings, consents, solicitations), as they stand at `now`: holdings open at `now`, the latest
 * consent per channel given before `now`, contacts sent before `now`, the latest refusal per product.
 * Every row is validated with the contract's schemas; bad rows are refused together (InputError).
 * Holds every client in memory (about 1 KB each): for a bank-size base use the Neo4j reader.
 */
export async function readDatasetWorld(dir: string, now: number): Promise<DatasetWorld> {
  const issues: InputIssue[] = [];
  const onIssue = (issue: InputIssue): void => {
    if (issues.length < 1000) issues.push(issue);
  };
  const products: ProductInfo[] = [];
  for await (const rows of readTable(dir, productsSpec, { onIssue })) {
    for (const { row } of rows) {
      products.push({
        id: row.product_id as ProductId,
        family: row.family,
        isCredit: row.is_credit,
        minAge: row.min_age,
        maxAge: row.max_age,
        requiredRiskProfile: row.required_risk_profile,
        unitValue: row.unit_value,
      });
    }
  }
  const channels: ChannelInfo[] = [];
  for await (const rows of readTable(dir, channelsSpec, { onIssue })) {
    for (const { row } of rows) {
      channels.push({
        id: row.channel_id as ChannelId,
        costPerContact: row.cost_per_contact,
        dailyCapacity: row.daily_capacity,
      });
    }
  }
  const clients = new Map<string, MutableClient>();
  for await (const rows of readTable(dir, clientsSpec, { onIssue })) {
    for (const { row } of rows) {
      clients.set(row.client_id, {
        id: row.client_id as ClientId,
        birthYear: row.birth_year,
        segment: row.segment,
        riskProfile: row.risk_profile,
        financiallyFragile: row.financially_fragile,
        heldProducts: new Set(),
        consents: new Map(),
        consentAt: new Map(),
        pastContacts: [],
        lastRefusalAt: new Map(),
      });
    }
  }
  const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
  for await (const rows of readTable(dir, holdingsSpec, { onIssue })) {
    for (const { row } of rows) {
      const c = clients.get(row.client_id);
      const open = dayOf(row.opened_at) <= now && (row.closed_at === undefined || dayOf(row.closed_at) > now);
      if (c && open) c.heldProducts.add(row.product_id as ProductId);
    }
  }
  for await (const rows of readTable(dir, consentsSpec, { onIssue })) {
    for (const { row } of rows) {
      const c = clients.get(row.client_id);
      const at = Date.parse(row.at);
      const ch = row.channel_id as ChannelId;
      if (c && at <= now && at >= (c.consentAt.get(ch) ?? -Infinity)) {
        c.consents.set(ch, row.status);
        c.consentAt.set(ch, at);
      }
    }
  }
  for await (const rows of readTable(dir, solicitationsSpec, { onIssue })) {
    for (const { row } of rows) {
      const c = clients.get(row.client_id);
      const at = Date.parse(row.sent_at);
      if (!c || at > now) continue;
      c.pastContacts.push({ at, channel: row.channel_id as ChannelId });
      if (row.outcome === 'refused') {
        const when = row.outcome_at === undefined ? at : Math.min(now, Date.parse(row.outcome_at));
        const p = row.product_id as ProductId;
        if (when > (c.lastRefusalAt.get(p) ?? -Infinity)) c.lastRefusalAt.set(p, when);
      }
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  const list: ClientState[] = [];
  for (const c of clients.values()) {
    const { consentAt: _ignored, ...state } = c;
    list.push(state);
  }
  return { products, channels, clients: list, now };
}
