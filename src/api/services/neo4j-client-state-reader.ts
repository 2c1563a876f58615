import { z } from 'zod';
import type { ClientReading, ClientStateReader } from '../../allocate/real-time/client-state-reader.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ReadBatcher } from '../../db/read-batcher.js';
import {
  type ClientRecords,
  type ClientState,
  type ConsentRecord,
  clientStateAt,
  type PlannedContacts,
  type SolicitationRecord,
} from '../../domain/client-state.js';
import { CONSENT_STATUSES, OUTCOMES, RISK_PROFILES, SEGMENTS } from '../../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../../domain/ids.js';
import { DAY_MS } from '../../domain/time.js';
import { ErrorCode, NbgError } from '../../errors.js';

const clientStates = query('read/api-client-states');

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
const outcome = z.enum(OUTCOMES);

/** A client's ScoreSet as read/api-client-states returns it (null when the client has none). */
export interface StoredScores {
  readonly asOf: string;
  readonly value: readonly number[];
  readonly uplift: readonly number[];
  readonly fatigue: readonly number[];
  readonly propensity: readonly number[];
  readonly exposureCorrection: readonly number[];
  /** The explanation paths of the products the client could be served (encodeClientPaths), null when none were stored. */
  readonly paths?: string | null;
}

/** One row of read/api-client-states (OPTIONAL MATCHes without a match collect maps of nulls). */
export interface StateRow {
  client: Record<string, unknown>;
  advisorId: string | null;
  holdings: { productId: string | null; openedAt: string | null; closedAt: string | null }[];
  /**
   * The decision the graph keeps per channel (the latest) and its date, and every decision met at
   * ingest as `at|status` (absent on relationships written by hand or by setConsent alone).
   */
  consents: {
    channel: string | null;
    status: string | null;
    at?: string | null;
    history?: string[] | null;
  }[];
  solicitations: {
    channel: string | null;
    productId: string | null;
    sentAt: string | null;
    outcome: string | null;
    outcomeAt: string | null;
  }[];
  /** Accepted recommendations (PLANNED_FOR); absent in rows of older callers. */
  planned?: { channel: string | null; productId: string | null; decidedAt: string | null }[];
  /** The client's precomputed scores for the served model (`nbg score`), null when none. */
  scores?: StoredScores | null;
  /** The latest journey event and verbatim instants (read only for a trained model). */
  lastEventAt?: string | null;
  lastVerbatimAt?: string | null;
}

/** Takes the precomputed scores of the state's row (PrecomputedValueSource). */
export interface ScoreAttacher {
  /** The model whose ScoreSets the read returns. */
  readonly modelVersion: string;
  attach(state: ClientState, row: StateRow): void;
}

/** A client's live state, the advisor who manages them (null when none) and their planned contacts. */
export interface LiveClient extends ClientReading {
  readonly advisorId: string | null;
  /**
   * Contacts accepted by an advisor (acknowledgeRecommendation) in the pressure window and not yet
   * followed by a solicitation through the same channel about the same product, sent on or after
   * the decision's day: the contact pressure rule counts them beside the past contacts.
   */
  readonly planned: PlannedContacts;
}

/** Called with the client's advisor before anything is computed; throws to refuse the caller. */
export type Authorize = (advisorId: string | null) => void;

/** Epoch ms of a graph date ('YYYY-MM-DD', UTC midnight) or instant (ISO-8601). */
function epoch(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}

/**
 * The ClientStateReader of the knowledge graph: one named read (read/api-client-states) per client
 * returns the profile, the advisor, the holdings, the consents and the solicitations that can matter
 * at `now` (those of the pressure window, every refusal, those newer than the client's scores), turned into
 * the state at `now` by domain's clientStateAt, the derivation `nbg plan` applies to CSV files.
 * `forCaller` gives a reader that shows the advisor to an access check before anything else is
 * done with the row, in the same round trip. With a ScoreAttacher (the trained model's values) the
 * same read returns the client's precomputed scores, handed to it with the state.
 */
export class Neo4jClientStateReader implements ClientStateReader {
  /** Concurrent reads leave as one query (src/db/read-batcher.ts), shared by forCaller's readers. */
  readonly batcher: ReadBatcher;

  constructor(
    db: Db,
    private readonly authorize: Authorize = () => {},
    private readonly scores?: ScoreAttacher,
    batcher?: ReadBatcher,
  ) {
    this.batcher =
      batcher ??
      new ReadBatcher(db, clientStates, { params: { modelVersion: scores?.modelVersion ?? null } });
  }

  /** The same reader, checking the caller's access with the client's advisor first. */
  forCaller(authorize: Authorize): Neo4jClientStateReader {
    return new Neo4jClientStateReader(this.batcher.db, authorize, this.scores, this.batcher);
  }

  async readClientState(
    clientId: ClientId,
    now: number,
    windowDays: number,
  ): Promise<LiveClient | undefined> {
    const [row] = await this.batcher.load({ id: clientId, since: solicitationsSince(now, windowDays) });
    if (row === undefined) return undefined;
    const r = row as unknown as StateRow;
    this.authorize(r.advisorId);
    const live = toLiveClient(clientId, r, now, windowDays);
    this.scores?.attach(live.state, r);
    return live;
  }
}

/**
 * The day from which read/api-client-states returns every solicitation (before it, only refusals and
 * those on or after the client's scores): the start of the contact pressure window, a day early, so
 * that the planned contacts of the window (decided on a day, followed by a solicitation sent on or
 * after that day) are matched too. Exported for tests.
 */
export function solicitationsSince(now: number, windowDays: number): string {
  return new Date((Math.floor((now - windowDays * DAY_MS) / DAY_MS) - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The row of read/api-client-states as the rules' ClientState at `now` (pure; exported for tests). */
export function toLiveClient(clientId: string, row: StateRow, now: number, windowDays: number): LiveClient {
  const parsed = profileSchema.safeParse(row.client);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NbgError(
      ErrorCode.INTERNAL,
      `api/client-state: client ${clientId} has a bad ${String(issue?.path[0] ?? 'property')} in the graph: ${issue?.message ?? 'invalid'}`,
    );
  }
  const records = clientRecords(row);
  return {
    advisorId: row.advisorId,
    planned: plannedContacts(row, now, windowDays),
    state: clientStateAt({ id: clientId as ClientId, ...parsed.data }, records, now, { windowDays }),
  };
}

/** The row's holdings, consent decisions and solicitations as domain records (nulls dropped). */
function clientRecords(row: StateRow): ClientRecords {
  const holdings = [];
  for (const h of row.holdings) {
    if (h.productId === null || h.openedAt === null) continue;
    holdings.push({
      productId: h.productId as ProductId,
      openedAt: epoch(h.openedAt),
      closedAt: h.closedAt === null ? undefined : epoch(h.closedAt),
    });
  }
  const consents: ConsentRecord[] = [];
  const decision = (channel: ChannelId, status: unknown, at: string | null | undefined): void => {
    const parsed = consentStatus.safeParse(status);
    if (parsed.success) consents.push({ channel, status: parsed.data, at: at ? epoch(at) : undefined });
  };
  for (const k of row.consents) {
    if (k.channel === null) continue;
    const channel = k.channel as ChannelId;
    for (const h of k.history ?? []) {
      const bar = h.lastIndexOf('|');
      decision(channel, h.slice(bar + 1), h.slice(0, bar));
    }
    // last: on equal dates the decision the graph keeps wins, as at ingest (also one of setConsent)
    decision(channel, k.status, k.at);
  }
  const solicitations: SolicitationRecord[] = [];
  for (const s of row.solicitations) {
    if (s.sentAt === null || s.channel === null) continue;
    const o = outcome.safeParse(s.outcome);
    solicitations.push({
      channel: s.channel as ChannelId,
      productId: s.productId === null ? undefined : (s.productId as ProductId),
      sentAt: epoch(s.sentAt),
      outcome: o.success ? o.data : undefined,
      outcomeAt: s.outcomeAt === null ? undefined : epoch(s.outcomeAt),
    });
  }
  return { holdings, consents, solicitations };
}

/** The accepted suggestions of the window (now − windowDays, now] not yet followed by their contact. */
function plannedContacts(row: StateRow, now: number, windowDays: number): PlannedContacts {
  const from = now - windowDays * DAY_MS;
  const perChannel = new Map<ChannelId, number>();
  let total = 0;
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
    total++;
    perChannel.set(p.channel as ChannelId, (perChannel.get(p.channel as ChannelId) ?? 0) + 1);
  }
  return { total, perChannel };
}
