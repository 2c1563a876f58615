/**
 * The one logistic solver of nbg: multinomial (softmax) logistic regression with row weights, an L2
 * penalty on standardised inputs, optional per-row sets of allowed classes, fitted by L-BFGS
 * (Nocedal 1980; Liu & Nocedal 1989) on Float64Array parameters. Binary logistic regression is the
 * two-class case (class 0 is the reference with logit 0, so P(y=1) = σ(b + w·x)).
 *
 *   η_ik = b_k + Σ_j β_kj (x_ij − m_j) / s_j   (k ≥ 1),   η_i0 = 0,   η_ik = −∞ where k is not allowed
 *   loss = (1/W) Σ_i w_i [log Σ_k exp η_ik − η_i,y_i] + (λ/2) Σ_kj β_kj²,   W = Σ_i w_i
 *
 * m and s are the weighted mean and standard deviation of each column (s = 1 for a constant column,
 * or with `standardise: false`, where m = 0 too); intercepts are not penalised. Inputs are read in
 * place: X is n × d row-major Float32Array. The fitted coefficients are returned on the raw scale,
 * (K − 1) × (d + 1) rows [intercept, a_1 … a_d] with η_ik = c_k + Σ_j a_kj x_ij.
 */
import { ErrorCode, NbgError } from '../errors.js';

export interface LogisticRegressionOptions {
  /** λ of the L2 penalty on the standardised coefficients. */
  readonly l2: number;
  readonly maxIterations: number;
  /** Stop when the largest gradient component is below this. */
  readonly tolerance: number;
  /** L-BFGS memory (pairs of past steps kept). */
  readonly memory: number;
  readonly standardise: boolean;
}

export const LOGISTIC_REGRESSION_DEFAULTS: Readonly<LogisticRegressionOptions> = Object.freeze({
  l2: 1e-4,
  maxIterations: 200,
  tolerance: 1e-6,
  memory: 10,
  standardise: true,
});

export interface LogisticRegressionData {
  /** n × d row-major features. */
  readonly x: Float32Array;
  readonly d: number;
  /** n class labels in 0..classes−1. */
  readonly labels: ArrayLike<number>;
  readonly classes: number;
  /** n row weights (≥ 0); default 1. */
  readonly weights?: ArrayLike<number>;
  /** n × classes, 1 where the class may be chosen for the row; class 0 is always allowed. */
  readonly allowed?: Uint8Array;
}

export interface LogisticRegressionFit {
  readonly classes: number;
  readonly d: number;
  /** (classes − 1) × (d + 1), raw scale: [c_k, a_k1 … a_kd] per non-reference class. */
  readonly coef: Float64Array;
  /** Penalised loss at the end, and the number of iterations run. */
  readonly loss: number;
  readonly iterations: number;
}

const MODULE = 'numeric/logistic-regression';

function check(data: LogisticRegressionData, o: LogisticRegressionOptions): number {
  const { x, d, labels, classes } = data;
  if (!Number.isInteger(d) || d < 0)
    throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: d must be an integer ≥ 0, got ${d}`);
  if (!Number.isInteger(classes) || classes < 2)
    throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: classes must be an integer ≥ 2, got ${classes}`);
  const n = labels.length;
  if (n === 0) throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: no training rows`);
  if (x.length !== n * d)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${MODULE}: x has ${x.length} values, expected n × d = ${n} × ${d}`,
    );
  if (data.weights && data.weights.length !== n)
    throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: ${data.weights.length} weights for ${n} rows`);
  if (data.allowed && data.allowed.length !== n * classes)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${MODULE}: allowed has ${data.allowed.length} values, expected ${n * classes}`,
    );
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= classes)
      throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: label ${i} is ${y}, expected 0..${classes - 1}`);
    if (data.allowed && y > 0 && data.allowed[i * classes + y] !== 1)
      throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: row ${i} has label ${y}, which it does not allow`);
  }
  if (!(o.l2 >= 0)) throw new NbgError(ErrorCode.BAD_CONFIG, `${MODULE}: l2 must be ≥ 0, got ${o.l2}`);
  if (!(o.maxIterations >= 1))
    throw new NbgError(ErrorCode.BAD_CONFIG, `${MODULE}: maxIterations must be ≥ 1, got ${o.maxIterations}`);
  return n;
}

/** Fits the model (see the file comment); deterministic: no seed needed. */
export function fitLogisticRegression(
  data: LogisticRegressionData,
  options: Partial<LogisticRegressionOptions> = {},
): LogisticRegressionFit {
  const o = { ...LOGISTIC_REGRESSION_DEFAULTS, ...options };
  const n = check(data, o);
  const { x, d, labels, classes, weights, allowed } = data;
  const K1 = classes - 1;
  const D1 = d + 1;
  // weighted column means and standard deviations
  const mean = new Float64Array(d);
  const sd = new Float64Array(d).fill(1);
  let W = 0;
  for (let i = 0; i < n; i++) W += weights ? (weights[i] as number) : 1;
  if (!(W > 0)) throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: the rows have no weight`);
  if (o.standardise) {
    const sq = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const w = weights ? (weights[i] as number) : 1;
      if (w === 0) continue;
      const r = i * d;
      for (let j = 0; j < d; j++) {
        const v = x[r + j] as number;
        mean[j] = (mean[j] as number) + w * v;
        sq[j] = (sq[j] as number) + w * v * v;
      }
    }
    for (let j = 0; j < d; j++) {
      const m = (mean[j] as number) / W;
      mean[j] = m;
      const v = (sq[j] as number) / W - m * m;
      sd[j] = v > 1e-12 * Math.max(1, m * m) ? Math.sqrt(v) : 1;
    }
  }
  const nParams = K1 * D1;
  const raw = new Float64Array(nParams);
  const gRaw = new Float64Array(nParams);
  const eta = new Float64Array(classes);

  // θ (standardised) → raw coefficients
  const toRaw = (theta: Float64Array): void => {
    for (let k = 0; k < K1; k++) {
      const o0 = k * D1;
      let c = theta[o0] as number;
      for (let j = 0; j < d; j++) {
        const a = (theta[o0 + 1 + j] as number) / (sd[j] as number);
        raw[o0 + 1 + j] = a;
        c -= a * (mean[j] as number);
      }
      raw[o0] = c;
    }
  };

  /** Loss and gradient (w.r.t. θ) at θ. */
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    toRaw(theta);
    gRaw.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? (weights[i] as number) : 1;
      if (w === 0) continue;
      const r = i * d;
      const y = labels[i] as number;
      let mx = 0;
      eta[0] = 0;
      for (let k = 0; k < K1; k++) {
        if (allowed && allowed[i * classes + k + 1] !== 1) {
          eta[k + 1] = Number.NEGATIVE_INFINITY;
          continue;
        }
        const o0 = k * D1;
        let z = raw[o0] as number;
        for (let j = 0; j < d; j++) z += (raw[o0 + 1 + j] as number) * (x[r + j] as number);
        eta[k + 1] = z;
        if (z > mx) mx = z;
      }
      let s = 0;
      for (let k = 0; k < classes; k++) s += Math.exp((eta[k] as number) - mx);
      const lse = mx + Math.log(s);
      loss += w * (lse - (eta[y] as number));
      for (let k = 0; k < K1; k++) {
        const p = Math.exp((eta[k + 1] as number) - lse);
        const res = w * (p - (y === k + 1 ? 1 : 0));
        if (res === 0) continue;
        const o0 = k * D1;
        gRaw[o0] = (gRaw[o0] as number) + res;
        for (let j = 0; j < d; j++)
          gRaw[o0 + 1 + j] = (gRaw[o0 + 1 + j] as number) + res * (x[r + j] as number);
      }
    }
    loss /= W;
    for (let k = 0; k < K1; k++) {
      const o0 = k * D1;
      const R = (gRaw[o0] as number) / W;
      grad[o0] = R;
      for (let j = 0; j < d; j++) {
        const b = theta[o0 + 1 + j] as number;
        grad[o0 + 1 + j] =
          ((gRaw[o0 + 1 + j] as number) / W - (mean[j] as number) * R) / (sd[j] as number) + o.l2 * b;
        loss += 0.5 * o.l2 * b * b;
      }
    }
    return loss;
  };

  const { theta, loss, iterations } = lbfgs(nParams, evaluate, o);
  toRaw(theta);
  return { classes, d, coef: Float64Array.from(raw), loss, iterations };
}

/**
 * Class probabilities of rows under fitted coefficients: out is n × classes (class 0 first).
 * `allowed` (n × classes) zeroes the classes a row may not take.
 */
export function logisticProbabilities(
  fit: Pick<LogisticRegressionFit, 'classes' | 'd' | 'coef'>,
  x: Float32Array,
  n: number,
  out: Float64Array,
  allowed?: Uint8Array,
): void {
  const { classes, d, coef } = fit;
  if (x.length !== n * d)
    throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: x has ${x.length} values, expected ${n} × ${d}`);
  if (out.length !== n * classes)
    throw new NbgError(
      ErrorCode.INTERNAL,
      `${MODULE}: out has ${out.length} values, expected ${n} × ${classes}`,
    );
  const D1 = d + 1;
  for (let i = 0; i < n; i++) {
    const r = i * d;
    const o = i * classes;
    let mx = 0;
    out[o] = 0;
    for (let k = 1; k < classes; k++) {
      if (allowed && allowed[o + k] !== 1) {
        out[o + k] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const c0 = (k - 1) * D1;
      let z = coef[c0] as number;
      for (let j = 0; j < d; j++) z += (coef[c0 + 1 + j] as number) * (x[r + j] as number);
      out[o + k] = z;
      if (z > mx) mx = z;
    }
    let s = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp((out[o + k] as number) - mx);
      out[o + k] = e;
      s += e;
    }
    for (let k = 0; k < classes; k++) out[o + k] = (out[o + k] as number) / s;
  }
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, from θ = 0. Returns the last
 * iterate. Deterministic.
 */
function lbfgs(
  size: number,
  f: (theta: Float64Array, grad: Float64Array) => number,
  o: LogisticRegressionOptions,
): { theta: Float64Array; loss: number; iterations: number } {
  const m = Math.max(1, o.memory);
  let theta = new Float64Array(size);
  let grad = new Float64Array(size);
  let loss = f(theta, grad);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(size);
  const alpha = new Float64Array(m);
  let next = new Float64Array(size);
  let nextGrad = new Float64Array(size);
  let it = 0;
  for (; it < o.maxIterations; it++) {
    let gmax = 0;
    for (let j = 0; j < size; j++) gmax = Math.max(gmax, Math.abs(grad[j] as number));
    if (gmax < o.tolerance) break;
    // two-loop recursion: dir = −H g
    for (let j = 0; j < size; j++) dir[j] = -(grad[j] as number);
    for (let h = S.length - 1; h >= 0; h--) {
      const s = S[h] as Float64Array;
      const y = Y[h] as Float64Array;
      let a = 0;
      for (let j = 0; j < size; j++) a += (s[j] as number) * (dir[j] as number);
      a *= rho[h] as number;
      alpha[h] = a;
      for (let j = 0; j < size; j++) dir[j] = (dir[j] as number) - a * (y[j] as number);
    }
    if (S.length > 0) {
      const s = S[S.length - 1] as Float64Array;
      const y = Y[Y.length - 1] as Float64Array;
      let sy = 0;
      let yy = 0;
      for (let j = 0; j < size; j++) {
        sy += (s[j] as number) * (y[j] as number);
        yy += (y[j] as number) * (y[j] as number);
      }
      const gamma = sy / yy;
      for (let j = 0; j < size; j++) dir[j] = (dir[j] as number) * gamma;
    } else {
      // first step: a unit-length move along −g
      let gn = 0;
      for (let j = 0; j < size; j++) gn += (grad[j] as number) ** 2;
      const scale = 1 / Math.max(1, Math.sqrt(gn));
      for (let j = 0; j < size; j++) dir[j] = (dir[j] as number) * scale;
    }
    for (let h = 0; h < S.length; h++) {
      const s = S[h] as Float64Array;
      const y = Y[h] as Float64Array;
      let b = 0;
      for (let j = 0; j < size; j++) b += (y[j] as number) * (dir[j] as number);
      b *= rho[h] as number;
      const a = alpha[h] as number;
      for (let j = 0; j < size; j++) dir[j] = (dir[j] as number) + (a - b) * (s[j] as number);
    }
    let slope = 0;
    for (let j = 0; j < size; j++) slope += (grad[j] as number) * (dir[j] as number);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < size; j++) dir[j] = -(grad[j] as number);
      slope = 0;
      for (let j = 0; j < size; j++) slope -= (grad[j] as number) ** 2;
    }
    let step = 1;
    let nextLoss = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < size; j++) next[j] = (theta[j] as number) + step * (dir[j] as number);
      nextLoss = f(next, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss <= loss)) break;
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    let sy = 0;
    for (let j = 0; j < size; j++) {
      s[j] = (next[j] as number) - (theta[j] as number);
      y[j] = (nextGrad[j] as number) - (grad[j] as number);
      sy += (s[j] as number) * (y[j] as number);
    }
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const relative = (loss - nextLoss) / Math.max(1, Math.abs(loss));
    [theta, next] = [next, theta];
    [grad, nextGrad] = [nextGrad, grad];
    loss = nextLoss;
    if (relative < 1e-12) {
      it++;
      break;
    }
  }
  return { theta, loss, iterations: it };
}
