import { z } from 'zod';
import type { ClientStateReader } from '../../allocate/client-state-reader.js';
import type { ClientState, PastContact, PlannedContacts } from '../../constraints/client-state.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { CONSENT_STATUSES, type ConsentStatus, RISK_PROFILES, SEGMENTS } from '../../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../../domain/ids.js';
import { DAY_MS } from '../../domain/time.js';
import { ErrorCode, NbgError } from '../../errors.js';

const clientState = query('read/api-client-state');

/** The graph's client properties the rules read, parsed once at the edge. */
const profileSchema = z.object({
  birthYear: z.number().int(),
  segment: z.enum(SEGMENTS),
  riskProfile: z
    .enum(RISK_PROFILES)
    .nullish()
    .transform((v) => v ?? 'unknown'),
  financiallyFragile: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
const consentStatus = z.enum(CONSENT_STATUSES);

export interface StateRow {
  client: Record<string, unknown>;
  advisorId: string | null;
  holdings: { productId: string | null; openedAt: string | null; closedAt: string | null }[];
  consents: { channel: string | null; status: string | null }[];
  solicitations: {
    channel: string | null;
    productId: string | null;
    sentAt: string | null;
    outcome: string | null;
    outcomeAt: string | null;
  }[];
  /** Accepted recommendations (PLANNED_FOR); absent in rows of older callers. */
  planned?: { channel: string | null; productId: string | null; decidedAt: string | null }[];
}

/** A client's live state, the advisor who manages them (null when none) and their planned contacts. */
export interface LiveClient {
  readonly state: ClientState;
  readonly advisorId: string | null;
  /**
   * Contacts accepted by an advisor (acknowledgeRecommendation) in the pressure window and not yet
   * followed by a solicitation through the same channel about the same product, sent on or after
   * the decision's day: the contact pressure rule counts them beside the past contacts.
   */
  readonly planned: PlannedContacts;
}

/** Epoch ms of a graph date ('YYYY-MM-DD', UTC midnight) or instant (ISO-8601). */
function epoch(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}

/**
 * The ClientStateReader of the knowledge graph: one named read (read/api-client-state) per client
 * returns the profile, the advisor, the holdings, the consents and every solicitation; the state at
 * `now` keeps, as the dataset reader does, the holdings open at `now` (opened ≤ now < closed), the
 * consent in force per channel (the graph keeps the latest), the contacts sent in
 * (now − windowDays, now], and per product the latest refusal, dated min(now, outcomeAt) or sentAt.
 */
export class Neo4jClientStateReader implements ClientStateReader {
  constructor(private readonly db: Db) {}

  async readClientState(
    clientId: ClientId,
    now: number,
    windowDays: number,
  ): Promise<ClientState | undefined> {
    return (await this.readLive(clientId, now, windowDays))?.state;
  }

  /**
   * The state and the managing advisor in the same round trip; `authorize` sees the advisor before
   * anything else is done with the row (the API's access check).
   */
  async readLive(
    clientId: string,
    now: number,
    windowDays: number,
    authorize: (advisorId: string | null) => void = () => {},
  ): Promise<LiveClient | undefined> {
    const [row] = await this.db.read<Record<string, unknown>>(clientState, { id: clientId });
    if (row === undefined) return undefined;
    const r = row as unknown as StateRow;
    authorize(r.advisorId);
    return toLiveClient(clientId, r, now, windowDays);
  }
}

/** The row of read/api-client-state as the rules' ClientState at `now` (pure; exported for tests). */
export function toLiveClient(clientId: string, row: StateRow, now: number, windowDays: number): LiveClient {
  const parsed = profileSchema.safeParse(row.client);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NbgError(
      ErrorCode.INTERNAL,
      `api/client-state: client ${clientId} has a bad ${String(issue?.path[0] ?? 'property')} in the graph: ${issue?.message ?? 'invalid'}`,
    );
  }
  const heldProducts = new Set<ProductId>();
  for (const h of row.holdings) {
    if (h.productId === null || h.openedAt === null) continue;
    if (epoch(h.openedAt) <= now && (h.closedAt === null || epoch(h.closedAt) > now)) {
      heldProducts.add(h.productId as ProductId);
    }
  }
  const consents = new Map<ChannelId, ConsentStatus>();
  for (const k of row.consents) {
    const status = consentStatus.safeParse(k.status);
    if (k.channel !== null && status.success) consents.set(k.channel as ChannelId, status.data);
  }
  const from = now - windowDays * DAY_MS;
  const pastContacts: PastContact[] = [];
  const lastRefusalAt = new Map<ProductId, number>();
  for (const s of row.solicitations) {
    if (s.sentAt === null || s.channel === null) continue;
    const at = epoch(s.sentAt);
    if (at > now) continue;
    if (at > from) pastContacts.push({ at, channel: s.channel as ChannelId });
    if (s.outcome === 'refused' && s.productId !== null) {
      const when = s.outcomeAt === null ? at : Math.min(now, epoch(s.outcomeAt));
      const product = s.productId as ProductId;
      if (when > (lastRefusalAt.get(product) ?? Number.NEGATIVE_INFINITY)) lastRefusalAt.set(product, when);
    }
  }
  const perChannel = new Map<ChannelId, number>();
  let plannedTotal = 0;
  for (const p of row.planned ?? []) {
    if (p.channel === null || p.decidedAt === null) continue;
    const at = epoch(p.decidedAt);
    if (!(at > from && at <= now)) continue;
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    const sent = row.solicitations.some(
      (s) =>
        s.channel === p.channel && s.productId === p.productId && s.sentAt !== null && epoch(s.sentAt) >= day,
    );
    if (sent) continue;
    plannedTotal++;
    perChannel.set(p.channel as ChannelId, (perChannel.get(p.channel as ChannelId) ?? 0) + 1);
  }
  return {
    advisorId: row.advisorId,
    planned: { total: plannedTotal, perChannel },
    state: {
      id: clientId as ClientId,
      ...parsed.data,
      heldProducts,
      consents,
      pastContacts,
      lastRefusalAt,
    },
  };
}
