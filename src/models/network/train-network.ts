/**
 * The one training loop of the uplift learners: a SmallNetwork fitted with Adam (Kingma & Ba 2015)
 * on TensorFlow.js (the WASM backend of tf-backend.ts), in seeded mini-batches, with a held-out
 * share of CLIENTS for early stopping (the best epoch's weights are kept), and every tensor freed.
 *
 *   loss = Σ_e w_e ℓ(out_e, y_e) / Σ_e w_e + (λ/2) ‖W1‖²
 *   ℓ = log(1 + e^z) − y z (z the logit; 'logistic')   or   (z − y)² ('linear')
 *
 * Examples are (table row, channel) pairs (training-examples.ts). A channel is fixed per example
 * (`channel`), or, when `targets` holds one value per channel (stride C), drawn afresh each epoch
 * among the row's contactable channels with a seeded hash: so a regression on n × C pseudo-outcomes
 * costs n examples an epoch (DR- and X-learner second stages) and stays unbiased for every channel.
 */
import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { createRng, type Rng } from '../../rng.js';
import type { FeatureScaling, NetworkOutput, SmallNetwork } from './small-network.js';
import { inputSize, logit } from './small-network.js';
import { tfBackend } from './tf-backend.js';
import { checkTrainOptions, type TrainOptions } from './train-options.js';
import {
  averageTarget,
  type BatchWriter,
  batchWriter,
  checkNetworkData,
  type ExampleReader,
  exampleReader,
  type NetworkData,
  splitByClient,
} from './training-examples.js';

export interface TrainedNetwork {
  readonly network: SmallNetwork;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
}

const MODULE = 'models/train-network';

/** The weights of a network as plain arrays (an epoch's snapshot, or the start). */
interface Weights {
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: number;
}

/**
 * Fits one network. Deterministic for a seed (initialisation, client split, shuffles, channel
 * draws). Shapes: `data.rows` m, `data.targets` m or m × C, `data.weights` m.
 */
export async function trainNetwork(
  table: UpliftExamples,
  scaling: FeatureScaling,
  data: NetworkData,
  options: TrainOptions,
  seed: number,
): Promise<TrainedNetwork> {
  checkTrainOptions(options, MODULE);
  await tfBackend();
  const F = scaling.xMean.length;
  const K = scaling.cMean.length;
  const P = table.productIds.length;
  const C = table.channelIds.length;
  const d = inputSize({ F, K, P, C, channelInputs: data.channelInputs });
  const H = Math.max(options.hidden, 1);
  const perChannel = checkNetworkData(data, C, MODULE);
  const rng = createRng(seed);
  const { trainIdx, validIdx } = splitByClient(
    table,
    data.rows,
    options.validationShare,
    rng.fork('split').seed,
  );
  const examples = exampleReader(table, data, perChannel, rng.fork('channels').seed);
  const start = initialWeights(data, examples, trainIdx, C, d, H, rng.fork('init'));
  // λ per row of W1: the feature rows get l2, the one-hot rows (product, channel) l2OneHot.
  const oneHotFrom = data.channelInputs ? F + K : F;
  const lambdaRows = new Float32Array(d);
  for (let r = 0; r < d; r++) lambdaRows[r] = r < oneHotFrom ? options.l2 : (options.l2OneHot ?? options.l2);
  const net = tfNetwork(start, d, H, options, data.output, lambdaRows);
  const batches = batchWriter(
    table,
    scaling,
    data,
    examples,
    d,
    Math.min(options.batchSize, Math.max(trainIdx.length, 1)),
  );
  let run: EpochsRun;
  try {
    run = runEpochs(net, batches, trainIdx, validIdx, options, rng.fork('shuffle'));
  } finally {
    net.dispose();
  }
  const hasHidden = options.hidden > 0;
  return {
    network: {
      output: data.output,
      channelInputs: data.channelInputs,
      F,
      K,
      P,
      C,
      hidden: options.hidden,
      w1: run.best.w1,
      b1: hasHidden ? run.best.b1 : new Float32Array(1),
      w2: run.best.w2,
      b2: run.best.b2,
    },
    epochs: run.epochs,
    trainLoss: run.trainLoss,
    validationLoss: run.validationLoss,
  };
}

/**
 * Seeded He initialisation (the hidden biases start at 0); the output bias starts at the weighted
 * mean target over the training examples (an offset network: at the log-odds ratio of that mean
 * over the mean of its reference).
 */
function initialWeights(
  data: NetworkData,
  examples: ExampleReader,
  trainIdx: Int32Array,
  C: number,
  d: number,
  H: number,
  init: Rng,
): Omit<Weights, 'b1'> {
  const w1 = new Float32Array(d * H);
  const scale = Math.sqrt(2 / d);
  for (let i = 0; i < w1.length; i++) w1[i] = init.normal() * scale;
  const w2 = new Float32Array(H);
  // a regression on small, noisy effects starts near the constant mean (output weights × 0.01)
  // (an offset network too: it starts near its reference)
  const w2Scale = data.output === 'linear' || data.offset ? 0.01 : 1;
  for (let i = 0; i < H; i++) w2[i] = init.normal() * Math.sqrt(1 / H) * w2Scale;
  let ySum = 0;
  let wSum = 0;
  for (const e of trainIdx) {
    const y = examples.perChannel ? averageTarget(data.targets, e, C) : examples.targetOf(e, 0);
    ySum += data.weights[e]! * y;
    wSum += data.weights[e]!;
  }
  const yMean = wSum > 0 ? ySum / wSum : 0;
  let b2 = data.output === 'logistic' ? logit(yMean, 1e-6) : yMean;
  if (data.offset) {
    // the mean target over the mean of the reference: the log-odds ratio of the means
    let refSum = 0;
    for (const e of trainIdx)
      refSum +=
        data.weights[e]! *
        (data.output === 'logistic' ? 1 / (1 + Math.exp(-data.offset[e]!)) : data.offset[e]!);
    const ref = wSum > 0 ? refSum / wSum : 0;
    b2 = data.output === 'logistic' ? logit(yMean, 1e-6) - logit(ref, 1e-6) : yMean - ref;
  }
  return { w1, w2, b2 };
}

/** The network as TensorFlow.js variables, with its forward pass, loss and optimiser. */
interface TfNetwork {
  /** The logits of a batch of `count` inputs, plus their offsets when given. */
  forward(xb: tf.Tensor2D, count: number, offset: Float32Array | undefined): tf.Tensor2D;
  /** ℓ per example (see the file comment). */
  pointLoss(z: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor;
  /** One Adam step on `loss` (the data term; the L2 penalty is added here); returns the loss. */
  step(loss: () => tf.Tensor): number;
  snapshot(): Weights;
  dispose(): void;
}

function tfNetwork(
  start: Omit<Weights, 'b1'>,
  d: number,
  H: number,
  options: TrainOptions,
  output: NetworkOutput,
  lambdaRows: Float32Array,
): TfNetwork {
  const hasHidden = options.hidden > 0;
  const initial = [
    tf.tensor2d(start.w1, [d, H]),
    tf.zeros([H]),
    tf.tensor2d(hasHidden ? start.w2 : new Float32Array(H), [H, 1]),
    tf.tensor1d([start.b2]),
  ];
  const [vW1, vB1, vW2, vB2] = initial.map((t) => tf.variable(t)) as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  for (const t of initial) t.dispose();
  const variables = hasHidden ? [vW1, vB1, vW2, vB2] : [vW1, vB2];
  const penalised = lambdaRows.some((v) => v > 0);
  const lambda = tf.tensor2d(lambdaRows, [d, 1]);
  const optimizer = tf.train.adam(options.learningRate);
  return {
    forward: (xb, count, offset) => {
      const z: tf.Tensor2D = hasHidden
        ? tf
            .relu(tf.add(tf.matMul(xb, vW1), vB1))
            .matMul(vW2)
            .add(vB2)
        : tf.add(tf.matMul(xb, vW1), vB2);
      return offset ? tf.add(z, tf.tensor2d(offset.subarray(0, count), [count, 1])) : z;
    },
    pointLoss: (z, y) =>
      output === 'logistic'
        ? tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))
        : tf.square(tf.sub(z, y)),
    step: (loss) => {
      const l = optimizer.minimize(
        () => {
          const data = loss();
          return (
            penalised ? tf.add(data, tf.mul(0.5, tf.sum(tf.mul(tf.square(vW1), lambda)))) : data
          ) as tf.Scalar;
        },
        true,
        variables,
      );
      return l ? l.dataSync()[0]! : Number.NaN;
    },
    snapshot: () => ({
      w1: vW1.dataSync().slice() as Float32Array,
      b1: vB1.dataSync().slice() as Float32Array,
      w2: hasHidden ? (vW2.dataSync().slice() as Float32Array) : new Float32Array(0),
      b2: vB2.dataSync()[0]!,
    }),
    dispose: () => {
      optimizer.dispose();
      lambda.dispose();
      for (const v of [vW1, vB1, vW2, vB2]) v.dispose();
    },
  };
}

/** Σ w ℓ over the batch in the buffers (its first `count` examples), as a tensor. */
function batchLoss(net: TfNetwork, batch: BatchWriter, count: number): tf.Tensor {
  const { d } = batch;
  const xb = tf.tensor2d(batch.x.subarray(0, count * d), [count, d]);
  const yb = tf.tensor2d(batch.y.subarray(0, count), [count, 1]);
  const wb = tf.tensor2d(batch.w.subarray(0, count), [count, 1]);
  return tf.sum(tf.mul(net.pointLoss(net.forward(xb, count, batch.offset), yb), wb));
}

/** The weighted mean loss over the examples of `order` (channels drawn as in epoch 0). */
function meanLoss(net: TfNetwork, batch: BatchWriter, order: Int32Array): number {
  let sum = 0;
  let weight = 0;
  for (let from = 0; from < order.length; from += batch.size) {
    const count = Math.min(batch.size, order.length - from);
    const w = batch.fill(order, from, count, 0);
    if (w === 0) continue;
    sum += tf.tidy(() => batchLoss(net, batch, count).dataSync()[0]!);
    weight += w;
  }
  return weight > 0 ? sum / weight : Number.NaN;
}

interface EpochsRun {
  /** The kept weights: the best validation epoch's, or the last epoch's without validation. */
  readonly best: Weights;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
}

/** The epochs: shuffled mini-batches, then early stopping on the validation examples. */
function runEpochs(
  net: TfNetwork,
  batch: BatchWriter,
  trainIdx: Int32Array,
  validIdx: Int32Array,
  options: TrainOptions,
  shuffle: Rng,
): EpochsRun {
  const perEpoch =
    options.epochExamples > 0 ? Math.min(options.epochExamples, trainIdx.length) : trainIdx.length;
  let best = net.snapshot();
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let lastTrain = Number.NaN;
  let epochsRun = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    epochsRun = epoch;
    // Fisher–Yates with the seeded generator
    for (let i = trainIdx.length - 1; i > 0; i--) {
      const j = shuffle.int(i + 1);
      const t = trainIdx[i]!;
      trainIdx[i] = trainIdx[j]!;
      trainIdx[j] = t;
    }
    let epochLoss = 0;
    let epochWeight = 0;
    for (let from = 0; from < perEpoch; from += batch.size) {
      const count = Math.min(batch.size, perEpoch - from);
      const w = batch.fill(trainIdx, from, count, epoch);
      if (w === 0) continue;
      const lossValue = tf.tidy(() => net.step(() => tf.div(batchLoss(net, batch, count), w)));
      epochLoss += lossValue * w;
      epochWeight += w;
    }
    lastTrain = epochWeight > 0 ? epochLoss / epochWeight : Number.NaN;
    if (!Number.isFinite(lastTrain))
      throw new NbgError(
        ErrorCode.INTERNAL,
        `${MODULE}: training diverged at epoch ${epoch} (loss ${lastTrain}); lower learningRate (${options.learningRate})`,
      );
    if (validIdx.length === 0) {
      best = net.snapshot();
      bestLoss = lastTrain;
      bestEpoch = epoch;
      continue;
    }
    const v = meanLoss(net, batch, validIdx);
    if (v < bestLoss - 1e-7) {
      bestLoss = v;
      best = net.snapshot();
      bestEpoch = epoch;
    } else if (epoch - bestEpoch > options.patience) break;
  }
  return { best, epochs: epochsRun, trainLoss: lastTrain, validationLoss: bestLoss };
}
