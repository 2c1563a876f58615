/** The shapes the API serves (schema.graphql's types, before the resolvers mask ids). */
import type {
  ExplanationPath,
  PathNode,
  PathRelationship,
} from '../../allocate/precomputed/explanation-paths.js';

export type GraphNode = PathNode;
export type GraphRelationship = PathRelationship;
/** An explanation path (src/allocate/precomputed/explanation-paths.ts: read live or precomputed). */
export type GraphPath = ExplanationPath;
/** A rule check as served: src/constraints' checks, or the summary of a 'no contact'. */
export interface ApiRuleCheck {
  rule: string;
  passed: boolean;
  reason: string;
}
/** The decomposition of an action's value (EUR, and the probabilities behind it). */
export interface Scores {
  propensity: number;
  exposureCorrection: number;
  uplift: number;
  margin: number;
  cost: number;
  fatigue: number;
  value: number;
}
export interface Recommendation {
  id: string;
  clientId: string;
  productId: string | null;
  channel: string | null;
  action: string;
  rank: number;
  suggestedMoment: string | null;
  modelVersion: string;
  servedAt: string;
  shownPropensity: number;
  scores: Scores;
  checks: ApiRuleCheck[];
  paths: GraphPath[];
  inputs: string;
  decision: string | null;
  decidedAt: string | null;
}
export interface ClientProfile {
  id: string;
  segment: string | null;
  region: string | null;
  birthYear: number | null;
  riskProfile: string | null;
  financiallyFragile: boolean | null;
  advisorId: string | null;
  communityId: string | null;
}
export interface Solicitation {
  id: string;
  clientId: string;
  productId: string;
  channel: string;
  outcome: string;
  sentAt: string;
  outcomeAt: string | null;
}
export interface PolicyEvaluation {
  id: string;
  createdAt: string;
  dataset: string;
  evaluationDate: string | null;
  modelVersion: string | null;
  columns: string[];
  /** JSON text: one object per policy, keyed by columns. */
  rows: string;
}
