import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { Recommendation, Solicitation } from './api-types.js';
import type { ClientReads } from './client-reads.js';
import { fromRecommendationNode } from './recommendation-node.js';
import type { RecommendationStore } from './recommendation-store.js';

const Q = {
  acknowledge: query('write/api-acknowledge'),
  event: query('write/api-event'),
  solicitation: query('write/api-solicitation-outcome'),
  consent: query('write/api-consent'),
};

/** An event of a client's journey as recordEvent takes it (absent fields get defaults). */
export interface EventInput {
  id?: string | null;
  clientId: string;
  type: string;
  productId?: string | null;
  at?: string | null;
  sessionId?: string | null;
  page?: string | null;
}

/** A solicitation and its outcome as recordSolicitationOutcome takes it. */
export interface SolicitationInput {
  id?: string | null;
  clientId: string;
  productId: string;
  channel: string;
  outcome: string;
  sentAt?: string | null;
  outcomeAt?: string | null;
}

/** The API's writes, each one named statement, dated by the service's clock when the caller gives no date. */
export class Mutations {
  constructor(
    private readonly db: Db,
    private readonly store: RecommendationStore,
    private readonly clients: ClientReads,
    private readonly now: () => Date,
  ) {}

  /** An advisor's decision on a served recommendation (waits for the row's write when still queued). */
  async acknowledge(id: string, decision: string, by: string): Promise<Recommendation> {
    await this.store.stored(id);
    const { rows } = await this.db.write(Q.acknowledge, { id, decision, at: this.now().toISOString(), by });
    const row = rows[0];
    if (!row) throw new NbgError(ErrorCode.NOT_FOUND, `recommendation ${id} does not exist`);
    return fromRecommendationNode(row.rec as Record<string, unknown>);
  }

  async recordEvent(e: EventInput) {
    await this.clients.requireClient(e.clientId);
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

  async recordSolicitationOutcome(s: SolicitationInput): Promise<Solicitation> {
    await this.clients.requireClient(s.clientId);
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
    await this.clients.requireClient(clientId);
    const at = this.now().toISOString();
    const { rows } = await this.db.write(Q.consent, { clientId, channelId: channel, status, at });
    if (rows.length === 0) throw new NbgError(ErrorCode.NOT_FOUND, `channel ${channel} does not exist`);
    return { clientId, channel, status, at };
  }
}
