import neo4j from 'neo4j-driver';
import type { Recommendation, Scores } from './api-types.js';

import { numberOf as num, textOrNull as str } from './property-values.js';

type Props = Record<string, unknown>;

export function zeroScores(): Scores {
  return { propensity: 0, exposureCorrection: 1, uplift: 0, margin: 0, cost: 0, fatigue: 0, value: 0 };
}

/** JSON text of a stored property back to its value; `fallback` when the property is absent. */
export function parseJsonProperty<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  return JSON.parse(v) as T;
}

/** The :Recommendation properties of a served row (lists and maps as JSON text). */
export function toRecommendationProps(r: Recommendation): Props {
  return {
    kind: 'api',
    clientId: r.clientId,
    productId: r.productId,
    channel: r.channel,
    action: r.action,
    rank: neo4j.int(r.rank),
    suggestedMoment: r.suggestedMoment,
    modelVersion: r.modelVersion,
    servedAt: r.servedAt,
    shownPropensity: r.shownPropensity,
    scores: JSON.stringify(r.scores),
    checks: JSON.stringify(r.checks),
    paths: JSON.stringify(r.paths),
    inputs: r.inputs,
  };
}

/** A stored :Recommendation back to its served shape (JSON properties parsed). */
export function fromRecommendationNode(p: Props): Recommendation {
  return {
    id: String(p.id),
    clientId: String(p.clientId),
    productId: str(p.productId),
    channel: str(p.channel),
    action: String(p.action ?? 'contact'),
    rank: num(p.rank),
    suggestedMoment: str(p.suggestedMoment),
    modelVersion: String(p.modelVersion ?? 'unknown'),
    servedAt: String(p.servedAt),
    shownPropensity: num(p.shownPropensity),
    scores: parseJsonProperty(p.scores, zeroScores()),
    checks: parseJsonProperty(p.checks, []),
    paths: parseJsonProperty(p.paths, []),
    inputs: String(p.inputs ?? '{}'),
    decision: str(p.decision),
    decidedAt: str(p.decidedAt),
  };
}
