/**
 * The exposure model: μ(a | row), the probability that the logging policy (the old targeting) took
 * action a for a decision row, a ∈ {the C channels, 'no contact'} ('no contact' last). It is what
 * turns the logs into unbiased training data (inverse-propensity and doubly-robust weights) and
 * what `nbg evaluate` uses when the data has no logged propensities.
 *
 * 1. **Labels** (label-regression.ts, every training row): a multinomial logistic regression of the
 *    logged action on [x | xc of every channel | onehot(product)], reference 'no contact', classes
 *    limited to the row's open channels (contactable, or the one it was contacted through). At most
 *    `maxFitRows` rows (contacted rows up to half of them, non-contacted rows for the rest) in a
 *    seeded case-control sample, weights 1/rate.
 * 2. **Logged propensities** (propensity-regression.ts, contacted rows whose data has them): they
 *    are exact values of μ(treatment | row), so they are regression targets. A ridge regression of
 *    log μ on [log μ̂₁(c) | onehot(c) | onehot(product) | x | xc_c] over the contacted training rows,
 *    each weighted by w/μ (capped at the 99th percentile): contacted rows are drawn with probability
 *    μ, so 1/μ makes them stand for every row (Horvitz & Thompson 1952). Skipped with
 *    `--hide-propensities` data, which then relies on step 1 alone.
 * 3. **Calibration** (calibration.ts) per channel on held-out rounds (exposure-rows.ts: the latest
 *    days, `calibrationShare` of the rows; a seeded share of clients when the table has one day
 *    only): isotonic regression (Zadrozny & Elkan 2002) of 1[contacted through c] on the predicted
 *    μ(c), kept for a channel only when it lowers the expected calibration error cross-fitted over
 *    two client folds (`calibration: 'auto'`).
 * 4. **Output**: a row's closed channels get 0; where a row carries its logged propensity, μ of its
 *    logged channel is that value and its other channels keep their predicted ratio to it; then
 *    μ(none) = 1 − Σ_c μ(c), open actions clipped to [clip, 1 − clip] and the row renormalised.
 *
 * describe().metrics.ece: equal-mass-bin ECE of μ(c) against the observed contact through c on
 * the held-out rows (cross-fitted where calibrated), averaged over channels weighted by their
 * contacts; also per channel, before calibration, for 'no contact', and relative to the contact
 * rate (the ECE of a rare event is small by construction: the relative figure says how small).
 */

import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { applyIsotonic, type IsotonicMap } from '../../numeric/isotonic.js';
import { stopwatch } from '../../stopwatch.js';
import { checkExamples, checkSameTable, type TableSignature, tableSignature } from '../check-examples.js';
import type { ExposureModel, ModelDescription } from '../model.js';
import { type ModelFiles, readModelFiles, saveModelFiles, weightArray } from '../model-files.js';
import { calibrate } from './calibration.js';
import { checkExposureOptions, EXPOSURE_DEFAULTS, type ExposureOptions } from './exposure-options.js';
import { EXPOSURE_CHUNK, heldOutRows, openChannel } from './exposure-rows.js';
import { fitLabelRegression } from './label-regression.js';
import {
  type ExposureRegressions,
  fitPropensityRegression,
  loggedContactedRows,
  loggedLogError,
  uncalibratedExposure,
} from './propensity-regression.js';

const KIND = 'exposure';

/** The fitted state, kept apart from the class so save/load are plain copies. */
interface ExposureState extends ExposureRegressions {
  readonly signature: TableSignature;
  /** Per channel: isotonic map or none. */
  readonly calibrators: readonly (IsotonicMap | null)[];
  readonly metrics: Record<string, number>;
}

export class Exposure implements ExposureModel {
  readonly kind = KIND;
  readonly options: ExposureOptions;
  private state: ExposureState | undefined;

  constructor(options: Partial<ExposureOptions> = {}) {
    this.options = { ...EXPOSURE_DEFAULTS, ...options };
    checkExposureOptions(this.options);
  }

  private fitted(): ExposureState {
    if (!this.state)
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        'models/exposure: the model is not fitted (call fit or loadModel first)',
      );
    return this.state;
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    checkExamples(train, 'models/exposure: fit', true);
    const o = this.options;
    const { n } = train;
    const heldOut = heldOutRows(train, o.calibrationShare, o.seed);
    // 1. logistic regression on the training part, non-contacted rows subsampled
    const labels = fitLabelRegression(train, heldOut, o);
    const metrics: Record<string, number> = {
      rows: n,
      fitRows: labels.rows,
      heldOutRows: heldOut.reduce((s, v) => s + v, 0),
      logisticIterations: labels.iterations,
      logisticLoss: labels.loss,
    };
    const logit = labels.coef;
    // 2. regression on the logged propensities
    let propensity: Float64Array = new Float64Array(0);
    const logged = loggedContactedRows(train, heldOut, 0).length;
    metrics.loggedRows = logged;
    if (o.usePropensities && logged >= o.minLoggedRows) {
      const candidate = fitPropensityRegression(train, heldOut, logit, o.ridge);
      // kept only where it predicts the held-out logged propensities better than the labels' fit
      const before = loggedLogError({ logit, propensity }, train, heldOut, o.clip);
      const after = loggedLogError({ logit, propensity: candidate }, train, heldOut, o.clip);
      metrics.loggedLogErrorLabels = before;
      metrics.loggedLogErrorRegression = after;
      if (!(after >= before)) propensity = candidate;
    }
    metrics.propensityRegression = propensity.length > 0 ? 1 : 0;
    // 3. calibration on the held-out rows
    const calibrators = calibrate({ logit, propensity }, train, heldOut, o, metrics);
    this.state = { signature: tableSignature(train), logit, propensity, calibrators, metrics };
    metrics.seconds = sw.seconds();
  }

  async exposure(rows: UpliftExamples): Promise<Float32Array> {
    const st = this.fitted();
    checkExamples(rows, 'models/exposure: exposure', false);
    checkSameTable(st.signature, rows, 'models/exposure: exposure');
    const o = this.options;
    const { n } = rows;
    const C = rows.channelIds.length;
    const out = new Float32Array(n * (C + 1));
    const mu = new Float64Array(C + 1);
    for (let from = 0; from < n; from += EXPOSURE_CHUNK) {
      const to = Math.min(n, from + EXPOSURE_CHUNK);
      const index = new Int32Array(to - from);
      for (let k = 0; k < index.length; k++) index[k] = from + k;
      const raw = uncalibratedExposure(st, rows, index);
      for (let k = 0; k < index.length; k++) {
        const i = from + k;
        for (let c = 0; c < C; c++) {
          const cal = st.calibrators[c];
          const p = raw[k * C + c] as number;
          mu[c] = openChannel(rows, i, c) ? (cal ? applyIsotonic(cal, p) : p) : 0;
        }
        const t = rows.kind === 'train' ? (rows.treatment[i] as number) : -1;
        const q = rows.loggedPropensity[i] as number;
        if (t >= 0 && Number.isFinite(q)) {
          // the logged value is exact; the other channels keep their predicted ratio to it
          const ref = Math.max(mu[t] as number, o.clip);
          for (let c = 0; c < C; c++)
            mu[c] = c === t ? q : openChannel(rows, i, c) ? ((mu[c] as number) / ref) * q : 0;
        }
        let s = 0;
        for (let c = 0; c < C; c++) s += mu[c] as number;
        if (s > 1 - o.clip) for (let c = 0; c < C; c++) mu[c] = ((mu[c] as number) * (1 - o.clip)) / s;
        mu[C] = 1 - Math.min(s, 1 - o.clip);
        let total = 0;
        for (let a = 0; a <= C; a++) {
          const openA = a === C || openChannel(rows, i, a);
          const v = openA ? Math.min(1 - o.clip, Math.max(o.clip, mu[a] as number)) : 0;
          mu[a] = v;
          total += v;
        }
        for (let a = 0; a <= C; a++) out[i * (C + 1) + a] = (mu[a] as number) / total;
      }
    }
    return out;
  }

  describe(): ModelDescription {
    const st = this.fitted();
    return {
      kind: KIND,
      featureSchemaVersion: st.signature.schemaVersion,
      options: { ...this.options },
      metrics: { ...st.metrics },
    };
  }

  async save(dir: string): Promise<void> {
    const st = this.fitted();
    const arrays: Record<string, Float64Array> = { logit: st.logit, propensity: st.propensity };
    st.calibrators.forEach((cal, c) => {
      if (!cal) return;
      arrays[`isotonic${c}_lo`] = cal.lo;
      arrays[`isotonic${c}_hi`] = cal.hi;
      arrays[`isotonic${c}_value`] = cal.value;
    });
    await saveModelFiles(dir, {
      description: this.describe(),
      state: { signature: st.signature, calibrated: st.calibrators.map((c) => c !== null) },
      arrays,
    });
  }

  /** Rebuilds a fitted model from its files (see load-model.ts). */
  static fromFiles(files: ModelFiles): Exposure {
    const model = new Exposure(files.description.options as Partial<ExposureOptions>);
    const signature = files.state.signature as TableSignature;
    const calibrated = files.state.calibrated as boolean[];
    model.state = {
      signature,
      logit: weightArray(files, 'logit', Float64Array),
      propensity: weightArray(files, 'propensity', Float64Array),
      calibrators: calibrated.map((on, c) =>
        on
          ? {
              lo: weightArray(files, `isotonic${c}_lo`, Float64Array),
              hi: weightArray(files, `isotonic${c}_hi`, Float64Array),
              value: weightArray(files, `isotonic${c}_value`, Float64Array),
            }
          : null,
      ),
      metrics: { ...files.description.metrics },
    };
    return model;
  }

  static async load(dir: string): Promise<Exposure> {
    return Exposure.fromFiles(await readModelFiles(dir));
  }
}
