/** How a network is trained (train-network.ts): its options, their defaults and their checks. */
import { ErrorCode, NbgError } from '../../errors.js';

export interface TrainOptions {
  /** Hidden units; 0 = a logistic (or linear) model without hidden layer. */
  readonly hidden: number;
  /** Largest number of passes over the examples. */
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** λ of the L2 penalty on the first layer's weights of the features (x̃, x̃c). */
  readonly l2: number;
  /**
   * λ on the first layer's weights of the one-hot blocks (product, channel); undefined = `l2`. A
   * few categorical intercepts need less shrinkage than many features: the channel contrasts live
   * there.
   */
  readonly l2OneHot?: number | undefined;
  /** Epochs without a better held-out loss before stopping. */
  readonly patience: number;
  /** Share of clients held out for early stopping (0 = none: every epoch runs, the last is kept). */
  readonly validationShare: number;
  /** Examples per epoch when there are more (0 = all): a random subset each epoch. */
  readonly epochExamples: number;
}

export const TRAIN_DEFAULTS: Readonly<TrainOptions> = Object.freeze({
  hidden: 16,
  epochs: 8,
  batchSize: 2048,
  learningRate: 0.01,
  l2: 1e-5,
  patience: 1,
  validationShare: 0.15,
  epochExamples: 0,
});

/** Refuses options a network cannot be trained with; `where` names the network in the message. */
export function checkTrainOptions(o: TrainOptions, where: string): void {
  const ints: [keyof TrainOptions, number][] = [
    ['hidden', 0],
    ['epochs', 1],
    ['batchSize', 1],
    ['patience', 0],
    ['epochExamples', 0],
  ];
  for (const [k, min] of ints)
    if (!Number.isInteger(o[k]) || (o[k] as number) < min)
      throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: ${k} must be an integer ≥ ${min}, got ${o[k]}`);
  if (!(o.learningRate > 0 && o.learningRate < 10))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: learningRate must be in (0, 10), got ${o.learningRate}`,
    );
  if (!(o.l2 >= 0 && Number.isFinite(o.l2)))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${where}: l2 must be a finite value ≥ 0, got ${o.l2}`);
  if (o.l2OneHot !== undefined && !(o.l2OneHot >= 0 && Number.isFinite(o.l2OneHot)))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: l2OneHot must be a finite value ≥ 0, got ${o.l2OneHot}`,
    );
  if (!(o.validationShare >= 0 && o.validationShare < 1))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${where}: validationShare must be in [0, 1), got ${o.validationShare}`,
    );
}
