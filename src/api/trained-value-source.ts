import { loadScoringModels } from '../allocate/precomputed/score-all-clients.js';
import type { Db } from '../db/executor.js';
import { query } from '../db/queries.js';
import { PrecomputedValueSource } from './services/precomputed-values.js';

const scoreLayout = query('read/model-score-layout');

export interface TrainedValueSourceOptions {
  /**
   * Decision date of live scoring when the suite's scores were never precomputed (`nbg score`),
   * YYYY-MM-DD (default: today, UTC).
   */
  readonly decisionDate?: string;
  /** Told when the model has no precomputed scores. */
  readonly warn?: (line: string) => void;
}

/**
 * The primary model of a suite folder written by `nbg train` as the API's ActionValueSource: the
 * values `nbg score` (run at the end of `nbg train`) precomputed per client and stored as ScoreSets,
 * read with each request's client state; a client without them, or with records newer than them,
 * is rescored live from its own records (PrecomputedValueSource; docs/api.md, "Values"). Start-up
 * reads the suite's files and one (:Model) row, never the graph's history. The suite's classic
 * per-product propensity model, when it has one, gives the score decomposition's `propensity` and
 * `exposureCorrection`.
 */
export async function loadTrainedValueSource(
  dir: string,
  db: Db,
  options: TrainedValueSourceOptions = {},
): Promise<PrecomputedValueSource> {
  const models = await loadScoringModels(dir);
  const [row] = await db.read<{ asOf: string | null; products: string[] | null; channels: string[] | null }>(
    scoreLayout,
    { version: models.modelVersion },
  );
  const asOf = row?.asOf ?? undefined;
  if (asOf === undefined)
    options.warn?.(
      `model ${models.modelVersion} has no precomputed scores (run nbg score): every client is scored live on first request`,
    );
  return new PrecomputedValueSource(db, models, {
    asOf,
    layout: { productIds: row?.products ?? [], channelIds: row?.channels ?? [] },
    ...(options.decisionDate === undefined ? {} : { fallbackDate: options.decisionDate }),
  });
}
