/**
 * What the T-, X- and DR-learners share: resolved options and the propensity source, the first steps
 * of every fit (table checks, the exposure matrix, inverse-propensity weights, the feature
 * scaling), the bootstrap members of the high-variance network, the checks before every
 * prediction, and `describe`.
 */
import { z } from 'zod';
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { checkExamples, checkSameTable, type TableSignature } from '../check-examples.js';
import type { ActionScores, ExposureModel, ModelDescription, OutcomeModel } from '../model.js';
import { fitScaling } from '../network/pair-inputs.js';
import type { FeatureScaling, SmallNetwork } from '../network/small-network.js';
import type { TrainedNetwork } from '../network/train-network.js';
import { exposureMatrix, ipsWeights, type PropensityOptions } from './ips-weights.js';
import {
  applyUpliftCalibration,
  fitUpliftCalibration,
  type UpliftCalibration,
  type UpliftCalibrationOptions,
} from './uplift-calibration.js';
import { notFitted, saveUpliftFiles, type UpliftFiles } from './uplift-files.js';
import {
  resolveUpliftOptions,
  savedOptions,
  type UpliftOptions,
  type UpliftOptionsInput,
} from './uplift-options.js';

/** The fitted state every learner keeps, besides its networks. */
export interface FittedBase {
  readonly signature: TableSignature;
  readonly scaling: FeatureScaling;
}

/** The start of a fit: μ (or undefined), the training weights and the feature scaling. */
export interface FitStart {
  readonly mu: Float32Array | undefined;
  readonly weights: Float32Array;
  readonly scaling: FeatureScaling;
}

export abstract class UpliftLearner<F extends FittedBase> implements OutcomeModel {
  abstract readonly kind: string;
  readonly options: UpliftOptions;
  protected readonly source: PropensityOptions;
  protected fitted: F | undefined;
  protected metrics: Record<string, number> = {};

  constructor(
    options: UpliftOptionsInput,
    protected readonly where: string,
  ) {
    this.options = resolveUpliftOptions(options, where);
    this.source = { propensities: options.propensities, exposure: options.exposure };
  }

  /** Per-channel slopes of the uplift fitted on held-out rows (uplift-calibration.ts), if any. */
  protected calibration: UpliftCalibration | undefined;

  abstract fit(train: UpliftExamples): Promise<void>;
  abstract save(dir: string): Promise<void>;
  /** The learner's own scores, before calibration. */
  protected abstract predictRaw(rows: UpliftExamples): Promise<ActionScores>;

  /** The scores, calibrated when `calibrate` was run (or a calibrated learner was loaded). */
  async predict(rows: UpliftExamples): Promise<ActionScores> {
    const raw = await this.predictRaw(rows);
    if (!this.calibration) return raw;
    return applyUpliftCalibration(
      rows,
      raw,
      this.calibration,
      await this.bandMu(rows, this.calibration.bands),
    );
  }

  /** The exposure model whose μ̂ places an action in its calibration band (a banded calibration needs it). */
  private exposureModel: ExposureModel | undefined;

  useExposure(model: ExposureModel): void {
    this.exposureModel = model;
  }

  needsExposure(): boolean {
    return (this.calibration?.bands?.length ?? 0) > 0 && this.exposureModel === undefined;
  }

  /** μ̂ of the rows from their features alone (the logged propensities left out), when `bands` has edges. */
  private async bandMu(
    rows: UpliftExamples,
    bands: readonly number[] | undefined,
  ): Promise<Float32Array | undefined> {
    if (!bands || bands.length === 0) return undefined;
    if (!this.exposureModel)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `${this.where}: the calibration is banded by the old targeting's propensity and needs the suite's exposure model (load the learner with loadSuite, or call useExposure)`,
      );
    return this.exposureModel.exposure({
      ...rows,
      loggedPropensity: new Float32Array(rows.n).fill(Number.NaN),
    });
  }

  /**
   * Calibrates the fitted learner on `holdout`, training rows of clients it was not fitted on, with
   * the logging propensities `mu` of those rows (n × (C + 1)); replaces any earlier calibration.
   */
  async calibrate(
    holdout: UpliftExamples,
    mu: Float32Array | undefined,
    options: Partial<UpliftCalibrationOptions> = {},
  ): Promise<UpliftCalibration> {
    this.ready();
    return this.calibrateOn(holdout, await this.predictRaw(holdout), mu, options);
  }

  /**
   * Calibrates the fitted learner from uncalibrated scores `raw` of training rows `rows` made by
   * learners that were not fitted on them (cross-fitting: each fold scored by a learner fitted on
   * the other folds), with the rows' logging propensities `mu`; replaces any earlier calibration.
   */
  async calibrateOn(
    rows: UpliftExamples,
    raw: ActionScores,
    mu: Float32Array | undefined,
    options: Partial<UpliftCalibrationOptions> = {},
  ): Promise<UpliftCalibration> {
    this.ready();
    const o = { ...this.options, ...options };
    const cal = fitUpliftCalibration(rows, raw, mu, o, await this.bandMu(rows, o.bands));
    this.calibration = cal;
    const ids = rows.channelIds;
    const B = (cal.bands?.length ?? 0) + 1;
    cal.slope.forEach((b, k) => {
      const channel = ids[Math.floor(k / B)];
      this.metrics[B === 1 ? `calibration_slope_${channel}` : `calibration_slope_${channel}_band${k % B}`] =
        b;
    });
    this.metrics.calibration_rows = cal.rows;
    if (typeof cal.rawPooled === 'number') this.metrics.calibration_ratio_pooled = cal.rawPooled;
    if (typeof cal.rawPooledSe === 'number') this.metrics.calibration_ratio_pooled_se = cal.rawPooledSe;
    return cal;
  }

  describe(): ModelDescription {
    return {
      kind: this.kind,
      featureSchemaVersion: this.fitted?.signature.schemaVersion ?? '',
      options: savedOptions(this.options),
      metrics: { ...this.metrics },
    };
  }

  /** Checks the training table, then μ, the weights and the scaling. */
  protected async startFit(train: UpliftExamples): Promise<FitStart> {
    checkExamples(train, `${this.where} fit`, true);
    const mu = await exposureMatrix(train, this.source, `${this.where} fit`);
    const weights = ipsWeights(train, mu, this.options, `${this.where} fit`);
    return { mu, weights, scaling: fitScaling(train) };
  }

  /** The fitted state, after checking that `rows` is a table the model can read. */
  protected startPredict(rows: UpliftExamples): F {
    const f = this.ready();
    checkExamples(rows, `${this.where} predict`, false);
    checkSameTable(f.signature, rows, `${this.where} predict`);
    return f;
  }

  protected ready(): F {
    if (!this.fitted) throw notFitted(this.where);
    return this.fitted;
  }

  /** Writes the fitted learner to `dir` (uplift-files.ts): its description, signature, scaling and these networks. */
  protected async saveFitted(
    dir: string,
    networks: Readonly<Record<string, SmallNetwork>>,
    extra: Readonly<Record<string, unknown>>,
    arrays: Readonly<Record<string, Float32Array>> = {},
  ): Promise<void> {
    const f = this.ready();
    await saveUpliftFiles(dir, {
      description: this.describe(),
      signature: f.signature,
      scaling: f.scaling,
      networks,
      extra: this.calibration ? { ...extra, calibration: this.calibration } : extra,
      arrays,
    });
  }

  /** Takes a loaded learner's fitted state and its saved metrics; returns the learner. */
  protected restore(files: UpliftFiles, fitted: F): this {
    this.fitted = fitted;
    this.calibration = readCalibration(files, fitted.signature.channelIds.length);
    this.metrics = { ...files.description.metrics };
    return this;
  }
}

const calibrationSchema = z.object({
  slope: z.array(z.number().min(0)),
  bands: z.array(z.number().min(0).max(1)).optional(),
  contacted: z.array(z.number()),
  pooled: z.number(),
  rows: z.number(),
});

/** The saved calibration of a learner's files, checked against its channel count; undefined if none. */
function readCalibration(files: UpliftFiles, channels: number): UpliftCalibration | undefined {
  const raw = files.extra.calibration;
  if (raw === undefined) return undefined;
  const parsed = calibrationSchema.safeParse(raw);
  const strata = channels * ((parsed.data?.bands?.length ?? 0) + 1);
  if (!parsed.success || parsed.data.slope.length !== strata)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models/${files.description.kind}: model.json's calibration is not ${strata} non-negative slopes (${channels} channels × its propensity bands): ${JSON.stringify(raw).slice(0, 200)}`,
    );
  return parsed.data;
}

/**
 * The `members` bootstrap replicates of a learner's high-variance network (its upliftSd): member m
 * trains on seed s_m = seed + 1000 (m + 1), with Poisson(1) weights drawn from s_m (none when there
 * is a single member). Returns the networks and their mean validation loss.
 */
export async function fitBootstrapMembers(
  members: number,
  seed: number,
  fit: (memberSeed: number, bootstrapSeed: number | undefined) => Promise<TrainedNetwork>,
): Promise<{ networks: SmallNetwork[]; validationLoss: number }> {
  const networks: SmallNetwork[] = [];
  let validationLoss = 0;
  for (let m = 0; m < members; m++) {
    const memberSeed = seed + 1000 * (m + 1);
    const t = await fit(memberSeed, members > 1 ? memberSeed : undefined);
    networks.push(t.network);
    validationLoss += t.validationLoss / members;
  }
  return { networks, validationLoss };
}
