/**
 * Step 2 of the exposure model: logged propensities are exact values of μ(treatment | row), so they
 * are regression targets. A ridge regression of log μ on [log μ̂₁(c) | onehot(c) | onehot(product) |
 * x | xc_c] (μ̂₁ the label regression's) over the contacted training rows that carry one, each
 * weighted by w/μ capped at the 99th percentile: contacted rows are drawn with probability μ, so
 * 1/μ makes them stand for every row (Horvitz & Thompson 1952). Its prediction is kept within a
 * factor e of the label regression's.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { choleskySolve } from '../../numeric/cholesky.js';
import { labelChannels } from './label-regression.js';

/** The two regressions of a fitted exposure model, before calibration. */
export interface ExposureRegressions {
  /** Label regression coefficients, C × (width + 1). */
  readonly logit: Float64Array;
  /** Propensity regression on the raw scale, [intercept | its design], empty when not fitted. */
  readonly propensity: Float64Array;
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

/** The contacted rows with a logged propensity, among the rows whose heldOut flag is `held`. */
export function loggedContactedRows(rows: UpliftExamples, heldOut: Uint8Array, held: 0 | 1): Int32Array {
  const picked: number[] = [];
  for (let i = 0; i < rows.n; i++)
    if (
      heldOut[i] === held &&
      (rows.treatment[i] as number) >= 0 &&
      Number.isFinite(rows.loggedPropensity[i] as number)
    )
      picked.push(i);
  return Int32Array.from(picked);
}

/** Ridge regression of log μ_logged (see the file comment); returns [intercept, β…] on the raw scale. */
export function fitPropensityRegression(
  train: UpliftExamples,
  heldOut: Uint8Array,
  logit: Float64Array,
  ridge: number,
): Float64Array {
  const C = train.channelIds.length;
  const D = propensityWidth(
    train.schema.pair.length,
    train.schema.channel.length,
    C,
    train.productIds.length,
  );
  const index = loggedContactedRows(train, heldOut, 0);
  const logMu1 = labelChannels(logit, train, index);
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
  for (let a = 1; a < D1; a++) A[a * D1 + a] = (A[a * D1 + a] as number) + ridge;
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

/** μ̂(c) before calibration: the propensity regression where fitted, else the label regression's. */
export function uncalibratedExposure(
  fit: ExposureRegressions,
  rows: UpliftExamples,
  index: Int32Array | null,
): Float64Array {
  const mu = labelChannels(fit.logit, rows, index);
  if (fit.propensity.length === 0) return mu;
  const C = rows.channelIds.length;
  const D = fit.propensity.length - 1;
  const z = new Float64Array(D);
  const m = index ? index.length : rows.n;
  for (let k = 0; k < m; k++) {
    const i = index ? (index[k] as number) : k;
    for (let c = 0; c < C; c++) {
      const p1 = mu[k * C + c] as number;
      if (p1 === 0) continue; // closed channel
      propensityRow(rows, i, c, Math.log(Math.max(1e-12, p1)), z);
      let s = fit.propensity[0] as number;
      for (let j = 0; j < D; j++) s += (fit.propensity[j + 1] as number) * (z[j] as number);
      // within a factor e of the labels' fit: the log-linear form must not extrapolate wildly
      const l1 = Math.log(Math.max(1e-12, p1));
      mu[k * C + c] = Math.min(1, Math.exp(Math.min(l1 + 1, Math.max(l1 - 1, s))));
    }
  }
  return mu;
}

/**
 * Mean |log μ̂(t) − log q| over the held-out contacted rows with a logged propensity q, each
 * weighted by 1/q (capped at its 99th percentile) so that they stand for every row.
 */
export function loggedLogError(
  fit: ExposureRegressions,
  rows: UpliftExamples,
  heldOut: Uint8Array,
  clip: number,
): number {
  const C = rows.channelIds.length;
  const index = loggedContactedRows(rows, heldOut, 1);
  if (index.length === 0) return Number.NaN;
  const mu = uncalibratedExposure(fit, rows, index);
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
    const p = Math.max(clip, mu[k * C + (rows.treatment[i] as number)] as number);
    err += wk * Math.abs(Math.log(p) - Math.log(rows.loggedPropensity[i] as number));
    total += wk;
  }
  return err / total;
}
