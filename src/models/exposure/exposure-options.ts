/** The exposure model's options, their defaults and their checks. */
import { ErrorCode, NbgError } from '../../errors.js';

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

/** Refuses options the model cannot work with; the message names the option and its range. */
export function checkExposureOptions(o: ExposureOptions): void {
  if (!(o.clip >= 0 && o.clip < 0.5))
    throw new NbgError(ErrorCode.BAD_CONFIG, `models/exposure: clip must be in [0, 0.5), got ${o.clip}`);
  if (!(o.calibrationShare > 0 && o.calibrationShare < 1))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `models/exposure: calibrationShare must be in (0, 1), got ${o.calibrationShare}`,
    );
  if (!(Number.isInteger(o.maxFitRows) && o.maxFitRows >= 100))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `models/exposure: maxFitRows must be an integer ≥ 100, got ${o.maxFitRows}`,
    );
}
