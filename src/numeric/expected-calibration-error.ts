/**
 * Expected calibration error with equal-mass bins (Naeini, Cooper & Hauskrecht 2015; equal-mass
 * ("adaptive") bins as Nixon et al. 2019 recommend for skewed scores):
 *
 *   ECE = Σ_b (W_b / W) · | Σ_{i∈b} w_i p_i / W_b − Σ_{i∈b} w_i y_i / W_b |
 *
 * rows sorted by predicted probability p and cut into `bins` bins of equal total weight W_b;
 * y is the observed 0/1 event. Rows with weight 0 are ignored.
 */
import { ErrorCode, NbgError } from '../errors.js';

export const ECE_DEFAULT_BINS = 15;

export function expectedCalibrationError(
  predicted: ArrayLike<number>,
  observed: ArrayLike<number>,
  weight: ArrayLike<number>,
  bins: number = ECE_DEFAULT_BINS,
): number {
  const n = predicted.length;
  if (observed.length !== n || weight.length !== n)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `numeric/expected-calibration-error: ${n} predictions, ${observed.length} observations, ${weight.length} weights: lengths must agree`,
    );
  if (!Number.isInteger(bins) || bins < 1)
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `numeric/expected-calibration-error: bins must be an integer ≥ 1, got ${bins}`,
    );
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => (weight[i] as number) > 0)
    .sort((a, b) => (predicted[a] as number) - (predicted[b] as number));
  let W = 0;
  for (const i of order) W += weight[i] as number;
  if (!(W > 0)) return Number.NaN;
  let ece = 0;
  let bin = 0;
  let wb = 0;
  let sp = 0;
  let sy = 0;
  let cum = 0;
  for (const i of order) {
    const w = weight[i] as number;
    wb += w;
    sp += w * (predicted[i] as number);
    sy += w * (observed[i] as number);
    cum += w;
    // close the bin when its share of the weight is reached (the last bin takes the rest)
    if (cum >= (W * (bin + 1)) / bins - 1e-9 * W || cum === W) {
      ece += Math.abs(sp - sy) / W;
      bin++;
      wb = 0;
      sp = 0;
      sy = 0;
    }
  }
  if (wb > 0) ece += Math.abs(sp - sy) / W;
  return ece;
}

/**
 * The expected calibration error relative to the mean prediction:
 *
 *   ECE_rel = ECE / p̄,   p̄ = Σ_i w_i p_i / W   (NaN when p̄ is 0 or no row has weight)
 *
 * the miscalibration as a share of the rate being predicted. The absolute ECE of a rare event is
 * small whatever the model (predicting twice a rate of 0.003 costs 0.003); this one is not:
 * predictions twice too high give about 0.5, half too low about 1, a calibrated model only its
 * sampling noise. Same bins and weights as expectedCalibrationError.
 */
export function relativeCalibrationError(
  predicted: ArrayLike<number>,
  observed: ArrayLike<number>,
  weight: ArrayLike<number>,
  bins: number = ECE_DEFAULT_BINS,
): number {
  const ece = expectedCalibrationError(predicted, observed, weight, bins);
  let W = 0;
  let sp = 0;
  for (let i = 0; i < predicted.length; i++) {
    const w = weight[i] as number;
    if (!(w > 0)) continue;
    W += w;
    sp += w * (predicted[i] as number);
  }
  return W > 0 && sp > 0 ? ece / (sp / W) : Number.NaN;
}
