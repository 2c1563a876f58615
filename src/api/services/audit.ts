import neo4j from 'neo4j-driver';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import type { PolicyEvaluation, Recommendation } from './api-types.js';
import { textOrNull } from './property-values.js';
import { fromRecommendationNode, parseJsonProperty } from './recommendation-node.js';
import type { RecommendationStore } from './recommendation-store.js';

const Q = {
  recommendation: query('read/api-recommendation'),
  auditTrail: query('read/api-audit-trail'),
  policyEvaluation: query('read/api-policy-evaluation'),
};

/** What was served and why: stored recommendations, a client's audit trail, the policy evaluation. */
export class Audit {
  constructor(
    private readonly db: Db,
    private readonly store: RecommendationStore,
  ) {}

  /** A served recommendation as stored (waits for its write when it is still queued), or null. */
  async recommendation(id: string): Promise<Recommendation | null> {
    await this.store.stored(id);
    const [row] = await this.db.read(Q.recommendation, { id });
    return row ? fromRecommendationNode(row.rec as Record<string, unknown>) : null;
  }

  async auditTrail(clientId: string, from: string, to: string, limit: number): Promise<Recommendation[]> {
    const rows = await this.db.read(Q.auditTrail, { clientId, from, to, limit: neo4j.int(limit) });
    return rows.map((r) => fromRecommendationNode(r.rec as Record<string, unknown>));
  }

  /** The latest :Evaluation stored by `nbg evaluate --store`, or null. */
  async policyEvaluation(): Promise<PolicyEvaluation | null> {
    const [row] = await this.db.read(Q.policyEvaluation);
    if (!row) return null;
    const e = row.evaluation as Record<string, unknown>;
    return {
      id: String(e.id),
      createdAt: String(e.createdAt),
      dataset: String(e.dataset),
      evaluationDate: textOrNull(e.evaluationDate),
      modelVersion: textOrNull(e.modelVersion),
      columns: parseJsonProperty<string[]>(e.columns, []),
      rows: String(e.rows ?? '[]'),
    };
  }
}
