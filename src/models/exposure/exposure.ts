/**
 * The exposure model: μ(a | row), the probability that the logging policy (the old targeting) took
 * action a for a decision row, a ∈ {the C channels, 'no contact'} ('no contact' last). It is what
 * turns the logs into unbiased training data (inverse-propensity and doubly-robust weights) and
 * what `nbg evaluate` uses when the data has no logged propensities.
 *
 * 1. **Labels** (every training row): a multinomial logistic regression (src/numeric/logistic-
 *    regression.ts) of the logged action on [x | xc of every channel | onehot(product)], reference
 *    'no contact', classes limited to the row's open channels (contactable, or the one it was
 *    contacted through). At most `maxFitRows` rows (contacted rows up to half of them, non-
 *    contacted rows for the rest) in a seeded case-control sample, weights 1/rate.
 * 2. **Logged propensities** (contacted rows whose data has them): they are exact values of
 *    μ(treatment | row), so they are regression targets. A ridge regression of log μ on
 *    [log μ̂₁(c) | onehot(c) | onehot(product) | x | xc_c] over the contacted training rows, each
 *    weighted by w/μ (capped at the 99th percentile): contacted rows are drawn with probability μ,
 *    so 1/μ makes them stand for every row (Horvitz & Thompson 1952). Skipped with
 *    `--hide-propensities` data, which then relies on step 1 alone.
 * 3. **Calibration** per channel on held-out rounds (the latest days, `calibrationShare` of the
 *    rows; a seeded share of clients when the table has one day only): isotonic regression
 *    (Zadrozny & Elkan 2002) of 1[contacted through c] on the predicted μ(c), kept for a channel
 *    only when it lowers the expected calibration error cross-fitted over two client folds
 *    (`calibration: 'auto'`).
 * 4. **Output**: a row's closed channels get 0; where a row carries its logged propensity, μ of its
 *    logged channel is that value and its other channels keep their predicted ratio to it; then
 *    μ(none) = 1 − Σ_c μ(c), open actions clipped to [clip, 1 − clip] and the row renormalised.
 *
 * describe().metrics.ece: equal-mass-bin ECE of μ(c) against the observed contact through c on
 * the held-out rows (cross-fitted where calibrated), averaged over channels weighted by their
 * contacts; also per channel, before calibration, for 'no contact', and relative to the contact
 * rate (the ECE of a rare event is small by construction: the relative figure says how small).
 */

import { NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { choleskySolve } from '../../numeric/cholesky.js';
import { expectedCalibrationError } from '../../numeric/expected-calibration-error.js';
import { applyIsotonic, fitIsotonic, type IsotonicMap } from '../../numeric/isotonic.js';
import { fitLogisticRegression, logisticProbabilities } from '../../numeric/logistic-regression.js';
import { createRng, hashString } from '../../rng.js';
import { checkExamples, checkSameTable, type TableSignature, tableSignature } from '../check-examples.js';
import type { ExposureModel, ModelDescription } from '../model.js';
import { type ModelFiles, readModelFiles, saveModelFiles, weightArray } from '../model-files.js';
import { pairDesign, pairDesignWidth } from './pair-design.js';

export interface ExposureOptions {
  /** Open actions' probabilities are clipped to [clip, 1 − clip] (logged propensities reach 9e-5). */
  readonly clip: number;
  /** L2 penalty of the logistic regression (standardised inputs). */
  readonly l2: number;
  readonly maxIterations: number;
  /** Rows in the logistic fit at most: all contacted rows, a seeded sample of the others. */
  readonly maxFitRows: number;
  /** Share of the rows (the latest days) held out to calibrate and measure calibration. */
  readonly calibrationShare: number;
  readonly calibration: 'auto' | 'isotonic' | 'none';
  readonly eceBins: number;
  /** Fit the regression on logged propensities when at least `minLoggedRows` rows have one. */
  readonly usePropensities: boolean;
  readonly minLoggedRows: number;
  /** Ridge penalty of the propensity regression (standardised inputs). */
  readonly ridge: number;
  readonly seed: number;
}

export const EXPOSURE_DEFAULTS: Readonly<ExposureOptions> = Object.freeze({
  clip: 1e-4,
  l2: 1e-4,
  maxIterations: 50,
  maxFitRows: 200_000,
  calibrationShare: 0.25,
  calibration: 'auto',
  eceBins: 15,
  usePropensities: true,
  minLoggedRows: 50,
  ridge: 1e-3,
  seed: 42,
});

const KIND = 'exposure';
const CHUNK = 16_384;

/** The fitted state, kept apart from the class so save/load are plain copies. */
interface ExposureState {
  readonly signature: TableSignature;
  /** Logistic coefficients, C × (width + 1). */
  readonly logit: Float64Array;
  /** Propensity regression on the raw scale, [intercept | its design], empty when not fitted. */
  readonly propensity: Float64Array;
  /** Per channel: isotonic map or none. */
  readonly calibrators: readonly (IsotonicMap | null)[];
  readonly metrics: Record<string, number>;
}

function bad(message: string): NbgError {
  return new NbgError('BAD_INPUT', `models/exposure: ${message}`);
}

/** Width of the propensity regression's design (after its intercept). */
function propensityWidth(F: number, K: number, C: number, P: number): number {
  return 1 + C + P + F + K;
}

/** Writes the propensity regression's design for row i, channel c (no intercept). */
function propensityRow(rows: UpliftExamples, i: number, c: number, logMu: number, out: Float64Array): void {
  const F = rows.schema.pair.length;
  const K = rows.schema.channel.length;
  const C = rows.channelIds.length;
  const P = rows.productIds.length;
  out.fill(0);
  out[0] = logMu;
  out[1 + c] = 1;
  out[1 + C + (rows.product[i] as number)] = 1;
  for (let j = 0; j < F; j++) out[1 + C + P + j] = rows.x[i * F + j] as number;
  const o = (i * C + c) * K;
  for (let j = 0; j < K; j++) out[1 + C + P + F + j] = rows.xc[o + j] as number;
}

export class Exposure implements ExposureModel {
  readonly kind = KIND;
  readonly options: ExposureOptions;
  private state: ExposureState | undefined;

  constructor(options: Partial<ExposureOptions> = {}) {
    this.options = { ...EXPOSURE_DEFAULTS, ...options };
    const o = this.options;
    if (!(o.clip >= 0 && o.clip < 0.5))
      throw new NbgError('BAD_CONFIG', `models/exposure: clip must be in [0, 0.5), got ${o.clip}`);
    if (!(o.calibrationShare > 0 && o.calibrationShare < 1))
      throw new NbgError(
        'BAD_CONFIG',
        `models/exposure: calibrationShare must be in (0, 1), got ${o.calibrationShare}`,
      );
    if (!(Number.isInteger(o.maxFitRows) && o.maxFitRows >= 100))
      throw new NbgError(
        'BAD_CONFIG',
        `models/exposure: maxFitRows must be an integer ≥ 100, got ${o.maxFitRows}`,
      );
  }

  private fitted(): ExposureState {
    if (!this.state)
      throw new NbgError(
        'BAD_CONFIG',
        'models/exposure: the model is not fitted (call fit or loadModel first)',
      );
    return this.state;
  }

  async fit(train: UpliftExamples): Promise<void> {
    const started = performance.now();
    checkExamples(train, 'models/exposure: fit', true);
    const o = this.options;
    const { n } = train;
    const C = train.channelIds.length;
    const heldOut = this.heldOutRows(train);
    // 1. logistic regression on the training part, non-contacted rows subsampled
    const rng = createRng(o.seed).fork('exposure-subsample');
    let contacted = 0;
    let none = 0;
    for (let i = 0; i < n; i++) {
      if (heldOut[i] === 1 || !((train.weight[i] as number) > 0)) continue;
      if ((train.treatment[i] as number) >= 0) contacted++;
      else none++;
    }
    if (contacted === 0)
      throw bad('no contacted rows among the training rows: the logging policy cannot be learnt');
    // case-control sample: contacted rows up to half the budget, non-contacted rows for the rest,
    // each weighted by 1/rate so the fit still stands for every row
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
      for (let c = 0; c < C; c++) allowed[k * (C + 1) + c + 1] = this.open(train, i, c) ? 1 : 0;
    }
    const fit = fitLogisticRegression(
      { x: design, d: width, labels, classes: C + 1, weights: Float64Array.from(fitWeight), allowed },
      { l2: o.l2, maxIterations: o.maxIterations },
    );
    const metrics: Record<string, number> = {
      rows: n,
      fitRows: m,
      heldOutRows: heldOut.reduce((s, v) => s + v, 0),
      logisticIterations: fit.iterations,
      logisticLoss: fit.loss,
    };
    const partial: ExposureState = {
      signature: tableSignature(train),
      logit: fit.coef,
      propensity: new Float64Array(0),
      calibrators: Array.from({ length: C }, () => null),
      metrics,
    };
    this.state = partial;
    // 2. regression on the logged propensities
    let propensity: Float64Array = new Float64Array(0);
    let logged = 0;
    for (let i = 0; i < n; i++)
      if (
        heldOut[i] === 0 &&
        (train.treatment[i] as number) >= 0 &&
        Number.isFinite(train.loggedPropensity[i] as number)
      )
        logged++;
    metrics.loggedRows = logged;
    if (o.usePropensities && logged >= o.minLoggedRows) {
      const candidate = this.fitPropensityRegression(train, heldOut);
      // kept only where it predicts the held-out logged propensities better than the labels' fit
      const before = this.loggedLogError(train, heldOut);
      this.state = { ...partial, propensity: candidate };
      const after = this.loggedLogError(train, heldOut);
      metrics.loggedLogErrorLabels = before;
      metrics.loggedLogErrorRegression = after;
      if (!(after >= before)) propensity = candidate;
      this.state = { ...partial, propensity };
    }
    metrics.propensityRegression = propensity.length > 0 ? 1 : 0;
    // 3. calibration on the held-out rows
    const calibrators = this.calibrate(train, heldOut, metrics);
    this.state = { ...partial, propensity, calibrators, metrics };
    metrics.seconds = (performance.now() - started) / 1000;
  }

  /** A channel is open for a row when the rules allow it, or when the row was contacted through it. */
  private open(rows: UpliftExamples, i: number, c: number): boolean {
    const C = rows.channelIds.length;
    return rows.contactable[i * C + c] === 1 || (rows.kind === 'train' && rows.treatment[i] === c);
  }

  /** 1 for the calibration rows: the latest days holding `calibrationShare` of the rows, else a client share. */
  private heldOutRows(train: UpliftExamples): Uint8Array {
    const { n } = train;
    const o = this.options;
    const out = new Uint8Array(n);
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++)
      counts.set(train.day[i] as number, (counts.get(train.day[i] as number) ?? 0) + 1);
    const days = [...counts.keys()].sort((a, b) => b - a);
    if (days.length >= 2) {
      let cutoff = days[0] as number;
      let held = 0;
      for (const d of days.slice(0, -1)) {
        if (held > 0 && held + (counts.get(d) as number) > o.calibrationShare * n * 1.5) break;
        held += counts.get(d) as number;
        cutoff = d;
        if (held >= o.calibrationShare * n) break;
      }
      for (let i = 0; i < n; i++) out[i] = (train.day[i] as number) >= cutoff ? 1 : 0;
    } else {
      for (let i = 0; i < n; i++) out[i] = this.clientDraw(train, i) < o.calibrationShare ? 1 : 0;
    }
    return out;
  }

  /** A seeded uniform per client, the same for all its rows. */
  private clientDraw(rows: UpliftExamples, i: number): number {
    return hashString(`${this.options.seed}:${rows.clientIds[rows.client[i] as number]}`) / 4294967296;
  }

  /** Ridge regression of log μ_logged (see the file comment); returns [intercept, β…] on the raw scale. */
  private fitPropensityRegression(train: UpliftExamples, heldOut: Uint8Array): Float64Array {
    const { n } = train;
    const C = train.channelIds.length;
    const D = propensityWidth(
      train.schema.pair.length,
      train.schema.channel.length,
      C,
      train.productIds.length,
    );
    const rowsUsed: number[] = [];
    for (let i = 0; i < n; i++)
      if (
        heldOut[i] === 0 &&
        (train.treatment[i] as number) >= 0 &&
        Number.isFinite(train.loggedPropensity[i] as number)
      )
        rowsUsed.push(i);
    const index = Int32Array.from(rowsUsed);
    const logMu1 = this.logisticChannels(train, index);
    const w = new Float64Array(index.length);
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      w[k] = (train.weight[i] as number) / (train.loggedPropensity[i] as number);
    }
    const cap = [...w].sort((a, b) => a - b)[Math.floor(0.99 * (w.length - 1))] as number;
    for (let k = 0; k < w.length; k++) w[k] = Math.min(w[k] as number, cap);
    // weighted means and sds for standardisation, then normal equations with an intercept
    const z = new Float64Array(D);
    const mean = new Float64Array(D);
    const sq = new Float64Array(D);
    let W = 0;
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      const t = train.treatment[i] as number;
      propensityRow(train, i, t, Math.log(Math.max(1e-12, logMu1[k * C + t] as number)), z);
      const wk = w[k] as number;
      W += wk;
      for (let j = 0; j < D; j++) {
        mean[j] = (mean[j] as number) + wk * (z[j] as number);
        sq[j] = (sq[j] as number) + wk * (z[j] as number) ** 2;
      }
    }
    const sd = new Float64Array(D);
    for (let j = 0; j < D; j++) {
      const mj = (mean[j] as number) / W;
      mean[j] = mj;
      const v = (sq[j] as number) / W - mj * mj;
      sd[j] = v > 1e-12 ? Math.sqrt(v) : 0;
    }
    const D1 = D + 1;
    const A = new Float64Array(D1 * D1);
    const b = new Float64Array(D1);
    const s = new Float64Array(D1);
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      const t = train.treatment[i] as number;
      propensityRow(train, i, t, Math.log(Math.max(1e-12, logMu1[k * C + t] as number)), z);
      s[0] = 1;
      for (let j = 0; j < D; j++)
        s[j + 1] = (sd[j] as number) > 0 ? ((z[j] as number) - (mean[j] as number)) / (sd[j] as number) : 0;
      const wk = (w[k] as number) / W;
      const y = Math.log(train.loggedPropensity[i] as number);
      for (let a = 0; a < D1; a++) {
        const sa = wk * (s[a] as number);
        if (sa === 0) continue;
        b[a] = (b[a] as number) + sa * y;
        for (let c = 0; c <= a; c++) A[a * D1 + c] = (A[a * D1 + c] as number) + sa * (s[c] as number);
      }
    }
    for (let a = 0; a < D1; a++) for (let c = a + 1; c < D1; c++) A[a * D1 + c] = A[c * D1 + a] as number;
    for (let a = 1; a < D1; a++) A[a * D1 + a] = (A[a * D1 + a] as number) + this.options.ridge;
    choleskySolve(A, b, D1, 'models/exposure: propensity regression');
    // back to the raw scale
    const raw = new Float64Array(D1);
    raw[0] = b[0] as number;
    for (let j = 0; j < D; j++) {
      if (!((sd[j] as number) > 0)) continue;
      const beta = (b[j + 1] as number) / (sd[j] as number);
      raw[j + 1] = beta;
      raw[0] = (raw[0] as number) - beta * (mean[j] as number);
    }
    return raw;
  }

  /**
   * Mean |log μ̂(t) − log q| over the held-out contacted rows with a logged propensity q, each
   * weighted by 1/q (capped at its 99th percentile) so that they stand for every row.
   */
  private loggedLogError(rows: UpliftExamples, heldOut: Uint8Array): number {
    const C = rows.channelIds.length;
    const picked: number[] = [];
    for (let i = 0; i < rows.n; i++)
      if (
        heldOut[i] === 1 &&
        (rows.treatment[i] as number) >= 0 &&
        Number.isFinite(rows.loggedPropensity[i] as number)
      )
        picked.push(i);
    if (picked.length === 0) return Number.NaN;
    const index = Int32Array.from(picked);
    const mu = this.uncalibrated(rows, index);
    const w = Float64Array.from(
      index,
      (i) => (rows.weight[i] as number) / (rows.loggedPropensity[i] as number),
    );
    const cap = Float64Array.from(w).sort()[Math.floor(0.99 * (w.length - 1))] as number;
    let err = 0;
    let total = 0;
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      const wk = Math.min(cap, w[k] as number);
      const p = Math.max(this.options.clip, mu[k * C + (rows.treatment[i] as number)] as number);
      err += wk * Math.abs(Math.log(p) - Math.log(rows.loggedPropensity[i] as number));
      total += wk;
    }
    return err / total;
  }

  /** μ̂(c) of the logistic regression for the given rows (n_index × C; 0 for closed channels). */
  private logisticChannels(rows: UpliftExamples, index: Int32Array | null): Float64Array {
    const st = this.fitted();
    const C = rows.channelIds.length;
    const m = index ? index.length : rows.n;
    const width = pairDesignWidth(rows);
    const out = new Float64Array(m * C);
    const design = new Float32Array(Math.min(CHUNK, m) * width);
    const probs = new Float64Array(Math.min(CHUNK, m) * (C + 1));
    const allowed = new Uint8Array(Math.min(CHUNK, m) * (C + 1));
    for (let from = 0; from < m; from += CHUNK) {
      const to = Math.min(m, from + CHUNK);
      const len = to - from;
      pairDesign(rows, index, from, to, design);
      for (let k = 0; k < len; k++) {
        const i = index ? (index[from + k] as number) : from + k;
        allowed[k * (C + 1)] = 1;
        for (let c = 0; c < C; c++) allowed[k * (C + 1) + c + 1] = this.open(rows, i, c) ? 1 : 0;
      }
      logisticProbabilities(
        { classes: C + 1, d: width, coef: st.logit },
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

  /** μ̂(c) before calibration: the propensity regression where fitted, else the logistic one. */
  private uncalibrated(rows: UpliftExamples, index: Int32Array | null): Float64Array {
    const st = this.fitted();
    const mu = this.logisticChannels(rows, index);
    if (st.propensity.length === 0) return mu;
    const C = rows.channelIds.length;
    const D = st.propensity.length - 1;
    const z = new Float64Array(D);
    const m = index ? index.length : rows.n;
    for (let k = 0; k < m; k++) {
      const i = index ? (index[k] as number) : k;
      for (let c = 0; c < C; c++) {
        const p1 = mu[k * C + c] as number;
        if (p1 === 0) continue; // closed channel
        propensityRow(rows, i, c, Math.log(Math.max(1e-12, p1)), z);
        let s = st.propensity[0] as number;
        for (let j = 0; j < D; j++) s += (st.propensity[j + 1] as number) * (z[j] as number);
        // within a factor e of the labels' fit: the log-linear form must not extrapolate wildly
        const l1 = Math.log(Math.max(1e-12, p1));
        mu[k * C + c] = Math.min(1, Math.exp(Math.min(l1 + 1, Math.max(l1 - 1, s))));
      }
    }
    return mu;
  }

  /** Fits the per-channel calibrators on the held-out rows and writes the calibration metrics. */
  private calibrate(
    train: UpliftExamples,
    heldOut: Uint8Array,
    metrics: Record<string, number>,
  ): (IsotonicMap | null)[] {
    const o = this.options;
    const C = train.channelIds.length;
    const rowsHeld: number[] = [];
    for (let i = 0; i < train.n; i++)
      if (heldOut[i] === 1 && (train.weight[i] as number) > 0) rowsHeld.push(i);
    const index = Int32Array.from(rowsHeld);
    const m = index.length;
    const calibrators: (IsotonicMap | null)[] = [];
    if (m === 0) {
      for (let c = 0; c < C; c++) calibrators.push(null);
      metrics.ece = Number.NaN;
      return calibrators;
    }
    const mu = this.uncalibrated(train, index);
    const fold = new Uint8Array(m);
    for (let k = 0; k < m; k++) fold[k] = this.clientDraw(train, index[k] as number) < 0.5 ? 0 : 1;
    const final = new Float64Array(m * C);
    let eceSum = 0;
    let eceRawSum = 0;
    let contactsSum = 0;
    let contactsAll = 0;
    let predAll = 0;
    let wAll = 0;
    for (let c = 0; c < C; c++) {
      const rowsC: number[] = [];
      for (let k = 0; k < m; k++) if (this.open(train, index[k] as number, c)) rowsC.push(k);
      const nC = rowsC.length;
      const score = new Float64Array(nC);
      const target = new Float64Array(nC);
      const weight = new Float64Array(nC);
      let contacts = 0;
      rowsC.forEach((k, r) => {
        const i = index[k] as number;
        score[r] = mu[k * C + c] as number;
        target[r] = train.treatment[i] === c ? 1 : 0;
        weight[r] = train.weight[i] as number;
        contacts += (target[r] as number) * (weight[r] as number);
      });
      const eceRaw = nC > 0 ? expectedCalibrationError(score, target, weight, o.eceBins) : Number.NaN;
      let chosen: IsotonicMap | null = null;
      let ece = eceRaw;
      if (o.calibration !== 'none' && contacts > 0) {
        // cross-fitted isotonic predictions over the two client folds
        const cross = new Float64Array(nC);
        let ok = true;
        for (let f = 0; f < 2; f++) {
          const wFit = weight.map((w, r) => (fold[rowsC[r] as number] === f ? 0 : w));
          if (!wFit.some((w, r) => w > 0 && target[r] === 1)) {
            ok = false;
            break;
          }
          const map = fitIsotonic(score, target, wFit);
          for (let r = 0; r < nC; r++)
            if (fold[rowsC[r] as number] === f) cross[r] = applyIsotonic(map, score[r] as number);
        }
        const eceIso = ok
          ? expectedCalibrationError(cross, target, weight, o.eceBins)
          : Number.POSITIVE_INFINITY;
        if (o.calibration === 'isotonic' || eceIso < eceRaw) {
          chosen = fitIsotonic(score, target, weight);
          ece = ok ? eceIso : eceRaw;
        }
      }
      calibrators.push(chosen);
      const id = train.channelIds[c] as string;
      metrics[`ece.${id}`] = ece;
      metrics[`eceUncalibrated.${id}`] = eceRaw;
      metrics[`calibrated.${id}`] = chosen ? 1 : 0;
      if (Number.isFinite(ece)) {
        eceSum += contacts * ece;
        eceRawSum += contacts * eceRaw;
        contactsSum += contacts;
      }
      for (let r = 0; r < nC; r++) {
        const k = rowsC[r] as number;
        const p = chosen ? applyIsotonic(chosen, score[r] as number) : (score[r] as number);
        final[k * C + c] = p;
        predAll += (weight[r] as number) * p;
      }
    }
    for (let k = 0; k < m; k++) {
      const w = train.weight[index[k] as number] as number;
      wAll += w;
      if ((train.treatment[index[k] as number] as number) >= 0) contactsAll += w;
    }
    metrics.ece = contactsSum > 0 ? eceSum / contactsSum : Number.NaN;
    metrics.eceUncalibrated = contactsSum > 0 ? eceRawSum / contactsSum : Number.NaN;
    metrics.heldOutContactRate = contactsAll / wAll;
    metrics.heldOutPredictedContactRate = predAll / wAll;
    // ECE relative to the mean contact probability of a channel: how large the error is for the event
    metrics.eceRelative = contactsAll > 0 ? metrics.ece / (contactsAll / wAll / C) : Number.NaN;
    // 'no contact' and, where logged, the error on the logged propensities themselves
    const pNone = new Float64Array(m);
    const yNone = new Float64Array(m);
    const wNone = new Float64Array(m);
    let logErr = 0;
    let logW = 0;
    for (let k = 0; k < m; k++) {
      const i = index[k] as number;
      let s = 0;
      for (let c = 0; c < C; c++) s += final[k * C + c] as number;
      pNone[k] = Math.max(0, 1 - s);
      yNone[k] = (train.treatment[i] as number) < 0 ? 1 : 0;
      wNone[k] = train.weight[i] as number;
      const t = train.treatment[i] as number;
      const q = train.loggedPropensity[i] as number;
      if (t >= 0 && Number.isFinite(q)) {
        logErr += Math.abs(Math.log(Math.max(o.clip, final[k * C + t] as number)) - Math.log(q));
        logW++;
      }
    }
    metrics.eceNoContact = expectedCalibrationError(pNone, yNone, wNone, o.eceBins);
    metrics.loggedPropensityMeanAbsLogError = logW > 0 ? logErr / logW : Number.NaN;
    return calibrators;
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
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      const index = new Int32Array(to - from);
      for (let k = 0; k < index.length; k++) index[k] = from + k;
      const raw = this.uncalibrated(rows, index);
      for (let k = 0; k < index.length; k++) {
        const i = from + k;
        for (let c = 0; c < C; c++) {
          const cal = st.calibrators[c];
          const p = raw[k * C + c] as number;
          mu[c] = this.open(rows, i, c) ? (cal ? applyIsotonic(cal, p) : p) : 0;
        }
        const t = rows.kind === 'train' ? (rows.treatment[i] as number) : -1;
        const q = rows.loggedPropensity[i] as number;
        if (t >= 0 && Number.isFinite(q)) {
          // the logged value is exact; the other channels keep their predicted ratio to it
          const ref = Math.max(mu[t] as number, o.clip);
          for (let c = 0; c < C; c++)
            mu[c] = c === t ? q : this.open(rows, i, c) ? ((mu[c] as number) / ref) * q : 0;
        }
        let s = 0;
        for (let c = 0; c < C; c++) s += mu[c] as number;
        if (s > 1 - o.clip) for (let c = 0; c < C; c++) mu[c] = ((mu[c] as number) * (1 - o.clip)) / s;
        mu[C] = 1 - Math.min(s, 1 - o.clip);
        let total = 0;
        for (let a = 0; a <= C; a++) {
          const openA = a === C || this.open(rows, i, a);
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
