/** Kinds of nodes a bank projection holds. A node key is `${kind}:${id}`, e.g. `client:C000042`. */
export type NodeKind = 'client' | 'product' | 'channel' | 'advisor' | 'branch' | 'attribute';

export const NODE_KINDS: readonly NodeKind[] = [
  'client',
  'product',
  'channel',
  'advisor',
  'branch',
  'attribute',
];

/** Where an edge comes from; each source is one projection and can be switched off. */
export type ProjectionSource = 'holdings' | 'journeys' | 'solicitations' | 'assignments' | 'profile';

export const PROJECTION_SOURCES: readonly ProjectionSource[] = [
  'holdings',
  'journeys',
  'solicitations',
  'assignments',
  'profile',
];

/** A product a client holds (closedAt null or '' when still open). */
export interface HoldingRow {
  readonly source: 'holdings';
  readonly clientId: string;
  readonly productId: string;
  readonly closedAt?: string | null;
}

export type JourneyEventType =
  | 'login'
  | 'page_view'
  | 'search'
  | 'simulation'
  | 'form_start'
  | 'form_abandon'
  | 'form_submit';

/** A digital-journey event; only events about a product make a client–product intent edge. */
export interface JourneyRow {
  readonly source: 'journeys';
  readonly clientId: string;
  readonly productId?: string | null;
  readonly type: JourneyEventType;
}

export type SolicitationOutcome = 'no_response' | 'opened' | 'clicked' | 'converted' | 'refused';

/** One commercial contact: client–product weighted by the response, client–channel optionally. */
export interface SolicitationRow {
  readonly source: 'solicitations';
  readonly clientId: string;
  readonly productId: string;
  readonly channelId: string;
  readonly outcome: SolicitationOutcome;
}

/** The advisor and branch a client is assigned to. */
export interface AssignmentRow {
  readonly source: 'assignments';
  readonly clientId: string;
  readonly advisorId?: string | null;
  readonly branchId?: string | null;
}

/**
 * Categorical facts about a client, each a value node shared by the clients that have it
 * (`segment=young`, `age=25-34`, `income=2`): they join clients of similar profile, which product
 * ties alone (a dozen products) do not separate.
 */
export interface ProfileRow {
  readonly source: 'profile';
  readonly clientId: string;
  readonly attributes: readonly string[];
}

export type ProjectionRow = HoldingRow | JourneyRow | SolicitationRow | AssignmentRow | ProfileRow;

/** Edge weights per source and row type; 0 drops the edge. */
export interface ProjectionWeights {
  readonly holdingOpen: number;
  readonly holdingClosed: number;
  readonly journey: Readonly<Record<JourneyEventType, number>>;
  readonly solicitation: Readonly<Record<SolicitationOutcome, number>>;
  /** Client–channel edge per responded solicitation (opened, clicked, converted). */
  readonly solicitationChannel: number;
  readonly advisor: number;
  readonly branch: number;
  /** Client–attribute edge per profile attribute. */
  readonly profile: number;
}
