/**
 * What the T-, X- and DR-learners share: resolved options and the propensity source, the first steps
 * of every fit (table checks, the exposure matrix, inverse-propensity weights, the feature
 * scaling), the checks before every prediction, and `describe`.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { checkExamples, checkSameTable, type TableSignature } from '../check-examples.js';
import type { ActionScores, ModelDescription, OutcomeModel } from '../model.js';
import { fitScaling } from '../network/pair-inputs.js';
import type { FeatureScaling } from '../network/small-network.js';
import { exposureMatrix, ipsWeights, type PropensityOptions } from './ips-weights.js';
import { notFitted } from './uplift-files.js';
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

  abstract fit(train: UpliftExamples): Promise<void>;
  abstract predict(rows: UpliftExamples): Promise<ActionScores>;
  abstract save(dir: string): Promise<void>;

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
}
