import { z } from 'zod';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import { PRODUCT_FAMILIES, RISK_PROFILES } from '../../domain/enums.js';
import type { ChannelId, ProductId } from '../../domain/ids.js';
import type { Policy } from '../../domain/policy.js';
import { parsePolicy } from '../../domain/policy-file.js';
import { ErrorCode, NbgError } from '../../errors.js';

const Q = {
  products: query('read/api-catalog'),
  channels: query('read/api-channels'),
  policy: query('read/api-policy'),
};

/**
 * The policy the API applies when the graph holds none (no policy.json was ingested): the
 * per-client rules with the values of the simulated bank's policy, and no global constraint
 * (capacities, quotas and budgets belong to `nbg plan`).
 */
export const API_POLICY_DEFAULTS: Policy = {
  horizonDays: 30,
  maxContactsPerClient: 4,
  cooldownDaysAfterRefusal: 90,
  noCreditOffersToFragileClients: true,
  suitability: true,
};

export interface CatalogOptions {
  /** Seconds a read catalogue is served before it is read again (in the background). */
  readonly ttlSeconds: number;
  /** Used when the graph stores no policy. */
  readonly fallbackPolicy: Policy;
}
export const CATALOG_DEFAULTS: CatalogOptions = { ttlSeconds: 60, fallbackPolicy: API_POLICY_DEFAULTS };

/** What every recommendation needs and rarely changes: products, channels and the contact policy. */
export interface Catalog {
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly channelById: ReadonlyMap<string, ChannelInfo>;
  readonly policy: Policy;
  /** The stored policy's version, or 'default' for API_POLICY_DEFAULTS. */
  readonly policyVersion: string;
}

const num = z.number();
const optionalInt = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? undefined);
const productSchema = z.object({
  id: z.string().min(1),
  family: z.enum(PRODUCT_FAMILIES),
  isCredit: z.boolean(),
  minAge: optionalInt,
  maxAge: optionalInt,
  requiredRiskProfile: z
    .enum(RISK_PROFILES)
    .nullish()
    .transform((v) => v ?? undefined),
  unitValue: num,
});
const channelSchema = z.object({
  id: z.string().min(1),
  costPerContact: num,
  dailyCapacity: optionalInt,
});

function parseRows<T>(what: string, schema: z.ZodType<T>, rows: readonly Record<string, unknown>[]): T[] {
  return rows.map((r) => {
    const p = schema.safeParse(r);
    if (!p.success) {
      const issue = p.error.issues[0];
      throw new NbgError(
        ErrorCode.INTERNAL,
        `api/catalog: ${what} ${String(r.id)} has a bad ${String(issue?.path[0] ?? 'property')} in the graph: ${issue?.message ?? 'invalid'}`,
      );
    }
    return p.data;
  });
}

/**
 * The catalogue read from the graph (three named reads) and kept for `ttlSeconds`: a request that
 * finds it stale gets the cached one while a single refresh runs in the background, so the
 * recommendation path reads it from memory.
 */
export class CatalogCache {
  private current: Catalog | undefined;
  private readAt = 0;
  private loading: Promise<Catalog> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: CatalogOptions = CATALOG_DEFAULTS,
  ) {}

  async get(): Promise<Catalog> {
    const stale = Date.now() - this.readAt > this.options.ttlSeconds * 1000;
    if (this.current !== undefined) {
      if (stale && this.loading === undefined) void this.refresh().catch(() => undefined);
      return this.current;
    }
    return this.refresh();
  }

  /** Reads the catalogue now (one read in flight at a time). */
  refresh(): Promise<Catalog> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<Catalog> {
    const [productRows, channelRows, policyRows] = await Promise.all([
      this.db.read(Q.products),
      this.db.read(Q.channels),
      this.db.read(Q.policy),
    ]);
    const products: ProductInfo[] = parseRows('product', productSchema, productRows).map((p) => ({
      ...p,
      id: p.id as ProductId,
    }));
    const channels: ChannelInfo[] = parseRows('channel', channelSchema, channelRows).map((c) => ({
      ...c,
      id: c.id as ChannelId,
    }));
    const stored = policyRows[0];
    const policy =
      stored && typeof stored.json === 'string'
        ? parsePolicy(stored.json, `(:Policy {version: '${String(stored.version)}'})`)
        : this.options.fallbackPolicy;
    const catalog: Catalog = {
      products,
      channels,
      channelById: new Map(channels.map((c) => [c.id, c])),
      policy,
      policyVersion: stored ? String(stored.version) : 'default',
    };
    this.current = catalog;
    this.readAt = Date.now();
    return catalog;
  }
}
