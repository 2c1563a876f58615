import neo4j from 'neo4j-driver';
import type { JourneyEventType, ProjectionRow, SolicitationOutcome } from '../../graph/index.js';
import type { Db } from '../db/executor.js';
import { query } from '../db/queries.js';

const clientPage = query('read/analyze-client-page');
const catalog = query('read/analyze-catalog');

/** Product and channel ids, sorted. */
export async function readCatalog(db: Db): Promise<{ products: string[]; channels: string[] }> {
  const [row] = await db.read<{ products: string[]; channels: string[] }>(catalog);
  return { products: [...(row?.products ?? [])].sort(), channels: [...(row?.channels ?? [])].sort() };
}

const byFirst = (a: readonly (string | null)[], b: readonly (string | null)[]): number => {
  const x = a.join('\u0000');
  const y = b.join('\u0000');
  return x < y ? -1 : x > y ? 1 : 0;
};

interface ClientPageRow {
  readonly id: string;
  readonly segment: string;
  readonly birthYear: number;
  readonly incomeBand: number;
  readonly riskProfile: string;
  readonly fragile: boolean;
  readonly holdings: readonly [string, string | null][];
  readonly journeys: readonly [string, string][];
  readonly solicitations: readonly [string, string | null, string | null][];
}

/** What a client looks like to the analysis, besides its edges: for the communities' profiles. */
export interface ClientProfile {
  readonly id: string;
  readonly segment: string;
  readonly holdings: readonly string[];
}

/**
 * Streams the client projection out of Neo4j in pages of `pageSize` clients (keyset pagination on
 * the unique id index, so every page is an index range scan): profile attributes, holdings,
 * journey events about products and solicitations, as graph/ projection rows. `onClient` sees each
 * client's profile (for naming communities afterwards). Each client's lists are sorted, so that the
 * rows, and everything seeded downstream, do not depend on the store's relationship order.
 */
export async function* readProjection(
  db: Db,
  options: { pageSize?: number; onClient?: (c: ClientProfile) => void } = {},
): AsyncGenerator<ProjectionRow[]> {
  const pageSize = options.pageSize ?? 5_000;
  let after = '';
  for (;;) {
    const page = await db.read<ClientPageRow & Record<string, unknown>>(clientPage, {
      after,
      limit: neo4j.int(pageSize),
    });
    if (page.length === 0) return;
    const rows: ProjectionRow[] = [];
    for (const c of page) {
      rows.push({
        source: 'profile',
        clientId: c.id,
        attributes: [
          `segment=${c.segment}`,
          `birth=${Math.floor(Number(c.birthYear) / 5) * 5}`,
          `income=${c.incomeBand}`,
          `risk=${c.riskProfile}`,
          `fragile=${c.fragile}`,
        ],
      });
      for (const [productId, closedAt] of [...c.holdings].sort(byFirst))
        rows.push({ source: 'holdings', clientId: c.id, productId, closedAt });
      for (const [productId, type] of [...c.journeys].sort(byFirst)) {
        rows.push({ source: 'journeys', clientId: c.id, productId, type: type as JourneyEventType });
      }
      for (const [outcome, productId, channelId] of [...c.solicitations].sort(byFirst)) {
        if (productId && channelId) {
          rows.push({
            source: 'solicitations',
            clientId: c.id,
            productId,
            channelId,
            outcome: outcome as SolicitationOutcome,
          });
        }
      }
      options.onClient?.({
        id: c.id,
        segment: c.segment,
        holdings: c.holdings.filter(([, closed]) => !closed).map(([p]) => p),
      });
    }
    yield rows;
    after = page[page.length - 1]!.id;
    if (page.length < pageSize) return;
  }
}
