import neo4j from 'neo4j-driver';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { ClientProfile, Solicitation } from './api-types.js';
import { numberOf, textOrNull } from './property-values.js';

const Q = {
  client: query('read/api-client'),
  holdings: query('read/api-client-holdings'),
  consents: query('read/api-client-consents'),
  solicitations: query('read/api-client-solicitations'),
};

/** The API's reads about one client (profile, holdings, consents, solicitations), one named query each. */
export class ClientReads {
  constructor(private readonly db: Db) {}

  async client(id: string): Promise<ClientProfile | null> {
    const [row] = await this.db.read(Q.client, { id });
    if (!row) return null;
    const c = row.client as Record<string, unknown>;
    return {
      id,
      segment: textOrNull(c.segment),
      region: textOrNull(c.region),
      birthYear: c.birthYear === undefined || c.birthYear === null ? null : numberOf(c.birthYear),
      riskProfile: textOrNull(c.riskProfile),
      financiallyFragile: typeof c.financiallyFragile === 'boolean' ? c.financiallyFragile : null,
      advisorId: textOrNull(row.advisorId),
      communityId: textOrNull(row.communityId),
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
      openedAt: textOrNull(r.openedAt),
      closedAt: textOrNull(r.closedAt),
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
      outcomeAt: textOrNull(r.outcomeAt),
    }));
  }
}
