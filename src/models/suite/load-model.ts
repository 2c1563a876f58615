/**
 * Reads any saved model back: `loadModel(dir)` reads DIR/model.json and hands the files to the
 * loader registered for its `kind`. Adding a model kind is one import and one entry in LOADERS.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import { ClassicPropensity } from '../baselines/classic-propensity.js';
import { GraphNeighbours } from '../baselines/graph-neighbours.js';
import { MatrixFactorisation } from '../baselines/matrix-factorisation.js';
import { Popularity } from '../baselines/popularity.js';
import { Exposure } from '../exposure/exposure.js';
import type { ExposureModel, FittedModel, OutcomeModel } from '../model.js';
import { type ModelFiles, readModelFiles } from '../model-files.js';
import { DR_LEARNER_KIND, DrLearner } from '../uplift/dr-learner.js';
import { T_LEARNER_KIND, TLearner } from '../uplift/t-learner.js';
import { X_LEARNER_KIND, XLearner } from '../uplift/x-learner.js';

export const LOADERS: Readonly<Record<string, (files: ModelFiles) => FittedModel>> = {
  exposure: Exposure.fromFiles,
  popularity: Popularity.fromFiles,
  'classic-propensity': ClassicPropensity.fromFiles,
  [T_LEARNER_KIND]: TLearner.fromFiles,
  [X_LEARNER_KIND]: XLearner.fromFiles,
  [DR_LEARNER_KIND]: DrLearner.fromFiles,
  'matrix-factorisation': MatrixFactorisation.fromFiles,
  'graph-neighbours': GraphNeighbours.fromFiles,
};

export async function loadModel(dir: string): Promise<FittedModel> {
  const files = await readModelFiles(dir);
  const kind = files.description.kind;
  const loader = LOADERS[kind];
  if (!loader)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models: ${dir}/model.json has kind "${kind}", which this version cannot load (known: ${Object.keys(LOADERS).join(', ')})`,
    );
  return loader(files);
}

/** loadModel, checked to be an outcome model (baselines, uplift learners). */
export async function loadOutcomeModel(dir: string): Promise<OutcomeModel> {
  const m = await loadModel(dir);
  if (!('predict' in m) || typeof m.predict !== 'function')
    throw new NbgError(ErrorCode.BAD_INPUT, `models: ${dir} holds a ${m.kind} model, not an outcome model`);
  return m as OutcomeModel;
}

/** loadModel, checked to be an exposure model. */
export async function loadExposureModel(dir: string): Promise<ExposureModel> {
  const m = await loadModel(dir);
  if (!('exposure' in m) || typeof m.exposure !== 'function')
    throw new NbgError(ErrorCode.BAD_INPUT, `models: ${dir} holds a ${m.kind} model, not an exposure model`);
  return m as ExposureModel;
}
