import type { Logger } from 'pino';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import type { Db } from '../../db/executor.js';
import { Audit } from './audit.js';
import { CATALOG_DEFAULTS, CatalogCache, type CatalogOptions } from './catalog-cache.js';
import { ClientReads } from './client-reads.js';
import { Exploration } from './exploration.js';
import { Mutations } from './mutations.js';
import { Neo4jClientStateReader } from './neo4j-client-state-reader.js';
import { PrecomputedValueSource } from './precomputed-values.js';
import {
  RECOMMENDATION_STORE_DEFAULTS,
  RecommendationStore,
  type RecommendationStoreOptions,
} from './recommendation-store.js';
import { Recommender } from './recommender.js';

/** What the API's services need: the database, where action values come from, and the clock. */
export interface ApiServicesOptions {
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

/**
 * The API's services by concern, each reading and writing through named queries; resolvers stay
 * thin and call one of them. `close` writes what is still queued (served recommendations).
 */
export interface ApiServices {
  readonly recommendations: Recommender;
  readonly clients: ClientReads;
  readonly exploration: Exploration;
  readonly audit: Audit;
  readonly mutations: Mutations;
  close(): Promise<void>;
}

export function createApiServices(options: ApiServicesOptions): ApiServices {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const store = new RecommendationStore(db, options.log, options.store ?? RECOMMENDATION_STORE_DEFAULTS);
  const clients = new ClientReads(db);
  const precomputed = options.values instanceof PrecomputedValueSource ? options.values : undefined;
  return {
    recommendations: new Recommender({
      db,
      reader: new Neo4jClientStateReader(db, undefined, precomputed),
      catalog: new CatalogCache(db, options.catalog ?? CATALOG_DEFAULTS),
      values: options.values,
      modelKind: options.modelKind,
      store,
      log: options.log,
      now,
      ...(precomputed ? { storedPaths: (client) => precomputed.storedPaths(client) } : {}),
    }),
    clients,
    exploration: new Exploration(db, clients),
    audit: new Audit(db, store),
    mutations: new Mutations(db, store, clients, now),
    close: () => store.close(),
  };
}
