import { readTruthMeta } from '../../src/evaluate/truth-meta.js';
import {
  buildDecisionRows,
  buildTrainingExamples,
  folderSource,
  loadHistory,
} from '../../src/features/index.js';

export type FeatureStep = 'read' | 'train' | 'decide';

/**
 * A simulated folder's feature tables as the models see them (src/features, default options): the
 * history read from the folder, the training table of the window before the evaluation date D of
 * truth/meta.json (seeded), and the decision rows at D. `step` is called after each of the three
 * with what it made: clients read, training rows, decision rows.
 */
export async function featureTables(
  dir: string,
  seed: number,
  step: (name: FeatureStep, count: number) => void = () => {},
) {
  const meta = readTruthMeta(dir);
  const history = await loadHistory(folderSource(dir));
  step('read', history.clientIds.length);
  const train = await buildTrainingExamples(history, {
    decisionDate: meta.evaluationDate,
    horizonDays: meta.horizonDays,
    seed,
  });
  step('train', train.n);
  const decide = await buildDecisionRows(history, meta.evaluationDate);
  step('decide', decide.n);
  return { meta, history, train, decide };
}
