/**
 * Cross-fitted scores for the uplift calibration (uplift-calibration.ts): the clients are split into
 * K folds by a seeded draw per client id, a fresh learner is fitted on the other K − 1 folds, and each
 * fold's rows are scored by the learner that never saw them. Every client then contributes to the
 * calibration, where a hold-out uses a fifth of them, and the final learner is fitted on every client
 * (Chernozhukov et al. 2018, "Double/debiased machine learning", arXiv:1608.00060, use the same
 * splitting for nuisance estimates). The fold learners see (K − 1)/K of the rows, so their scores
 * are a little noisier than the final learner's: the slopes they give lean, if anything, toward
 * announcing less.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import { selectExamples, type UpliftExamples } from '../../features/examples.js';
import { createRng } from '../../rng.js';
import type { ActionScores, OutcomeModel } from '../model.js';

/**
 * One uniform draw per client of the table, from `seed` and the client id alone (so a client's draw
 * depends on nothing else in the table): the hold-out and the folds split clients with it.
 */
export function clientUniforms(train: UpliftExamples, seed: number): Float64Array {
  const root = createRng(seed);
  const out = new Float64Array(train.clientIds.length);
  for (let c = 0; c < out.length; c++) out[c] = root.fork(train.clientIds[c]!).next();
  return out;
}

/** The fold (0..K−1) of each client of the table, a seeded draw per client id. */
export function clientFoldsOf(train: UpliftExamples, folds: number, seed: number): Uint8Array {
  if (!Number.isInteger(folds) || folds < 2 || folds > 10)
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `models/suite: calibrationFolds must be 0 (a hold-out) or an integer in 2..10, got ${folds}`,
    );
  return Uint8Array.from(clientUniforms(train, seed + 15485863), (u) =>
    Math.min(folds - 1, Math.floor(u * folds)),
  );
}

/**
 * Out-of-fold uncalibrated scores of every row of `train`: for each fold k, `makeLearner()` fitted
 * on the rows of the other folds (weights of fold k set to 0) scores fold k's rows.
 */
export async function crossFittedScores(
  train: UpliftExamples,
  makeLearner: () => OutcomeModel,
  folds: number,
  seed: number,
  onFold?: (k: number) => void,
): Promise<ActionScores> {
  const C = train.channelIds.length;
  const foldOf = clientFoldsOf(train, folds, seed);
  const pNoContact = new Float32Array(train.n).fill(Number.NaN);
  const pContact = new Float32Array(train.n * C).fill(Number.NaN);
  for (let k = 0; k < folds; k++) {
    onFold?.(k);
    const rows: number[] = [];
    const weight = train.weight.slice();
    for (let i = 0; i < train.n; i++) {
      if (foldOf[train.client[i]!] !== k) continue;
      rows.push(i);
      weight[i] = 0;
    }
    if (rows.length === 0) continue;
    const learner = makeLearner();
    await learner.fit({ ...train, weight });
    const idx = Int32Array.from(rows);
    const s = await learner.predict(selectExamples(train, idx));
    for (let e = 0; e < idx.length; e++) {
      const i = idx[e]!;
      pNoContact[i] = s.pNoContact[e]!;
      pContact.set(s.pContact.subarray(e * C, (e + 1) * C), i * C);
    }
  }
  return { pNoContact, pContact };
}
