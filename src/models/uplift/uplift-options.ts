/**
 * The options every uplift learner (T-, X-, DR-learner) shares, with their defaults. The
 * propensity source (`propensities` or `exposure`) is given at construction and is not saved: a
 * loaded model scores without it.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import { checkTrainOptions, TRAIN_DEFAULTS, type TrainOptions } from '../network/train-options.js';
import type { PropensityOptions, WeightOptions } from './ips-weights.js';

export interface UpliftOptions extends WeightOptions {
  readonly seed: number;
  /** Bootstrap replicates of the high-variance part (the treated / effect networks): upliftSd. */
  readonly members: number;
  /**
   * T-learner: control networks f0 averaged (each on its own seed). f0's fit-to-fit noise enters the
   * uplift f1 − f0 whole; averaging a few steadies the ranking.
   */
  readonly controlMembers: number;
  /**
   * T-learner: contacted-row networks fitted as offset networks over f0's log-odds (they learn the
   * log-odds ratio of a contact), beside the `members` free ones; pContact averages both kinds. The
   * two parametrisations err differently, and their average ranks the uplift better than either.
   */
  readonly offsetMembers: number;
  /** Training of the control (no contact) network, on many rows. */
  readonly control: TrainOptions;
  /** Training of the networks learnt on the contacted rows (f1, and the X-learner's τ1). */
  readonly treated: TrainOptions;
  /** Training of the effect regressions on all rows (DR-learner's τ, X-learner's τ0). */
  readonly effect: TrainOptions;
  /** Cross-fitting folds of the DR-learner's nuisance networks (by client). */
  readonly folds: number;
}

export const UPLIFT_DEFAULTS: Readonly<UpliftOptions> = Object.freeze({
  seed: 1,
  members: 3,
  controlMembers: 4,
  offsetMembers: 3,
  weighting: 'ips',
  maxWeight: 50,
  minPropensity: 0.01,
  control: { ...TRAIN_DEFAULTS, hidden: 16, epochs: 6, epochExamples: 400_000 },
  // The contacted rows are few: their many feature weights get L2 1e-3, the product and channel
  // one-hots (the contrasts the policy chooses by) 1e-5. docs/models.md says what each choice cost.
  treated: {
    ...TRAIN_DEFAULTS,
    hidden: 16,
    epochs: 30,
    batchSize: 256,
    patience: 2,
    l2: 1e-3,
    l2OneHot: 1e-5,
  },
  effect: { ...TRAIN_DEFAULTS, hidden: 16, epochs: 6, epochExamples: 400_000 },
  folds: 2,
});

/** Options as callers give them: any part, nested training options too. */
export type UpliftOptionsInput = Partial<Omit<UpliftOptions, 'control' | 'treated' | 'effect'>> & {
  readonly control?: Partial<TrainOptions>;
  readonly treated?: Partial<TrainOptions>;
  readonly effect?: Partial<TrainOptions>;
} & PropensityOptions;

/** Defaults filled in and every value checked; errors name the learner and the option. */
export function resolveUpliftOptions(input: UpliftOptionsInput, where: string): UpliftOptions {
  const o: UpliftOptions = {
    seed: input.seed ?? UPLIFT_DEFAULTS.seed,
    members: input.members ?? UPLIFT_DEFAULTS.members,
    controlMembers: input.controlMembers ?? UPLIFT_DEFAULTS.controlMembers,
    offsetMembers: input.offsetMembers ?? UPLIFT_DEFAULTS.offsetMembers,
    weighting: input.weighting ?? UPLIFT_DEFAULTS.weighting,
    maxWeight: input.maxWeight ?? UPLIFT_DEFAULTS.maxWeight,
    minPropensity: input.minPropensity ?? UPLIFT_DEFAULTS.minPropensity,
    control: { ...UPLIFT_DEFAULTS.control, ...input.control },
    treated: { ...UPLIFT_DEFAULTS.treated, ...input.treated },
    effect: { ...UPLIFT_DEFAULTS.effect, ...input.effect },
    folds: input.folds ?? UPLIFT_DEFAULTS.folds,
  };
  if (!Number.isInteger(o.seed))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.members) || o.members < 1 || o.members > 50)
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: members must be an integer in 1..50, got ${o.members}`,
    );
  if (!Number.isInteger(o.controlMembers) || o.controlMembers < 1 || o.controlMembers > 50)
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: controlMembers must be an integer in 1..50, got ${o.controlMembers}`,
    );
  if (!Number.isInteger(o.offsetMembers) || o.offsetMembers < 0 || o.offsetMembers > 50)
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: offsetMembers must be an integer in 0..50, got ${o.offsetMembers}`,
    );
  if (o.weighting !== 'ips' && o.weighting !== 'stabilised' && o.weighting !== 'none')
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: weighting must be 'ips', 'stabilised' or 'none', got ${String(o.weighting)}`,
    );
  if (!(o.maxWeight >= 1))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: maxWeight must be ≥ 1, got ${o.maxWeight}`);
  if (!(o.minPropensity > 0 && o.minPropensity < 1))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: minPropensity must be in (0, 1), got ${o.minPropensity}`,
    );
  checkTrainOptions(o.control, `${where} (control)`);
  checkTrainOptions(o.treated, `${where} (treated)`);
  checkTrainOptions(o.effect, `${where} (effect)`);
  if (!Number.isInteger(o.folds) || o.folds < 2 || o.folds > 10)
    throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: folds must be an integer in 2..10, got ${o.folds}`);
  return o;
}

/** The options as saved in model.json (everything but the propensity source). */
export function savedOptions(o: UpliftOptions): Record<string, unknown> {
  return { ...o, control: { ...o.control }, treated: { ...o.treated }, effect: { ...o.effect } };
}
