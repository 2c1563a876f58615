import type { ConsentStatus, Outcome, RiskProfile, Segment } from './enums.js';
import type { ChannelId, ClientId, ProductId } from './ids.js';
import { DAY_MS } from './time.js';

/** One past commercial contact of a client (a solicitation), as the rules need it. */
export interface PastContact {
  /** Epoch milliseconds (UTC). */
  readonly at: number;
  readonly channel: ChannelId;
}

/**
 * What the rules know about one client at decision time, as `clientStateAt` derives it from the
 * client's records (the dataset folder's rows or the knowledge graph's); the rules never read
 * anything else.
 * - `consents`: latest decision per channel; a channel missing from the map falls back to the
 *   contract default (granted, except opt-in channels phone and sms, refused).
 * - `pastContacts`: contacts in (at least) the pressure window before `now`; older ones are ignored.
 * - `lastRefusalAt`: per product, epoch ms of the latest refused offer.
 */
export interface ClientState {
  readonly id: ClientId;
  readonly birthYear: number;
  readonly segment: Segment;
  readonly riskProfile: RiskProfile;
  readonly financiallyFragile: boolean;
  readonly heldProducts: ReadonlySet<ProductId>;
  readonly consents: ReadonlyMap<ChannelId, ConsentStatus>;
  readonly pastContacts: readonly PastContact[];
  readonly lastRefusalAt: ReadonlyMap<ProductId, number>;
}

/** Contacts already planned for this client (earlier in a plan, or suggestions already made). */
export interface PlannedContacts {
  readonly total: number;
  readonly perChannel: ReadonlyMap<ChannelId, number>;
}

export const NO_PLANNED_CONTACTS: PlannedContacts = { total: 0, perChannel: new Map() };

/** The client's own columns the rules read (clients.csv, the graph's :Client). */
export type ClientProfile = Pick<
  ClientState,
  'id' | 'birthYear' | 'segment' | 'riskProfile' | 'financiallyFragile'
>;

/** One holding (holdings.csv, a HOLDS relationship): held from `openedAt` until before `closedAt`. */
export interface HoldingRecord {
  readonly productId: ProductId;
  /** Epoch ms (UTC). */
  readonly openedAt: number;
  /** Epoch ms (UTC); undefined while the holding is open. */
  readonly closedAt?: number | undefined;
}

/** One consent decision (consents.csv, a CONSENT relationship and its history). */
export interface ConsentRecord {
  readonly channel: ChannelId;
  readonly status: ConsentStatus;
  /** Epoch ms (UTC) of the decision; undefined for an undated decision, in force from the start. */
  readonly at?: number | undefined;
}

/** One solicitation (solicitations.csv, a :Solicitation node) with its outcome when known. */
export interface SolicitationRecord {
  readonly channel: ChannelId;
  readonly productId?: ProductId | undefined;
  /** Epoch ms (UTC). */
  readonly sentAt: number;
  readonly outcome?: Outcome | undefined;
  /** Epoch ms (UTC) of the outcome, when recorded. */
  readonly outcomeAt?: number | undefined;
}

/** Everything recorded about one client, in the order it was recorded (file or graph order). */
export interface ClientRecords {
  readonly holdings: readonly HoldingRecord[];
  readonly consents: readonly ConsentRecord[];
  readonly solicitations: readonly SolicitationRecord[];
}

export interface ClientStateOptions {
  /**
   * Keep the contacts of the last `windowDays` days only, (now − windowDays, now]; every contact up
   * to `now` when undefined (the rules count the ones of their window either way).
   */
  readonly windowDays?: number | undefined;
}

/**
 * A client's state at `now` (epoch ms), from their records, the one derivation of `nbg plan` (from
 * CSV) and the API (from the graph); pure.
 * - held: the products of holdings open at `now`, openedAt ≤ now < closedAt (closing day excluded);
 * - consents: per channel, the latest decision dated ≤ now (undated ones count as the oldest); on
 *   equal dates the later record wins;
 * - pastContacts: the solicitations sent ≤ now (and in the window, see options), in record order;
 * - lastRefusalAt: per product, the latest refusal among solicitations sent ≤ now, dated
 *   min(now, outcomeAt), or sentAt when the outcome has no date.
 */
export function clientStateAt(
  profile: ClientProfile,
  records: ClientRecords,
  now: number,
  options: ClientStateOptions = {},
): ClientState {
  const heldProducts = new Set<ProductId>();
  for (const h of records.holdings) {
    if (h.openedAt <= now && (h.closedAt === undefined || h.closedAt > now)) heldProducts.add(h.productId);
  }
  const consents = new Map<ChannelId, ConsentStatus>();
  const consentAt = new Map<ChannelId, number>();
  for (const k of records.consents) {
    const at = k.at ?? Number.NEGATIVE_INFINITY;
    if (at <= now && at >= (consentAt.get(k.channel) ?? Number.NEGATIVE_INFINITY)) {
      consents.set(k.channel, k.status);
      consentAt.set(k.channel, at);
    }
  }
  const from =
    options.windowDays === undefined ? Number.NEGATIVE_INFINITY : now - options.windowDays * DAY_MS;
  const pastContacts: PastContact[] = [];
  const lastRefusalAt = new Map<ProductId, number>();
  for (const s of records.solicitations) {
    const at = s.sentAt;
    if (at > now) continue;
    if (at > from) pastContacts.push({ at, channel: s.channel });
    if (s.outcome === 'refused' && s.productId !== undefined) {
      const when = s.outcomeAt === undefined ? at : Math.min(now, s.outcomeAt);
      if (when > (lastRefusalAt.get(s.productId) ?? Number.NEGATIVE_INFINITY))
        lastRefusalAt.set(s.productId, when);
    }
  }
  return {
    id: profile.id,
    birthYear: profile.birthYear,
    segment: profile.segment,
    riskProfile: profile.riskProfile,
    financiallyFragile: profile.financiallyFragile,
    heldProducts,
    consents,
    pastContacts,
    lastRefusalAt,
  };
}
