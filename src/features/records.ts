import { DAY_MS } from '../domain/time.js';
/**
 * The records the feature builder is fed, whatever they come from (a data-contract folder or the
 * Neo4j graph): one push stream of typed records into a `RecordSink`. Times are in days since
 * 1970-01-01 UTC (fractional for timestamps, whole for dates); months are `year × 12 + month − 1`.
 * A missing value is NaN (numbers) or -1 (indices into an enum).
 */

/** A product as the features and the rules see it. */
export interface FeatureProduct {
  readonly id: string;
  /** EUR margin of one conversion. */
  readonly unitValue: number;
  /** -1 when none. */
  readonly minAge: number;
  /** Infinity when none. */
  readonly maxAge: number;
  /** Rank in RISK_PROFILES of the required profile, -1 when none. */
  readonly requiredRisk: number;
}

export interface FeatureChannel {
  readonly id: string;
  /** EUR cost of one contact. */
  readonly cost: number;
}

/** Products and channels, each sorted by id (the order of the tables' product and channel indices). */
export interface FeatureCatalog {
  readonly products: readonly FeatureProduct[];
  readonly channels: readonly FeatureChannel[];
}

/**
 * Receives the records of a dataset. Positional arguments, not objects: a 100,000-client world
 * pushes about 9 million records and the sink must not allocate per record. A client's record
 * must come before the other records that name it (records of unknown clients are dropped); within
 * one (client, channel) consent decisions come in the order they were made (later wins on equal
 * times). Enum arguments are indices into the arrays of src/domain/enums.ts.
 */
export interface RecordSink {
  client(
    id: string,
    birthYear: number,
    segment: number,
    incomeBand: number,
    riskProfile: number,
    fragile: boolean,
    customerSinceDay: number,
  ): void;
  holding(clientId: string, productId: string, openedDay: number, closedDay: number): void;
  consent(clientId: string, channelId: string, at: number, granted: boolean): void;
  solicitation(
    clientId: string,
    productId: string,
    channelId: string,
    sentAt: number,
    loggingPropensity: number,
    outcome: number,
    outcomeAt: number,
  ): void;
  /** `productId` empty when the event is about no product. */
  event(clientId: string, at: number, type: number, productId: string, sessionId: string): void;
  balance(clientId: string, accountType: number, month: number, balance: number): void;
  /** `productId` / `channelId` empty when the verbatim names none. */
  verbatim(clientId: string, at: number, productId: string, channelId: string, score: number): void;
}

/** Where the records come from: `folderSource(dir)` or `neo4jSource(db)`. */
export interface FeatureSource {
  /** For messages: the folder or the database. */
  readonly name: string;
  catalog(): Promise<FeatureCatalog>;
  read(sink: RecordSink): Promise<void>;
}

/** `YYYY-MM-DD` → whole days since 1970-01-01. */
export function dayOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** A UTC ISO timestamp → fractional days since 1970-01-01. */
export function dayOfTimestamp(ts: string): number {
  return Date.parse(ts) / DAY_MS;
}

/** Whole days since 1970-01-01 → `YYYY-MM-DD`. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM` → year × 12 + month − 1. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The month index of a day. */
export function monthOfDay(day: number): number {
  const d = new Date(Math.floor(day) * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The calendar year of a day. */
export function yearOfDay(day: number): number {
  return new Date(Math.floor(day) * DAY_MS).getUTCFullYear();
}

/** Sorts a catalog's entries by id (the canonical order of the feature tables). */
export function byId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
