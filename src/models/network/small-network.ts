/**
 * The small network every uplift learner uses, as plain Float32Arrays so it scores in TypeScript
 * without TensorFlow.js (a client's 60 actions in microseconds) and saves as flat weight files.
 *
 * Input of a row i for action c (the layout `PairInputs` writes for training):
 *   v = [ x̃_i (F) | x̃c_i,c (K) | onehot(product_i) (P) | onehot(c) (C) ]   (the last two blocks
 *   only when `channelInputs`; a control network sees [ x̃_i | onehot(product_i) ])
 * with x̃ = (x − mean) / sd the standardised features. Then
 *   hidden = 0:  out = b2 + W1ᵀ v                       (logistic or linear model)
 *   hidden = h:  out = b2 + w2ᵀ relu(b1 + W1ᵀ v)        (one hidden layer)
 * and p = σ(out) for a 'logistic' network, out itself for a 'linear' one.
 * Because the first layer is linear, scoring splits it: the x̃ and product part once per row, the
 * channel part per channel, so scoring all C actions costs about (F + C·K)·h multiply-adds.
 */
import { ErrorCode, NbgError } from '../../errors.js';

export type NetworkOutput = 'logistic' | 'linear';

/** The standardisation of a table's features, fitted on the training rows. */
export interface FeatureScaling {
  /** F means and standard deviations of the pair features (sd 1 for a constant column). */
  readonly xMean: Float32Array;
  readonly xSd: Float32Array;
  /** K means and standard deviations of the channel features, pooled over the channels. */
  readonly cMean: Float32Array;
  readonly cSd: Float32Array;
}

/** A network's shape: what model.json keeps of it besides its arrays. */
export interface NetworkShape {
  readonly output: NetworkOutput;
  readonly channelInputs: boolean;
  /** F, K, P, C: the block sizes of the input. */
  readonly F: number;
  readonly K: number;
  readonly P: number;
  readonly C: number;
  /** Hidden units; 0 = no hidden layer. */
  readonly hidden: number;
}

export interface SmallNetwork extends NetworkShape {
  /** d × max(h, 1) row-major (d the input size), then max(h, 1) biases. */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** h output weights (empty when hidden = 0) and the output bias. */
  readonly w2: Float32Array;
  readonly b2: number;
}

/** Size of a network's input vector. */
export function inputSize(net: Pick<SmallNetwork, 'F' | 'K' | 'P' | 'C' | 'channelInputs'>): number {
  return net.channelInputs ? net.F + net.K + net.P + net.C : net.F + net.P;
}

/**
 * Scores rows with a network in plain TypeScript. `x` n × F and `xc` n × C × K raw features (as in
 * UpliftExamples), scaled here with `scaling`; `product` n. A channel network fills `out` n × C
 * (every channel of every row); a control network fills `out` n. Float64 accumulation.
 */
export function scoreNetwork(
  net: SmallNetwork,
  scaling: FeatureScaling,
  x: Float32Array,
  xc: Float32Array,
  product: Int32Array,
  n: number,
  out: Float32Array,
): void {
  const { F, K, P, C } = net;
  const H = Math.max(net.hidden, 1);
  const expected = net.channelInputs ? n * C : n;
  if (out.length < expected)
    throw new NbgError(
      ErrorCode.INTERNAL,
      `models/small-network: out has ${out.length} cells, needs ${expected}`,
    );
  const base = new Float64Array(H);
  const act = new Float64Array(H);
  const xs = new Float64Array(F);
  const offP = F + (net.channelInputs ? K : 0);
  const offC = offP + P;
  const { w1, b1, w2 } = net;
  const linearOnly = net.hidden === 0;
  const logistic = net.output === 'logistic';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < F; j++) xs[j] = (x[i * F + j]! - scaling.xMean[j]!) / scaling.xSd[j]!;
    const p = product[i]!;
    for (let u = 0; u < H; u++) base[u] = b1[u]! + w1[(offP + p) * H + u]!;
    for (let j = 0; j < F; j++) {
      const v = xs[j]!;
      if (v === 0) continue;
      const row = j * H;
      for (let u = 0; u < H; u++) base[u]! += v * w1[row + u]!;
    }
    if (!net.channelInputs) {
      out[i] = finish(base, linearOnly, w2, net.b2, H, logistic);
      continue;
    }
    for (let c = 0; c < C; c++) {
      for (let u = 0; u < H; u++) act[u] = base[u]! + w1[(offC + c) * H + u]!;
      const o = (i * C + c) * K;
      for (let j = 0; j < K; j++) {
        const v = (xc[o + j]! - scaling.cMean[j]!) / scaling.cSd[j]!;
        if (v === 0) continue;
        const row = (F + j) * H;
        for (let u = 0; u < H; u++) act[u]! += v * w1[row + u]!;
      }
      out[i * C + c] = finish(act, linearOnly, w2, net.b2, H, logistic);
    }
  }
}

function finish(
  pre: Float64Array,
  linearOnly: boolean,
  w2: Float32Array,
  b2: number,
  H: number,
  logistic: boolean,
): number {
  let z: number;
  if (linearOnly) z = pre[0]! + b2;
  else {
    z = b2;
    for (let u = 0; u < H; u++) {
      const a = pre[u]!;
      if (a > 0) z += a * w2[u]!;
    }
  }
  return logistic ? 1 / (1 + Math.exp(-z)) : z;
}

/** log(p / (1 − p)) with p kept inside [floor, 1 − floor]. */
export function logit(p: number, floor = 1e-7): number {
  const q = Math.min(Math.max(p, floor), 1 - floor);
  return Math.log(q / (1 - q));
}

/** The arrays of a network under a name prefix, and its shape, for model-files. */
export function networkArrays(prefix: string, net: SmallNetwork): Record<string, Float32Array> {
  return {
    [`${prefix}_w1`]: net.w1,
    [`${prefix}_b1`]: net.b1,
    [`${prefix}_w2`]: net.w2,
    [`${prefix}_b2`]: Float32Array.of(net.b2),
  };
}

export function networkShape(net: SmallNetwork): NetworkShape {
  const { output, channelInputs, F, K, P, C, hidden } = net;
  return { output, channelInputs, F, K, P, C, hidden };
}

/** Rebuilds a network from its shape and arrays; checks every length against the shape. */
export function networkFromArrays(
  shape: NetworkShape,
  arrays: Readonly<Record<string, Float32Array | undefined>>,
  prefix: string,
  where: string,
): SmallNetwork {
  const H = Math.max(shape.hidden, 1);
  const d = inputSize(shape);
  const want: [string, number][] = [
    ['w1', d * H],
    ['b1', H],
    ['w2', shape.hidden],
    ['b2', 1],
  ];
  const got: Record<string, Float32Array> = {};
  for (const [name, length] of want) {
    const a = arrays[`${prefix}_${name}`];
    if (!a || a.length !== length)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `${where}: network ${prefix} array ${name} has ${a ? a.length : 'no'} values, expected ${length}`,
      );
    got[name] = a;
  }
  return { ...shape, w1: got.w1!, b1: got.b1!, w2: got.w2!, b2: got.b2![0]! };
}
