import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import type { PlannedRecommendation, RecommendationWriter } from './recommendation-writer.js';

const ensureModel = query('write/model-ensure');
const writeRecommendations = query('write/plan-recommendations');

/**
 * Stores planned contacts as `(:Recommendation)` nodes linked `FOR` the client, `OF` the product,
 * `VIA` the channel and `BY_MODEL` the model, one batched statement per batch. Counts the rows the
 * graph could not take (a client, product or channel it does not have) in `skipped`.
 */
export class Neo4jRecommendationWriter implements RecommendationWriter {
  written = 0;
  skipped = 0;
  private readonly models = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly modelKind: 'trained' | 'stand-in',
  ) {}

  async write(batch: readonly PlannedRecommendation[]): Promise<void> {
    for (const version of new Set(batch.map((r) => r.modelVersion))) {
      if (this.models.has(version)) continue;
      await this.db.write(ensureModel, {
        version,
        kind: this.modelKind,
        createdAt: new Date().toISOString(),
      });
      this.models.add(version);
    }
    const createdAt = new Date().toISOString();
    const rows = batch.map((r) => ({
      id: r.id,
      clientId: r.clientId,
      productId: r.productId,
      channelId: r.channelId,
      modelVersion: r.modelVersion,
      props: {
        kind: 'plan',
        planId: r.planId,
        scheduledFor: r.scheduledFor,
        expectedValueEUR: r.expectedValueEUR,
        costEUR: r.costEUR,
        solver: r.solver,
        createdAt,
      },
    }));
    const { rows: out } = await this.db.write<{ written: number }>(writeRecommendations, { rows });
    const n = out[0]?.written ?? 0;
    this.written += n;
    this.skipped += batch.length - n;
  }
}
