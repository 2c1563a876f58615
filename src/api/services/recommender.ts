import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Logger } from 'pino';
import type { RankedAction } from '../../allocate/real-time/rank-actions.js';
import {
  type ClientRecommendation,
  recommendForClient,
} from '../../allocate/real-time/recommend-for-client.js';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import type { ClientId } from '../../domain/ids.js';
import { DAY_MS } from '../../domain/time.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { ApiRuleCheck, GraphPath, Recommendation, Scores } from './api-types.js';
import type { Catalog, CatalogCache } from './catalog-cache.js';
import { ExplanationPathReader } from './explanation-paths.js';
import type { Authorize, Neo4jClientStateReader } from './neo4j-client-state-reader.js';
import { toRecommendationProps, zeroScores } from './recommendation-node.js';
import type { RecommendationStore } from './recommendation-store.js';

const exampleClients = query('read/api-example-clients');

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
  /**
   * The explanation paths precomputed with the client's values (`nbg score`), by product id, when
   * the client is served from them; the products missing there are read live.
   */
  readonly storedPaths?: (client: ClientState) => ReadonlyMap<string, GraphPath[]> | undefined;
}

/**
 * The API's real-time recommendations, the one way nbg ranks a client's actions: the catalogue and
 * policy come from a cache; src/allocate's recommendForClient reads the client's live state through
 * the Neo4j reader (its ClientStateReader port; the same read shows the advisor to the access
 * check), scores every (product, channel) through the ActionValueSource and checks every rule of
 * src/constraints. The best action per product is kept, best first, up to `limit`; when none is
 * allowed and worth it, one 'no_contact' row carries the ranking's reason and the failed checks.
 * Each served product carries 2 to 4 explanation paths, precomputed with the values (`nbg score`)
 * or, for a product missing there, read live; the rows are queued for the RecommendationStore, not
 * awaited.
 */
export class Recommender {
  private readonly paths: ExplanationPathReader;

  constructor(private readonly deps: RecommenderDeps) {
    this.paths = new ExplanationPathReader(deps.db);
  }

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
    const ranking = await this.rank(clientId, catalog, channels, nowMs, authorize);
    const { state: client, planned } = ranking.reading;
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
      plannedContacts: planned?.total ?? 0,
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
      const paths = await this.pathsOf(client, chosen);
      const productById = new Map(catalog.products.map((p) => [p.id, p]));
      for (const [i, a] of chosen.entries()) {
        const product = productById.get(a.product) as ProductInfo;
        const channel = catalog.channelById.get(a.channel) as ChannelInfo;
        const r = row(base, i + 1, a.product, a.channel, this.scores(client, product, channel, a.value), [
          ...a.checks,
        ]);
        r.paths = [...(paths.get(a.product) ?? [])];
        out.push(r);
      }
    }
    deps.store
      .add(
        out.map((r) => ({
          id: r.id,
          clientId,
          modelKind: deps.modelKind,
          props: toRecommendationProps(r),
        })),
      )
      .catch((e: unknown) => deps.log.error({ err: e }, 'api: storing served recommendations failed'));
    return out;
  }

  /** The chosen products' paths: the stored ones, and a live read for the products missing there. */
  private async pathsOf(
    client: ClientState,
    chosen: readonly RankedAction[],
  ): Promise<ReadonlyMap<string, readonly GraphPath[]>> {
    const stored = this.deps.storedPaths?.(client);
    const missing = chosen.map((a) => a.product).filter((p) => !stored?.has(p));
    if (missing.length === 0 && stored !== undefined) return stored;
    const live = await this.paths.read(client.id, missing);
    for (const [p, list] of stored ?? []) live.set(p, list);
    return live;
  }

  /**
   * The first client, in id order among the first `limit`, who would be offered a contact now
   * (nothing is served or stored); undefined when none is. `nbg serve --example-client auto`.
   */
  async exampleClient(limit = 200): Promise<string | undefined> {
    const rows = await this.deps.db.read<{ clientId: string }>(exampleClients, { limit: neo4j.int(limit) });
    for (const { clientId } of rows) if (await this.wouldContact(clientId)) return clientId;
    return undefined;
  }

  /**
   * Whether the client would be offered at least one contact now, computed as recommend() does
   * (same values, same rules) but nothing is served, stored or explained: for picking a demo client.
   */
  async wouldContact(clientId: string): Promise<boolean> {
    const catalog = await this.deps.catalog.get();
    const ranking = await this.rank(clientId, catalog, catalog.channels, this.deps.now().getTime(), () => {});
    return ranking.actions.length > 0;
  }

  /**
   * src/allocate's ranking of the client's actions on one graph read, which gives the live state
   * and the planned contacts (accepted suggestions not yet sent) for the contact pressure rule.
   */
  private rank(
    clientId: string,
    catalog: Catalog,
    channels: readonly ChannelInfo[],
    now: number,
    authorize: Authorize,
  ): Promise<ClientRecommendation> {
    return recommendForClient({
      reader: this.deps.reader.forCaller(authorize),
      values: this.deps.values,
      products: catalog.products,
      channels,
      policy: catalog.policy,
      clientId: clientId as ClientId,
      now,
    });
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
