/**
 * Step 1 of the exposure model: a multinomial logistic regression (src/numeric/logistic-
 * regression.ts) of the logged action on the pair design [x | xc of every channel | onehot(product)]
 * (pair-design.ts), reference 'no contact', classes limited to the row's open channels. At most
 * `maxFitRows` training rows: a seeded case-control sample, contacted rows up to half of the budget
 * and non-contacted rows for the rest, each weighted by 1/(its sampling rate) so that the fit still
 * stands for every row.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { fitLogisticRegression, logisticProbabilities } from '../../numeric/logistic-regression.js';
import { createRng } from '../../rng.js';
import type { ExposureOptions } from './exposure-options.js';
import { EXPOSURE_CHUNK, openChannel } from './exposure-rows.js';
import { pairDesign, pairDesignWidth } from './pair-design.js';

export interface LabelFit {
  /** Logistic coefficients, C × (width + 1). */
  readonly coef: Float64Array;
  /** Rows in the fit (after the case-control sample). */
  readonly rows: number;
  readonly iterations: number;
  readonly loss: number;
}

/** Fits the label regression on the training rows that are not held out (heldOut[i] = 0). */
export function fitLabelRegression(train: UpliftExamples, heldOut: Uint8Array, o: ExposureOptions): LabelFit {
  const { n } = train;
  const C = train.channelIds.length;
  const rng = createRng(o.seed).fork('exposure-subsample');
  let contacted = 0;
  let none = 0;
  for (let i = 0; i < n; i++) {
    if (heldOut[i] === 1 || !((train.weight[i] as number) > 0)) continue;
    if ((train.treatment[i] as number) >= 0) contacted++;
    else none++;
  }
  if (contacted === 0)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      'models/exposure: no contacted rows among the training rows: the logging policy cannot be learnt',
    );
  const rateContacted = Math.min(1, o.maxFitRows / 2 / contacted);
  const rate = Math.min(1, (o.maxFitRows - Math.min(contacted, o.maxFitRows / 2)) / Math.max(1, none));
  const picked: number[] = [];
  const fitWeight: number[] = [];
  for (let i = 0; i < n; i++) {
    if (heldOut[i] === 1 || !((train.weight[i] as number) > 0)) continue;
    const r = (train.treatment[i] as number) >= 0 ? rateContacted : rate;
    if (r >= 1 || rng.next() < r) {
      picked.push(i);
      fitWeight.push((train.weight[i] as number) / r);
    }
  }
  const index = Int32Array.from(picked);
  const m = index.length;
  const width = pairDesignWidth(train);
  const design = new Float32Array(m * width);
  pairDesign(train, index, 0, m, design);
  const labels = new Int32Array(m);
  const allowed = new Uint8Array(m * (C + 1));
  for (let k = 0; k < m; k++) {
    const i = index[k] as number;
    const t = train.treatment[i] as number;
    labels[k] = t + 1;
    allowed[k * (C + 1)] = 1;
    for (let c = 0; c < C; c++) allowed[k * (C + 1) + c + 1] = openChannel(train, i, c) ? 1 : 0;
  }
  const fit = fitLogisticRegression(
    { x: design, d: width, labels, classes: C + 1, weights: Float64Array.from(fitWeight), allowed },
    { l2: o.l2, maxIterations: o.maxIterations },
  );
  return { coef: fit.coef, rows: m, iterations: fit.iterations, loss: fit.loss };
}

/** μ̂(c) of the label regression for the rows of `index` (all when null): n_index × C, 0 if closed. */
export function labelChannels(
  logit: Float64Array,
  rows: UpliftExamples,
  index: Int32Array | null,
): Float64Array {
  const C = rows.channelIds.length;
  const m = index ? index.length : rows.n;
  const width = pairDesignWidth(rows);
  const out = new Float64Array(m * C);
  const design = new Float32Array(Math.min(EXPOSURE_CHUNK, m) * width);
  const probs = new Float64Array(Math.min(EXPOSURE_CHUNK, m) * (C + 1));
  const allowed = new Uint8Array(Math.min(EXPOSURE_CHUNK, m) * (C + 1));
  for (let from = 0; from < m; from += EXPOSURE_CHUNK) {
    const to = Math.min(m, from + EXPOSURE_CHUNK);
    const len = to - from;
    pairDesign(rows, index, from, to, design);
    for (let k = 0; k < len; k++) {
      const i = index ? (index[from + k] as number) : from + k;
      allowed[k * (C + 1)] = 1;
      for (let c = 0; c < C; c++) allowed[k * (C + 1) + c + 1] = openChannel(rows, i, c) ? 1 : 0;
    }
    logisticProbabilities(
      { classes: C + 1, d: width, coef: logit },
      design.subarray(0, len * width),
      len,
      probs.subarray(0, len * (C + 1)),
      allowed.subarray(0, len * (C + 1)),
    );
    for (let k = 0; k < len; k++)
      for (let c = 0; c < C; c++) out[(from + k) * C + c] = probs[k * (C + 1) + c + 1] as number;
  }
  return out;
}
