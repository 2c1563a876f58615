import neo4j from 'neo4j-driver';
import {
  type CompactPath,
  compactPath,
  type ExplanationPath,
  expandPath,
} from '../../allocate/precomputed/explanation-paths.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { ApiRuleCheck, Recommendation, Scores } from './api-types.js';
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

/** The order of the scores in an audit record. */
const SCORE_KEYS = [
  'propensity',
  'exposureCorrection',
  'uplift',
  'margin',
  'cost',
  'fatigue',
  'value',
] as const;
/** The audit record's layout version (its first element). */
const RECORD_V1 = 1;

/**
 * What a served row was computed from and with, as one compact JSON text (the `record` property):
 * `[1, inputs, [scores in SCORE_KEYS order], [[rule, passed 0|1, reason], ...], [path, ...]]`, each
 * path in its compact form (src/allocate/precomputed/explanation-paths.ts: kind code and middle node
 * ids; a path of another shape whole). `inputs` is the served JSON text itself, so it reads back
 * byte for byte. One property instead of four JSON texts, about half the bytes to send and store
 * per served row (docs/api.md, "Audit").
 */
export function encodeAuditRecord(r: Recommendation): string {
  const paths = r.paths.map((p) => compactPath(r.clientId, r.productId ?? '', p) ?? p);
  const rest = JSON.stringify([
    SCORE_KEYS.map((k) => r.scores[k]),
    r.checks.map((k) => [k.rule, k.passed ? 1 : 0, k.reason]),
    paths,
  ]);
  return `[${RECORD_V1},${r.inputs},${rest.slice(1)}`;
}

/** The inputs, scores, checks and paths of an audit record (encodeAuditRecord). */
export function decodeAuditRecord(
  text: string,
  clientId: string,
  productId: string | null,
): Pick<Recommendation, 'inputs' | 'scores' | 'checks' | 'paths'> {
  const [version, inputs, scores, checks, paths] = JSON.parse(text) as [
    number,
    unknown,
    number[],
    [string, number, string][],
    (CompactPath | ExplanationPath)[],
  ];
  if (version !== RECORD_V1) {
    throw new NbgError(
      ErrorCode.INTERNAL,
      `api/recommendation-node: audit record of layout ${String(version)} for client ${clientId}; this server reads layout ${RECORD_V1}`,
    );
  }
  return {
    inputs: JSON.stringify(inputs),
    scores: Object.fromEntries(SCORE_KEYS.map((k, i) => [k, scores[i]])) as unknown as Scores,
    checks: checks.map(([rule, passed, reason]): ApiRuleCheck => ({ rule, passed: passed === 1, reason })),
    paths: paths.map((p) => (Array.isArray(p) ? expandPath(clientId, productId ?? '', p) : p)),
  };
}

/** The :Recommendation properties of a served row (what it was computed from and with: `record`). */
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
    record: encodeAuditRecord(r),
  };
}

/**
 * A stored :Recommendation back to its served shape: its `record`, or the four JSON texts
 * (scores, checks, paths, inputs) of rows stored before it.
 */
export function fromRecommendationNode(p: Props): Recommendation {
  const clientId = String(p.clientId);
  const productId = str(p.productId);
  const stored =
    typeof p.record === 'string'
      ? decodeAuditRecord(p.record, clientId, productId)
      : {
          scores: parseJsonProperty(p.scores, zeroScores()),
          checks: parseJsonProperty(p.checks, []),
          paths: parseJsonProperty(p.paths, []),
          inputs: String(p.inputs ?? '{}'),
        };
  return {
    id: String(p.id),
    clientId,
    productId,
    channel: str(p.channel),
    action: String(p.action ?? 'contact'),
    rank: num(p.rank),
    suggestedMoment: str(p.suggestedMoment),
    modelVersion: String(p.modelVersion ?? 'unknown'),
    servedAt: String(p.servedAt),
    shownPropensity: num(p.shownPropensity),
    ...stored,
    decision: str(p.decision),
    decidedAt: str(p.decidedAt),
  };
}
