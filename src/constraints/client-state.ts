import type { ConsentStatus, ProductFamily, RiskProfile, Segment } from '../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../domain/ids.js';

/** One past commercial contact of a client (a solicitation), as the rules need it. */
export interface PastContact {
  /** Epoch milliseconds (UTC). */
  readonly at: number;
  readonly channel: ChannelId;
}

/**
 * What the rules know about one client at decision time. Built from the dataset folder or read
 * live from Neo4j (ClientStateReader); the rules never read anything else.
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

/** A product as the rules and the allocator see it (products.csv). */
export interface ProductInfo {
  readonly id: ProductId;
  readonly family: ProductFamily;
  readonly isCredit: boolean;
  readonly minAge?: number | undefined;
  readonly maxAge?: number | undefined;
  readonly requiredRiskProfile?: RiskProfile | undefined;
  /** Expected margin of one conversion, EUR. */
  readonly unitValue: number;
}

/** A contact channel (channels.csv). */
export interface ChannelInfo {
  readonly id: ChannelId;
  /** EUR per contact. */
  readonly costPerContact: number;
  /** Contacts per day; undefined = unlimited. */
  readonly dailyCapacity?: number | undefined;
}

/** Contacts already planned for this client (earlier in a plan, or suggestions already made). */
export interface PlannedContacts {
  readonly total: number;
  readonly perChannel: ReadonlyMap<ChannelId, number>;
}

export const NO_PLANNED_CONTACTS: PlannedContacts = { total: 0, perChannel: new Map() };
