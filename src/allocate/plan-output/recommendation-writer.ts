import type { ChannelId, ClientId, ProductId } from '../../domain/ids.js';

/** One planned contact as stored for audit (a `:Recommendation` node and its links). */
export interface PlannedRecommendation {
  readonly id: string;
  readonly clientId: ClientId;
  readonly productId: ProductId;
  readonly channelId: ChannelId;
  /** YYYY-MM-DD. */
  readonly scheduledFor: string;
  readonly expectedValueEUR: number;
  readonly costEUR: number;
  readonly modelVersion: string;
  readonly solver: string;
  readonly planId: string;
}

/**
 * Where a plan's recommendations go besides the CSV: the db layer implements it with one batched
 * named query (`UNWIND $rows` creating `(:Recommendation)-[:FOR]->(:Client)`, `-[:OF]->(:Product)`,
 * `-[:VIA]->(:Channel)`, `-[:BY_MODEL]->(:Model)`).
 */
export interface RecommendationWriter {
  write(batch: readonly PlannedRecommendation[]): Promise<void>;
}
