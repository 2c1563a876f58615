/**
 * Step 3 of the exposure model: calibration per channel on the held-out rows. An isotonic regression
 * (Zadrozny & Elkan 2002) of 1[contacted through c] on the predicted μ(c) is kept for a channel only
 * when it lowers the expected calibration error cross-fitted over two client folds
 * (`calibration: 'auto'`; 'isotonic' keeps it always, 'none' never).
 *
 * Metrics written: `ece` (equal-mass-bin ECE of μ(c) against the observed contact through c on the
 * held-out rows, cross-fitted where calibrated, averaged over channels weighted by their contacts),
 * per channel and before calibration; `eceRelative` (relative to the mean contact probability of a
 * channel: the ECE of a rare event is small by construction); the held-out contact rates, observed
 * and predicted; `eceNoContact`; the mean |log error| on the logged propensities.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { expectedCalibrationError } from '../../numeric/expected-calibration-error.js';
import { applyIsotonic, fitIsotonic, type IsotonicMap } from '../../numeric/isotonic.js';
import type { ExposureOptions } from './exposure-options.js';
import { clientDraw, openChannel } from './exposure-rows.js';
import { type ExposureRegressions, uncalibratedExposure } from './propensity-regression.js';

/** One channel's held-out rows: predicted μ(c), the observed contact through c, the row weight. */
interface ChannelRows {
  readonly score: Float64Array;
  readonly target: Float64Array;
  readonly weight: Float64Array;
  /** Each row's client fold (0 or 1). */
  readonly fold: Uint8Array;
  /** Σ weight × target: the weighted contacts through the channel. */
  readonly contacts: number;
}

/** The calibrator chosen for one channel, and its ECE before and after. */
interface ChannelCalibration {
  readonly chosen: IsotonicMap | null;
  readonly ece: number;
  readonly eceRaw: number;
}

/** Fits the per-channel calibrators on the held-out rows and writes the calibration metrics. */
export function calibrate(
  fit: ExposureRegressions,
  train: UpliftExamples,
  heldOut: Uint8Array,
  o: ExposureOptions,
  metrics: Record<string, number>,
): (IsotonicMap | null)[] {
  const C = train.channelIds.length;
  const rowsHeld: number[] = [];
  for (let i = 0; i < train.n; i++) if (heldOut[i] === 1 && (train.weight[i] as number) > 0) rowsHeld.push(i);
  const index = Int32Array.from(rowsHeld);
  const m = index.length;
  const calibrators: (IsotonicMap | null)[] = [];
  if (m === 0) {
    for (let c = 0; c < C; c++) calibrators.push(null);
    metrics.ece = Number.NaN;
    return calibrators;
  }
  const mu = uncalibratedExposure(fit, train, index);
  const fold = new Uint8Array(m);
  for (let k = 0; k < m; k++) fold[k] = clientDraw(train, index[k] as number, o.seed) < 0.5 ? 0 : 1;
  const final = new Float64Array(m * C);
  let eceSum = 0;
  let eceRawSum = 0;
  let contactsSum = 0;
  let contactsAll = 0;
  let predAll = 0;
  let wAll = 0;
  for (let c = 0; c < C; c++) {
    const rowsC: number[] = [];
    for (let k = 0; k < m; k++) if (openChannel(train, index[k] as number, c)) rowsC.push(k);
    const ch = channelRows(train, index, mu, fold, rowsC, c);
    const { chosen, ece, eceRaw } = calibrateChannel(ch, o);
    calibrators.push(chosen);
    const id = train.channelIds[c] as string;
    metrics[`ece.${id}`] = ece;
    metrics[`eceUncalibrated.${id}`] = eceRaw;
    metrics[`calibrated.${id}`] = chosen ? 1 : 0;
    if (Number.isFinite(ece)) {
      eceSum += ch.contacts * ece;
      eceRawSum += ch.contacts * eceRaw;
      contactsSum += ch.contacts;
    }
    for (let r = 0; r < rowsC.length; r++) {
      const k = rowsC[r] as number;
      const p = chosen ? applyIsotonic(chosen, ch.score[r] as number) : (ch.score[r] as number);
      final[k * C + c] = p;
      predAll += (ch.weight[r] as number) * p;
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
  noContactMetrics(train, index, final, o, metrics);
  return calibrators;
}

/** Channel c's rows (positions k into `index`, open for c) as calibration data. */
function channelRows(
  train: UpliftExamples,
  index: Int32Array,
  mu: Float64Array,
  fold: Uint8Array,
  rowsC: readonly number[],
  c: number,
): ChannelRows {
  const C = train.channelIds.length;
  const nC = rowsC.length;
  const score = new Float64Array(nC);
  const target = new Float64Array(nC);
  const weight = new Float64Array(nC);
  const foldC = new Uint8Array(nC);
  let contacts = 0;
  rowsC.forEach((k, r) => {
    const i = index[k] as number;
    score[r] = mu[k * C + c] as number;
    target[r] = train.treatment[i] === c ? 1 : 0;
    weight[r] = train.weight[i] as number;
    foldC[r] = fold[k] as number;
    contacts += (target[r] as number) * (weight[r] as number);
  });
  return { score, target, weight, fold: foldC, contacts };
}

/** The isotonic calibrator of one channel, when the options and the cross-fitted ECE call for it. */
function calibrateChannel(ch: ChannelRows, o: ExposureOptions): ChannelCalibration {
  const { score, target, weight, fold } = ch;
  const nC = score.length;
  const eceRaw = nC > 0 ? expectedCalibrationError(score, target, weight, o.eceBins) : Number.NaN;
  let chosen: IsotonicMap | null = null;
  let ece = eceRaw;
  if (o.calibration !== 'none' && ch.contacts > 0) {
    // cross-fitted isotonic predictions over the two client folds
    const cross = new Float64Array(nC);
    let ok = true;
    for (let f = 0; f < 2; f++) {
      const wFit = weight.map((w, r) => (fold[r] === f ? 0 : w));
      if (!wFit.some((w, r) => w > 0 && target[r] === 1)) {
        ok = false;
        break;
      }
      const map = fitIsotonic(score, target, wFit);
      for (let r = 0; r < nC; r++) if (fold[r] === f) cross[r] = applyIsotonic(map, score[r] as number);
    }
    const eceIso = ok ? expectedCalibrationError(cross, target, weight, o.eceBins) : Number.POSITIVE_INFINITY;
    if (o.calibration === 'isotonic' || eceIso < eceRaw) {
      chosen = fitIsotonic(score, target, weight);
      ece = ok ? eceIso : eceRaw;
    }
  }
  return { chosen, ece, eceRaw };
}

/** 'No contact' ECE and, where logged, the mean |log error| of the calibrated μ on the logged values. */
function noContactMetrics(
  train: UpliftExamples,
  index: Int32Array,
  final: Float64Array,
  o: ExposureOptions,
  metrics: Record<string, number>,
): void {
  const C = train.channelIds.length;
  const m = index.length;
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
}
