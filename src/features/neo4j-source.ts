import neo4j from 'neo4j-driver';
import type { Db } from '../db/executor.js';
import { query } from '../db/queries.js';
import { ACCOUNT_TYPES, EVENT_TYPES, OUTCOMES, RISK_PROFILES, SEGMENTS } from '../domain/enums.js';
import {
  byId,
  dayOfDate,
  dayOfTimestamp,
  type FeatureCatalog,
  type FeatureSource,
  monthIndex,
  type RecordSink,
} from './records.js';

const catalogQuery = query('read/features-catalog');
const clientPage = query('read/features-client-page');
const someClients = query('read/features-clients');

type Cell = string | number | boolean | null;

interface ClientPageRow extends Record<string, unknown> {
  readonly id: string;
  readonly birthYear: number;
  readonly segment: string;
  readonly incomeBand: number;
  readonly riskProfile: string;
  readonly fragile: boolean;
  readonly customerSince: string;
  readonly holdings: readonly [string, string, string | null][];
  readonly consents: readonly [string, readonly string[] | null, string, string][];
  readonly solicitations: readonly [
    string | null,
    string | null,
    string,
    number | null,
    string,
    string | null,
  ][];
  readonly events: readonly [string, string, string | null, string][];
  readonly accounts: readonly [string, readonly string[], readonly number[]][];
  readonly verbatims: readonly [string, string | null, string | null, number | null][];
}

const orNaN = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

export interface Neo4jSourceOptions {
  /** Clients per page (one read transaction each). */
  readonly pageSize?: number;
  /**
   * Only these clients (one read): the decision rows of the few clients of a request, without
   * reading the whole graph. Unknown ids are left out.
   */
  readonly clientIds?: readonly string[];
}

export const NEO4J_SOURCE_DEFAULTS = { pageSize: 500 } as const;

/**
 * The records of the knowledge graph, read in pages of clients with named queries (keyset
 * pagination on the client id index, as the analysis projection): per page, each client then its
 * holdings, consent decisions, solicitations, events, monthly balances and verbatims. Consents come
 * from the `history` the ingest keeps on each CONSENT (`at|status` in the order met); a decision
 * set later through the API, not in the history, is appended. Gives the records a folder source
 * gives for the same dataset once ingested, so both build the same tables.
 */
export function neo4jSource(db: Db, options: Neo4jSourceOptions = {}): FeatureSource {
  const pageSize = options.pageSize ?? NEO4J_SOURCE_DEFAULTS.pageSize;
  return {
    name: `neo4j database ${db.database}`,
    async catalog(): Promise<FeatureCatalog> {
      const [row] = await db.read<{ products: Cell[][]; channels: Cell[][] }>(catalogQuery);
      const products = (row?.products ?? []).map(([id, unitValue, minAge, maxAge, risk]) => ({
        id: String(id),
        unitValue: Number(unitValue),
        minAge: minAge === null ? -1 : Number(minAge),
        maxAge: maxAge === null ? Number.POSITIVE_INFINITY : Number(maxAge),
        requiredRisk: risk === null ? -1 : RISK_PROFILES.indexOf(risk as (typeof RISK_PROFILES)[number]),
      }));
      const channels = (row?.channels ?? []).map(([id, cost]) => ({ id: String(id), cost: Number(cost) }));
      return { products: byId(products), channels: byId(channels) };
    },
    async read(sink: RecordSink): Promise<void> {
      if (options.clientIds) {
        const rows = await db.read<ClientPageRow>(someClients, { ids: [...options.clientIds] });
        for (const c of rows) pushClient(sink, c);
        return;
      }
      let after = '';
      for (;;) {
        const page = await db.read<ClientPageRow>(clientPage, { after, limit: neo4j.int(pageSize) });
        for (const c of page) pushClient(sink, c);
        if (page.length < pageSize) return;
        after = page[page.length - 1]!.id;
      }
    },
  };
}

function pushClient(sink: RecordSink, c: ClientPageRow): void {
  const id = c.id;
  sink.client(
    id,
    c.birthYear,
    SEGMENTS.indexOf(c.segment as (typeof SEGMENTS)[number]),
    c.incomeBand,
    RISK_PROFILES.indexOf(c.riskProfile as (typeof RISK_PROFILES)[number]),
    c.fragile,
    dayOfDate(c.customerSince),
  );
  for (const [productId, openedAt, closedAt] of c.holdings) {
    sink.holding(id, productId, dayOfDate(openedAt), closedAt === null ? Number.NaN : dayOfDate(closedAt));
  }
  for (const [channelId, history, at, status] of c.consents) {
    const decisions = [...(history ?? [])];
    const current = `${at}|${status}`;
    if (!decisions.includes(current)) decisions.push(current);
    for (const d of decisions) {
      const bar = d.lastIndexOf('|');
      sink.consent(id, channelId, dayOfTimestamp(d.slice(0, bar)), d.slice(bar + 1) === 'granted');
    }
  }
  for (const [productId, channelId, sentAt, propensity, outcome, outcomeAt] of c.solicitations) {
    if (productId === null || channelId === null) continue;
    sink.solicitation(
      id,
      productId,
      channelId,
      dayOfTimestamp(sentAt),
      orNaN(propensity),
      OUTCOMES.indexOf(outcome as (typeof OUTCOMES)[number]),
      outcomeAt === null ? Number.NaN : dayOfTimestamp(outcomeAt),
    );
  }
  for (const [at, type, productId, sessionId] of c.events) {
    sink.event(
      id,
      dayOfTimestamp(at),
      EVENT_TYPES.indexOf(type as (typeof EVENT_TYPES)[number]),
      productId ?? '',
      sessionId,
    );
  }
  for (const [type, months, balances] of c.accounts) {
    const t = ACCOUNT_TYPES.indexOf(type as (typeof ACCOUNT_TYPES)[number]);
    for (let k = 0; k < months.length; k++) sink.balance(id, t, monthIndex(months[k]!), balances[k]!);
  }
  for (const [at, productId, channelId, score] of c.verbatims) {
    sink.verbatim(id, dayOfTimestamp(at), productId ?? '', channelId ?? '', orNaN(score));
  }
}
