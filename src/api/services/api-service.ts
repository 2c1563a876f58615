import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Logger } from 'pino';
import type { ActionValueSource } from '../../allocate/action-value-source.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type {
  ClientProfile,
  GraphNode,
  GraphPath,
  GraphRelationship,
  PolicyEvaluation,
  Recommendation,
  Solicitation,
} from './api-types.js';
import { CATALOG_DEFAULTS, CatalogCache, type CatalogOptions } from './catalog-cache.js';
import { Neo4jClientStateReader } from './neo4j-client-state-reader.js';
import {
  RECOMMENDATION_STORE_DEFAULTS,
  RecommendationStore,
  type RecommendationStoreOptions,
} from './recommendation-store.js';
import { type Authorize, Recommender, zeroScores } from './recommender.js';

const Q = {
  client: query('read/api-client'),
  holdings: query('read/api-client-holdings'),
  consents: query('read/api-client-consents'),
  solicitations: query('read/api-client-solicitations'),
  neighborhood: query('read/api-neighborhood'),
  path: query('read/api-path'),
  community: query('read/api-community'),
  recommendation: query('read/api-recommendation'),
  auditTrail: query('read/api-audit-trail'),
  policyEvaluation: query('read/api-policy-evaluation'),
  exampleClients: query('read/api-example-clients'),
  acknowledge: query('write/api-acknowledge'),
  event: query('write/api-event'),
  solicitation: query('write/api-solicitation-outcome'),
  consent: query('write/api-consent'),
};

type Props = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

/** What the API's service needs: the database, where action values come from, and the clock. */
export interface ApiServiceOptions {
  readonly db: Db;
  readonly log: Logger;
  /** The value source of recommendations (the trained model, or the stand-in). */
  readonly values: ActionValueSource;
  /** 'trained' or 'stand-in', written on the :Model node. */
  readonly modelKind: string;
  readonly now?: () => Date;
  readonly catalog?: CatalogOptions;
  readonly store?: RecommendationStoreOptions;
}

/** Reads and writes of the API, each through one api- named query. Resolvers stay thin and call these. */
export class ApiService {
  private readonly db: Db;
  private readonly now: () => Date;
  private readonly store: RecommendationStore;
  private readonly recommender: Recommender;

  constructor(options: ApiServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.store = new RecommendationStore(
      options.db,
      options.log,
      options.store ?? RECOMMENDATION_STORE_DEFAULTS,
    );
    this.recommender = new Recommender({
      db: options.db,
      reader: new Neo4jClientStateReader(options.db),
      catalog: new CatalogCache(options.db, options.catalog ?? CATALOG_DEFAULTS),
      values: options.values,
      modelKind: options.modelKind,
      store: this.store,
      log: options.log,
      now: this.now,
    });
  }

  /** Ranked actions for the client (see Recommender); `authorize` sees the client's advisor first. */
  recommend(clientId: string, channel: string | undefined, limit: number, authorize: Authorize) {
    return this.recommender.recommend(clientId, channel, limit, authorize);
  }

  /**
   * The first client, in id order among the first `limit`, who would be offered a contact now
   * (nothing is served or stored); undefined when none is. `nbg serve --example-client auto`.
   */
  async exampleClient(limit = 200): Promise<string | undefined> {
    const rows = await this.db.read<{ clientId: string }>(Q.exampleClients, { limit: neo4j.int(limit) });
    for (const { clientId } of rows) if (await this.recommender.wouldContact(clientId)) return clientId;
    return undefined;
  }

  /** Writes what is still queued (served recommendations), then returns. */
  close(): Promise<void> {
    return this.store.close();
  }

  async client(id: string): Promise<ClientProfile | null> {
    const [row] = await this.db.read(Q.client, { id });
    if (!row) return null;
    const c = row.client as Props;
    return {
      id,
      segment: str(c.segment),
      region: str(c.region),
      birthYear: c.birthYear === undefined || c.birthYear === null ? null : num(c.birthYear),
      riskProfile: str(c.riskProfile),
      financiallyFragile: typeof c.financiallyFragile === 'boolean' ? c.financiallyFragile : null,
      advisorId: str(row.advisorId),
      communityId: str(row.communityId),
    };
  }

  /** The client, or NOT_FOUND naming the id. */
  async requireClient(id: string): Promise<ClientProfile> {
    const c = await this.client(id);
    if (!c) throw new NbgError(ErrorCode.NOT_FOUND, `client ${id} does not exist`);
    return c;
  }

  async holdings(
    id: string,
  ): Promise<{ productId: string; openedAt: string | null; closedAt: string | null }[]> {
    const rows = await this.db.read(Q.holdings, { id });
    return rows.map((r) => ({
      productId: String(r.productId),
      openedAt: str(r.openedAt),
      closedAt: str(r.closedAt),
    }));
  }

  async consents(id: string): Promise<{ clientId: string; channel: string; status: string; at: string }[]> {
    const rows = await this.db.read(Q.consents, { id });
    return rows.map((r) => ({
      clientId: id,
      channel: String(r.channel),
      status: String(r.status),
      at: String(r.at),
    }));
  }

  async solicitations(id: string, limit = 20): Promise<Solicitation[]> {
    const rows = await this.db.read(Q.solicitations, { id, limit: neo4j.int(limit) });
    return rows.map((r) => ({
      id: String(r.id),
      clientId: id,
      productId: String(r.productId),
      channel: String(r.channel),
      outcome: String(r.outcome),
      sentAt: String(r.sentAt),
      outcomeAt: str(r.outcomeAt),
    }));
  }

  async neighborhood(
    clientId: string,
    depth: number,
    limit: number,
  ): Promise<{ nodes: GraphNode[]; relationships: GraphRelationship[] }> {
    await this.requireClient(clientId);
    const rows = await this.db.read(Q.neighborhood, {
      id: clientId,
      depth: neo4j.int(depth),
      limit: neo4j.int(limit),
    });
    const nodes = new Map<string, GraphNode>();
    const rels = new Map<string, GraphRelationship>();
    for (const r of rows) {
      for (const n of r.nodes as GraphNode[]) nodes.set(n.id, { id: String(n.id), label: String(n.label) });
      for (const e of r.rels as GraphRelationship[]) rels.set(`${e.from}|${e.type}|${e.to}`, e);
    }
    return { nodes: [...nodes.values()], relationships: [...rels.values()] };
  }

  /**
   * A shortest path (at most 6 relationships) between the nodes with these ids, each looked up
   * through the unique-id index of its label (`fromLabel` / `toLabel` restrict it); null when they
   * are not connected. NOT_FOUND for an unknown id, BAD_USER_INPUT for an id two labels share.
   */
  async path(
    fromId: string,
    toId: string,
    fromLabel: string | null = null,
    toLabel: string | null = null,
  ): Promise<GraphPath | null> {
    const [row] = await this.db.read(Q.path, { fromId, toId, fromLabel, toLabel });
    const ends: [string, string | null, unknown][] = [
      [fromId, fromLabel, row?.fromLabels],
      [toId, toLabel, row?.toLabels],
    ];
    for (const [id, label, found] of ends) {
      const labels = (found as string[] | undefined) ?? [];
      if (labels.length === 0) {
        throw new NbgError(ErrorCode.NOT_FOUND, `no ${label ?? 'node'} has id ${id}`);
      }
      if (labels.length > 1) {
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          `id ${id} names nodes of ${labels.length} labels (${labels.join(', ')}): pass fromLabel or toLabel`,
        );
      }
    }
    if (!row?.nodes) return null;
    return {
      kind: 'shortest',
      nodes: row.nodes as GraphNode[],
      relationships: row.rels as GraphRelationship[],
    };
  }

  async community(
    id: string,
    limit: number,
  ): Promise<{ id: string; size: number; members: string[] } | null> {
    const [row] = await this.db.read(Q.community, { id, limit: neo4j.int(limit) });
    if (!row) return null;
    return { id: String(row.id), size: num(row.size), members: (row.members as unknown[]).map(String) };
  }

  async recommendation(id: string): Promise<Recommendation | null> {
    await this.store.stored(id);
    const [row] = await this.db.read(Q.recommendation, { id });
    return row ? fromNode(row.rec as Props) : null;
  }

  async auditTrail(clientId: string, from: string, to: string, limit: number): Promise<Recommendation[]> {
    const rows = await this.db.read(Q.auditTrail, { clientId, from, to, limit: neo4j.int(limit) });
    return rows.map((r) => fromNode(r.rec as Props));
  }

  /** The latest :Evaluation stored by `nbg evaluate --store`, or null. */
  async policyEvaluation(): Promise<PolicyEvaluation | null> {
    const [row] = await this.db.read(Q.policyEvaluation);
    if (!row) return null;
    const e = row.evaluation as Props;
    return {
      id: String(e.id),
      createdAt: String(e.createdAt),
      dataset: String(e.dataset),
      evaluationDate: str(e.evaluationDate),
      modelVersion: str(e.modelVersion),
      columns: parse<string[]>(e.columns, []),
      rows: String(e.rows ?? '[]'),
    };
  }

  async acknowledge(id: string, decision: string, by: string): Promise<Recommendation> {
    await this.store.stored(id);
    const { rows } = await this.db.write(Q.acknowledge, { id, decision, at: this.now().toISOString(), by });
    const row = rows[0];
    if (!row) throw new NbgError(ErrorCode.NOT_FOUND, `recommendation ${id} does not exist`);
    return fromNode(row.rec as Props);
  }

  async recordEvent(e: {
    id?: string | null;
    clientId: string;
    type: string;
    productId?: string | null;
    at?: string | null;
    sessionId?: string | null;
    page?: string | null;
  }) {
    await this.requireClient(e.clientId);
    const id = e.id ?? `ev-${randomUUID()}`;
    const at = e.at ?? this.now().toISOString();
    await this.db.write(Q.event, {
      id,
      clientId: e.clientId,
      productId: e.productId ?? null,
      props: { at, type: e.type, sessionId: e.sessionId ?? id, page: e.page ?? null },
    });
    return { id, clientId: e.clientId, type: e.type, productId: e.productId ?? null, at };
  }

  async recordSolicitationOutcome(s: {
    id?: string | null;
    clientId: string;
    productId: string;
    channel: string;
    outcome: string;
    sentAt?: string | null;
    outcomeAt?: string | null;
  }): Promise<Solicitation> {
    await this.requireClient(s.clientId);
    const id = s.id ?? `sol-${randomUUID()}`;
    const now = this.now().toISOString();
    const sentAt = s.sentAt ?? now;
    const outcomeAt = s.outcomeAt ?? (s.outcome === 'no_response' ? null : now);
    const { rows } = await this.db.write(Q.solicitation, {
      id,
      clientId: s.clientId,
      productId: s.productId,
      channelId: s.channel,
      props: { sentAt, outcome: s.outcome, outcomeAt, loggingPropensity: null },
    });
    if (rows.length === 0)
      throw new NbgError(
        ErrorCode.NOT_FOUND,
        `product ${s.productId} or channel ${s.channel} does not exist`,
      );
    return {
      id,
      clientId: s.clientId,
      productId: s.productId,
      channel: s.channel,
      outcome: s.outcome,
      sentAt,
      outcomeAt,
    };
  }

  async setConsent(clientId: string, channel: string, status: string) {
    await this.requireClient(clientId);
    const at = this.now().toISOString();
    const { rows } = await this.db.write(Q.consent, { clientId, channelId: channel, status, at });
    if (rows.length === 0) throw new NbgError(ErrorCode.NOT_FOUND, `channel ${channel} does not exist`);
    return { clientId, channel, status, at };
  }
}

function parse<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  return JSON.parse(v) as T;
}

/** A stored :Recommendation back to its served shape (JSON properties parsed). */
function fromNode(p: Props): Recommendation {
  return {
    id: String(p.id),
    clientId: String(p.clientId),
    productId: str(p.productId),
    channel: str(p.channel),
    action: String(p.action ?? 'contact'),
    rank: num(p.rank),
    suggestedMoment: str(p.suggestedMoment),
    modelVersion: String(p.modelVersion ?? 'unknown'),
    servedAt: String(p.servedAt),
    shownPropensity: num(p.shownPropensity),
    scores: parse(p.scores, zeroScores()),
    checks: parse(p.checks, []),
    paths: parse(p.paths, []),
    inputs: String(p.inputs ?? '{}'),
    decision: str(p.decision),
    decidedAt: str(p.decidedAt),
  };
}
