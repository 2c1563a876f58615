/**
 * The one training loop of the uplift learners: a SmallNetwork fitted with Adam (Kingma & Ba 2015)
 * on TensorFlow.js (the WASM backend of tf-backend.ts), in seeded mini-batches, with a held-out
 * share of CLIENTS for early stopping (the best epoch's weights are kept), and every tensor freed.
 *
 *   loss = Σ_e w_e ℓ(out_e, y_e) / Σ_e w_e + (λ/2) ‖W1‖²
 *   ℓ = log(1 + e^z) − y z (z the logit; 'logistic')   or   (z − y)² ('linear')
 *
 * Examples are (table row, channel) pairs. A channel is fixed per example (`channel`), or, when
 * `targets` holds one value per channel (stride C), drawn afresh each epoch among the row's
 * contactable channels with a seeded hash: so a regression on n × C pseudo-outcomes costs n
 * examples an epoch (DR- and X-learner second stages) and stays unbiased for every channel.
 */
import * as tf from '@tensorflow/tfjs';
import { NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { createRng } from '../../rng.js';
import { encodeInput } from './pair-inputs.js';
import type { FeatureScaling, NetworkOutput, SmallNetwork } from './small-network.js';
import { inputSize, logit } from './small-network.js';
import { tfBackend } from './tf-backend.js';

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

/** What one network learns from: m examples over the rows of `table`. */
export interface NetworkData {
  readonly output: NetworkOutput;
  /** Channel networks see the channel features and a channel one-hot; control networks do not. */
  readonly channelInputs: boolean;
  /** m table rows. */
  readonly rows: Int32Array;
  /** m channels (channel networks with one channel per example). */
  readonly channel?: Int8Array;
  /** m targets, or m × C (one per channel, the channel drawn each epoch among contactable ones). */
  readonly targets: Float32Array;
  /** m example weights (> 0). */
  readonly weights: Float32Array;
  /**
   * m logits added to every example's output (a 'logistic' network then learns the log-odds
   * ratio over a fixed reference, e.g. the control network's logit); undefined = none.
   */
  readonly offset?: Float32Array;
}

export interface TrainedNetwork {
  readonly network: SmallNetwork;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
}

const MODULE = 'models/train-network';

/** Uniform [0, 1) from a seed and two integers (the per-epoch channel draw). */
function mix(seed: number, a: number, b: number): number {
  let z = (seed ^ Math.imul(a + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
}

/** The channel example e uses in `epoch` when targets are per channel: a contactable one, or −1. */
function drawChannel(table: UpliftExamples, row: number, e: number, epoch: number, seed: number): number {
  const C = table.channelIds.length;
  let count = 0;
  for (let c = 0; c < C; c++) count += table.contactable[row * C + c]!;
  if (count === 0) return -1;
  let k = Math.floor(mix(seed, e, epoch) * count);
  for (let c = 0; c < C; c++) {
    if (!table.contactable[row * C + c]) continue;
    if (k-- === 0) return c;
  }
  return -1;
}

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
      throw new NbgError('BAD_CONFIG', `${where}: ${k} must be an integer ≥ ${min}, got ${o[k]}`);
  if (!(o.learningRate > 0 && o.learningRate < 10))
    throw new NbgError('BAD_CONFIG', `${where}: learningRate must be in (0, 10), got ${o.learningRate}`);
  if (!(o.l2 >= 0 && Number.isFinite(o.l2)))
    throw new NbgError('BAD_CONFIG', `${where}: l2 must be a finite value ≥ 0, got ${o.l2}`);
  if (o.l2OneHot !== undefined && !(o.l2OneHot >= 0 && Number.isFinite(o.l2OneHot)))
    throw new NbgError('BAD_CONFIG', `${where}: l2OneHot must be a finite value ≥ 0, got ${o.l2OneHot}`);
  if (!(o.validationShare >= 0 && o.validationShare < 1))
    throw new NbgError('BAD_CONFIG', `${where}: validationShare must be in [0, 1), got ${o.validationShare}`);
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
  const shape = { F, K, P, C, channelInputs: data.channelInputs };
  const d = inputSize(shape);
  const H = Math.max(options.hidden, 1);
  const m = data.rows.length;
  if (m === 0) throw new NbgError('BAD_INPUT', `${MODULE}: no examples to learn from`);
  const perChannel = data.targets.length === m * C && data.channel === undefined && data.channelInputs;
  if (!perChannel && data.targets.length !== m)
    throw new NbgError('INTERNAL', `${MODULE}: ${data.targets.length} targets for ${m} examples`);
  if (data.offset && data.offset.length !== m)
    throw new NbgError('INTERNAL', `${MODULE}: ${data.offset.length} offsets for ${m} examples`);
  if (data.channelInputs && !perChannel && data.channel?.length !== m)
    throw new NbgError('INTERNAL', `${MODULE}: a channel network needs one channel per example`);

  // split by client, so a client's rows never sit on both sides
  const rng = createRng(seed);
  const splitSalt = rng.fork('split').seed;
  const train: number[] = [];
  const valid: number[] = [];
  for (let e = 0; e < m; e++) {
    const client = table.client[data.rows[e]!]!;
    const held = options.validationShare > 0 && mix(splitSalt, client, 7) < options.validationShare;
    (held ? valid : train).push(e);
  }
  if (train.length === 0) train.push(...valid.splice(0));
  const trainIdx = Int32Array.from(train);
  const validIdx = Int32Array.from(valid);
  const drawSalt = rng.fork('channels').seed;

  const channelOf = (e: number, epoch: number): number => {
    if (!data.channelInputs) return -1;
    if (!perChannel) return data.channel![e]!;
    return drawChannel(table, data.rows[e]!, e, epoch, drawSalt);
  };
  const targetOf = (e: number, c: number): number =>
    perChannel ? data.targets[e * C + c]! : data.targets[e]!;

  // seeded He initialisation; the output bias starts at the weighted mean target
  const init = rng.fork('init');
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
  for (const e of train) {
    const c = perChannel ? -2 : 0;
    const y = c === -2 ? averageTarget(data.targets, e, C) : targetOf(e, 0);
    ySum += data.weights[e]! * y;
    wSum += data.weights[e]!;
  }
  const yMean = wSum > 0 ? ySum / wSum : 0;
  let b2init = data.output === 'logistic' ? logit(yMean, 1e-6) : yMean;
  if (data.offset) {
    // the mean target over the mean of the reference: the log-odds ratio of the means
    let refSum = 0;
    for (const e of train)
      refSum +=
        data.weights[e]! *
        (data.output === 'logistic' ? 1 / (1 + Math.exp(-data.offset[e]!)) : data.offset[e]!);
    const ref = wSum > 0 ? refSum / wSum : 0;
    b2init = data.output === 'logistic' ? logit(yMean, 1e-6) - logit(ref, 1e-6) : yMean - ref;
  }

  const hasHidden = options.hidden > 0;
  const initial = [
    tf.tensor2d(w1, [d, H]),
    tf.zeros([H]),
    tf.tensor2d(hasHidden ? w2 : new Float32Array(H), [H, 1]),
    tf.tensor1d([b2init]),
  ];
  const [vW1, vB1, vW2, vB2] = initial.map((t) => tf.variable(t)) as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  for (const t of initial) t.dispose();
  const variables = hasHidden ? [vW1, vB1, vW2, vB2] : [vW1, vB2];
  // λ per row of W1: the feature rows get l2, the one-hot rows (product, channel) l2OneHot.
  const oneHotFrom = data.channelInputs ? F + K : F;
  const lambdaRows = new Float32Array(d);
  for (let r = 0; r < d; r++) lambdaRows[r] = r < oneHotFrom ? options.l2 : (options.l2OneHot ?? options.l2);
  const penalised = lambdaRows.some((v) => v > 0);
  const lambda = tf.tensor2d(lambdaRows, [d, 1]);
  const optimizer = tf.train.adam(options.learningRate);

  const bs = Math.min(options.batchSize, Math.max(train.length, 1));
  const xBuf = new Float32Array(bs * d);
  const yBuf = new Float32Array(bs);
  const wBuf = new Float32Array(bs);
  const oBuf = new Float32Array(bs);

  const forward = (xb: tf.Tensor2D, count: number): tf.Tensor2D => {
    const z: tf.Tensor2D = hasHidden
      ? tf
          .relu(tf.add(tf.matMul(xb, vW1), vB1))
          .matMul(vW2)
          .add(vB2)
      : tf.add(tf.matMul(xb, vW1), vB2);
    return data.offset ? tf.add(z, tf.tensor2d(oBuf.subarray(0, count), [count, 1])) : z;
  };
  const pointLoss = (z: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor =>
    data.output === 'logistic'
      ? tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))
      : tf.square(tf.sub(z, y));

  /** Fills the batch buffers with examples order[from, from + count); returns the weight sum. */
  const fill = (order: Int32Array, from: number, count: number, epoch: number): number => {
    let total = 0;
    for (let b = 0; b < count; b++) {
      const e = order[from + b]!;
      const c = channelOf(e, epoch);
      const row = data.rows[e]!;
      if (data.channelInputs && c < 0) {
        // no contactable channel this epoch: the example sits out (weight 0)
        xBuf.fill(0, b * d, (b + 1) * d);
        yBuf[b] = 0;
        wBuf[b] = 0;
        continue;
      }
      encodeInput(table, scaling, row, c, xBuf, b * d);
      yBuf[b] = targetOf(e, Math.max(c, 0));
      wBuf[b] = data.weights[e]!;
      oBuf[b] = data.offset ? data.offset[e]! : 0;
      total += wBuf[b]!;
    }
    return total;
  };

  const lossOn = (order: Int32Array): number => {
    let sum = 0;
    let weight = 0;
    for (let from = 0; from < order.length; from += bs) {
      const count = Math.min(bs, order.length - from);
      const w = fill(order, from, count, 0);
      if (w === 0) continue;
      const s = tf.tidy(() => {
        const xb = tf.tensor2d(xBuf.subarray(0, count * d), [count, d]);
        const yb = tf.tensor2d(yBuf.subarray(0, count), [count, 1]);
        const wb = tf.tensor2d(wBuf.subarray(0, count), [count, 1]);
        return tf.sum(tf.mul(pointLoss(forward(xb, count), yb), wb)).dataSync()[0]!;
      });
      sum += s;
      weight += w;
    }
    return weight > 0 ? sum / weight : Number.NaN;
  };

  const snapshot = (): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: number } => ({
    w1: vW1.dataSync().slice() as Float32Array,
    b1: vB1.dataSync().slice() as Float32Array,
    w2: hasHidden ? (vW2.dataSync().slice() as Float32Array) : new Float32Array(0),
    b2: vB2.dataSync()[0]!,
  });

  const shuffle = rng.fork('shuffle');
  const perEpoch =
    options.epochExamples > 0 ? Math.min(options.epochExamples, trainIdx.length) : trainIdx.length;
  let best = snapshot();
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let lastTrain = Number.NaN;
  let epochsRun = 0;
  try {
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
      for (let from = 0; from < perEpoch; from += bs) {
        const count = Math.min(bs, perEpoch - from);
        const w = fill(trainIdx, from, count, epoch);
        if (w === 0) continue;
        const lossValue = tf.tidy(() => {
          const xb = tf.tensor2d(xBuf.subarray(0, count * d), [count, d]);
          const yb = tf.tensor2d(yBuf.subarray(0, count), [count, 1]);
          const wb = tf.tensor2d(wBuf.subarray(0, count), [count, 1]);
          const l = optimizer.minimize(
            () => {
              const data = tf.div(tf.sum(tf.mul(pointLoss(forward(xb, count), yb), wb)), w);
              return (
                penalised ? tf.add(data, tf.mul(0.5, tf.sum(tf.mul(tf.square(vW1), lambda)))) : data
              ) as tf.Scalar;
            },
            true,
            variables,
          );
          return l ? l.dataSync()[0]! : Number.NaN;
        });
        epochLoss += lossValue * w;
        epochWeight += w;
      }
      lastTrain = epochWeight > 0 ? epochLoss / epochWeight : Number.NaN;
      if (!Number.isFinite(lastTrain))
        throw new NbgError(
          'INTERNAL',
          `${MODULE}: training diverged at epoch ${epoch} (loss ${lastTrain}); lower learningRate (${options.learningRate})`,
        );
      if (validIdx.length === 0) {
        best = snapshot();
        bestLoss = lastTrain;
        bestEpoch = epoch;
        continue;
      }
      const v = lossOn(validIdx);
      if (v < bestLoss - 1e-7) {
        bestLoss = v;
        best = snapshot();
        bestEpoch = epoch;
      } else if (epoch - bestEpoch > options.patience) break;
    }
  } finally {
    optimizer.dispose();
    lambda.dispose();
    for (const v of [vW1, vB1, vW2, vB2]) v.dispose();
  }
  return {
    network: {
      output: data.output,
      channelInputs: data.channelInputs,
      F,
      K,
      P,
      C,
      hidden: options.hidden,
      w1: best.w1,
      b1: hasHidden ? best.b1 : new Float32Array(1),
      w2: best.w2,
      b2: best.b2,
    },
    epochs: epochsRun,
    trainLoss: lastTrain,
    validationLoss: bestLoss,
  };
}

function averageTarget(targets: Float32Array, e: number, C: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += targets[e * C + c]!;
  return s / C;
}
