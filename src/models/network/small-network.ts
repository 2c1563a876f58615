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
  const { w1, w2 } = net;
  const { xMean, xSd, cMean, cSd } = scaling;
  const linearOnly = net.hidden === 0;
  const logistic = net.output === 'logistic';
  const offP = F + (net.channelInputs ? K : 0);
  const offC = offP + P;
  const b1 = Float64Array.from(net.b1);
  const base = new Float64Array(H);
  const act = new Float64Array(H);
  // a row's non-zero scaled inputs (zeros add nothing) and the offsets of their weight rows
  const xv = new Float64Array(F);
  const xw = new Int32Array(F);
  const cv = new Float64Array(K);
  const cw = new Int32Array(K);
  for (let i = 0; i < n; i++) {
    let nx = 0;
    for (let j = 0; j < F; j++) {
      const v = (x[i * F + j]! - xMean[j]!) / xSd[j]!;
      if (v === 0) continue;
      xv[nx] = v;
      xw[nx++] = j * H;
    }
    firstLayer(base, b1, w1, (offP + product[i]!) * H, xv, xw, nx, H);
    if (!net.channelInputs) {
      out[i] = finish(base, linearOnly, w2, net.b2, H, logistic);
      continue;
    }
    for (let c = 0; c < C; c++) {
      const o = (i * C + c) * K;
      let nc = 0;
      for (let j = 0; j < K; j++) {
        const v = (xc[o + j]! - cMean[j]!) / cSd[j]!;
        if (v === 0) continue;
        cv[nc] = v;
        cw[nc++] = (F + j) * H;
      }
      firstLayer(act, base, w1, (offC + c) * H, cv, cw, nc, H);
      out[i * C + c] = finish(act, linearOnly, w2, net.b2, H, logistic);
    }
  }
}

/**
 * out[u] = start[u] + w[at + u] + Σ_k v[k] · w[rows[k] + u] for every unit u < H, the terms added
 * in that order (the order of a feature-major loop, so the floats do not depend on this one), four
 * units at a time: each input value is read once for four sums kept in registers.
 */
function firstLayer(
  out: Float64Array,
  start: Float64Array,
  w: Float32Array,
  at: number,
  v: Float64Array,
  rows: Int32Array,
  nv: number,
  H: number,
): void {
  let u = 0;
  for (; u + 4 <= H; u += 4) {
    let s0 = start[u]! + w[at + u]!;
    let s1 = start[u + 1]! + w[at + u + 1]!;
    let s2 = start[u + 2]! + w[at + u + 2]!;
    let s3 = start[u + 3]! + w[at + u + 3]!;
    for (let k = 0; k < nv; k++) {
      const a = v[k]!;
      const r = rows[k]! + u;
      s0 += a * w[r]!;
      s1 += a * w[r + 1]!;
      s2 += a * w[r + 2]!;
      s3 += a * w[r + 3]!;
    }
    out[u] = s0;
    out[u + 1] = s1;
    out[u + 2] = s2;
    out[u + 3] = s3;
  }
  for (; u < H; u++) {
    let s = start[u]! + w[at + u]!;
    for (let k = 0; k < nv; k++) s += v[k]! * w[rows[k]! + u]!;
    out[u] = s;
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
