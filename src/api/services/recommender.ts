import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Logger } from 'pino';
import type { ActionValueSource } from '../../allocate/action-value-source.js';
import type { ClientStateReader } from '../../allocate/client-state-reader.js';
import type { ClientRanking, RankedAction } from '../../allocate/rank-actions.js';
import { recommendForClient } from '../../allocate/recommend-for-client.js';
import {
  type ChannelInfo,
  type ClientState,
  NO_PLANNED_CONTACTS,
  type ProductInfo,
} from '../../constraints/client-state.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import type { ClientId } from '../../domain/ids.js';
import { DAY_MS } from '../../domain/time.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type {
  ApiRuleCheck,
  GraphNode,
  GraphPath,
  GraphRelationship,
  Recommendation,
  Scores,
} from './api-types.js';
import type { Catalog, CatalogCache } from './catalog-cache.js';
import type { LiveClient, Neo4jClientStateReader } from './neo4j-client-state-reader.js';
import type { RecommendationStore } from './recommendation-store.js';

const explanationPaths = query('read/api-explanation-paths');

/** Failed checks listed at most on a 'no contact' row. */
const MAX_NO_CONTACT_CHECKS = 20;

export interface RecommenderDeps {
  readonly db: Db;
  readonly reader: Neo4jClientStateReader;
  readonly catalog: CatalogCache;
  readonly values: ActionValueSource;
  /** 'trained' or 'stand-in', on the :Model node. */
  readonly modelKind: string;
  readonly store: RecommendationStore;
  readonly log: Logger;
  readonly now: () => Date;
}

/** Called with the client's advisor before anything is computed; throws to refuse the caller. */
export type Authorize = (advisorId: string | null) => void;

export function zeroScores(): Scores {
  return { propensity: 0, exposureCorrection: 1, uplift: 0, margin: 0, cost: 0, fatigue: 0, value: 0 };
}

/**
 * The API's real-time recommendations, the one way nbg ranks a client's actions: the catalogue and
 * policy come from a cache, the client's live state from one graph read (which also gives the
 * advisor for the access check), then src/allocate's recommendForClient scores every (product,
 * channel) through the ActionValueSource and checks every rule of src/constraints. The best action
 * per product is kept, best first, up to `limit`; when none is allowed and worth it, one
 * 'no_contact' row carries the ranking's reason and the failed checks. One more read gives 2 to 4
 * explanation paths per served product; the rows are queued for the RecommendationStore, not
 * awaited.
 */
export class Recommender {
  constructor(private readonly deps: RecommenderDeps) {}

  async recommend(
    clientId: string,
    channelId: string | undefined,
    limit: number,
    authorize: Authorize,
  ): Promise<Recommendation[]> {
    const { deps } = this;
    const catalog = await deps.catalog.get();
    let channels: readonly ChannelInfo[] = catalog.channels;
    if (channelId !== undefined) {
      const one = catalog.channelById.get(channelId);
      if (one === undefined) {
        throw new NbgError(
          ErrorCode.NOT_FOUND,
          `channel ${channelId} does not exist (known: ${[...catalog.channelById.keys()].join(', ')})`,
        );
      }
      channels = [one];
    }
    deps.store.admit(limit);
    const now = deps.now();
    const nowMs = now.getTime();
    const { ranking, live } = await this.rank(clientId, catalog, channels, nowMs, authorize);
    const { state: client, planned } = live;
    const chosen: RankedAction[] = [];
    const seen = new Set<string>();
    for (const a of ranking.actions) {
      if (chosen.length >= limit) break;
      if (seen.has(a.product)) continue;
      seen.add(a.product);
      chosen.push(a);
    }
    const servedAt = now.toISOString();
    const inputs = JSON.stringify({
      clientId,
      channel: channelId ?? null,
      limit,
      now: servedAt,
      policyVersion: catalog.policyVersion,
      valueSource: deps.values.name,
      heldProducts: [...client.heldProducts].sort(),
      consents: Object.fromEntries([...client.consents].sort()),
      contactsInWindow: client.pastContacts.length,
      plannedContacts: planned.total,
      refusals: Object.fromEntries([...client.lastRefusalAt].map(([p, t]) => [p, new Date(t).toISOString()])),
    });
    const base = { clientId, servedAt, inputs, modelVersion: deps.values.modelVersion };
    const out: Recommendation[] = [];
    if (chosen.length === 0) {
      const failed = new Map<string, ApiRuleCheck>();
      for (const x of ranking.excluded)
        for (const k of x.checks)
          if (!k.passed && failed.size < MAX_NO_CONTACT_CHECKS) failed.set(`${k.rule}|${k.reason}`, k);
      out.push(
        row(base, 1, null, null, zeroScores(), [
          { rule: 'no-contact', passed: false, reason: ranking.reason },
          ...failed.values(),
        ]),
      );
    } else {
      const paths = await this.paths(
        clientId,
        chosen.map((a) => a.product),
      );
      const productById = new Map(catalog.products.map((p) => [p.id, p]));
      for (const [i, a] of chosen.entries()) {
        const product = productById.get(a.product) as ProductInfo;
        const channel = catalog.channelById.get(a.channel) as ChannelInfo;
        const r = row(base, i + 1, a.product, a.channel, this.scores(client, product, channel, a.value), [
          ...a.checks,
        ]);
        r.paths = paths.get(a.product) ?? [];
        out.push(r);
      }
    }
    deps.store
      .add(
        out.map((r) => ({
          id: r.id,
          clientId,
          modelKind: deps.modelKind,
          props: toProps(r),
        })),
      )
      .catch((e: unknown) => deps.log.error({ err: e }, 'api: storing served recommendations failed'));
    return out;
  }

  /**
   * Whether the client would be offered at least one contact now, computed as recommend() does
   * (same values, same rules) but nothing is served, stored or explained: for picking a demo client.
   */
  async wouldContact(clientId: string): Promise<boolean> {
    const catalog = await this.deps.catalog.get();
    const { ranking } = await this.rank(
      clientId,
      catalog,
      catalog.channels,
      this.deps.now().getTime(),
      () => {},
    );
    return ranking.actions.length > 0;
  }

  /**
   * src/allocate's ranking of the client's actions on one graph read, which gives the live state
   * and the planned contacts (accepted suggestions not yet sent) for the contact pressure rule.
   */
  private async rank(
    clientId: string,
    catalog: Catalog,
    channels: readonly ChannelInfo[],
    now: number,
    authorize: Authorize,
  ): Promise<{ ranking: ClientRanking; live: LiveClient }> {
    let live: LiveClient | undefined;
    const reader: ClientStateReader = {
      readClientState: async (id: ClientId, at: number, windowDays: number) => {
        live = await this.deps.reader.readLive(id, at, windowDays, authorize);
        return live?.state;
      },
      plannedContacts: async () => live?.planned ?? NO_PLANNED_CONTACTS,
    };
    const ranking = await recommendForClient({
      reader,
      values: this.deps.values,
      products: catalog.products,
      channels,
      policy: catalog.policy,
      clientId: clientId as ClientId,
      now,
    });
    // recommendForClient throws NOT_FOUND before ranking when the read found no client
    return { ranking, live: live as LiveClient };
  }

  /** The value source's decomposition of one action, with the ranked value. */
  private scores(client: ClientState, product: ProductInfo, channel: ChannelInfo, value: number): Scores {
    const parts = this.deps.values.parts?.(client, product, channel);
    if (parts === undefined) {
      return { ...zeroScores(), margin: product.unitValue, cost: channel.costPerContact, value };
    }
    return {
      propensity: parts.propensity ?? parts.uplift,
      exposureCorrection: parts.exposureCorrection ?? 1,
      uplift: parts.uplift,
      margin: parts.margin,
      cost: parts.cost,
      fatigue: parts.fatigue,
      value,
    };
  }

  /** Explanation paths of every served product in one read, grouped by product. */
  private async paths(clientId: string, productIds: readonly string[]): Promise<Map<string, GraphPath[]>> {
    const rows = await this.deps.db.read(explanationPaths, { clientId, productIds });
    const out = new Map<string, GraphPath[]>();
    for (const r of rows) {
      const list = out.get(String(r.productId)) ?? [];
      list.push({
        kind: String(r.kind),
        nodes: r.nodes as GraphNode[],
        relationships: r.rels as GraphRelationship[],
      });
      out.set(String(r.productId), list);
    }
    return out;
  }
}

function row(
  base: { clientId: string; servedAt: string; inputs: string; modelVersion: string },
  rank: number,
  productId: string | null,
  channel: string | null,
  scores: Scores,
  checks: ApiRuleCheck[],
): Recommendation {
  const moment = new Date(Date.parse(base.servedAt) + DAY_MS);
  moment.setUTCHours(10, 0, 0, 0);
  return {
    ...base,
    id: `rec-${randomUUID()}`,
    productId,
    channel,
    action: productId ? 'contact' : 'no_contact',
    rank,
    suggestedMoment: productId ? moment.toISOString() : null,
    shownPropensity: productId ? 1 : 0,
    scores,
    checks,
    paths: [],
    decision: null,
    decidedAt: null,
  };
}

/** The :Recommendation properties of a served row (lists and maps as JSON text). */
function toProps(r: Recommendation): Record<string, unknown> {
  return {
    kind: 'api',
    clientId: r.clientId,
    productId: r.productId,
    channel: r.channel,
    action: r.action,
    rank: neo4j.int(r.rank),
    suggestedMoment: r.suggestedMoment,
    modelVersion: r.modelVersion,
    servedAt: r.servedAt,
    shownPropensity: r.shownPropensity,
    scores: JSON.stringify(r.scores),
    checks: JSON.stringify(r.checks),
    paths: JSON.stringify(r.paths),
    inputs: r.inputs,
  };
}
