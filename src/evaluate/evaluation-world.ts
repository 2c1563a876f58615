import type { TrainingExamplesOptions } from '../features/build-training-examples.js';
import type { UpliftExamples } from '../features/examples.js';
import { buildDecisionRows, buildTrainingExamples, folderSource, loadHistory } from '../features/index.js';
import {
  buildEvaluationDataset,
  type EvaluationDataset,
  type EvaluationDatasetOptions,
} from './evaluation-dataset.js';

/**
 * A data-contract folder with truth/ read for model evaluation: the round at the evaluation date D,
 * the training table strictly before D and the decision rows at D (both from the folder's history). Row k of
 * `rows` is pair k of `data` (the pairs of truth/response.csv, in their order), which is what lets
 * a model's scores meet the truth pair by pair.
 */
export interface EvaluationWorld {
  readonly data: EvaluationDataset;
  readonly train: UpliftExamples;
  readonly rows: UpliftExamples;
}

export async function loadEvaluationWorld(
  dir: string,
  options: {
    readonly dataset?: EvaluationDatasetOptions;
    readonly training?: Partial<Omit<TrainingExamplesOptions, 'decisionDate'>>;
    readonly onProgress?: (step: string) => void;
  } = {},
): Promise<EvaluationWorld> {
  const progress = options.onProgress ?? (() => {});
  progress('reading the round at the evaluation date');
  const data = await buildEvaluationDataset(dir, options.dataset);
  progress('reading the history');
  const history = await loadHistory(folderSource(dir));
  // The models predict conversions over the round's horizon, the window the policies are scored on.
  const train = await buildTrainingExamples(history, {
    horizonDays: data.horizonDays,
    ...options.training,
    decisionDate: data.evaluationDate,
  });
  const rows = await buildDecisionRows(history, data.evaluationDate, {
    clientIds: data.clientIds,
    productIds: data.productIds,
    client: data.pairClient,
    product: data.pairProduct,
  });
  return { data, train, rows };
}
