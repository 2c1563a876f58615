/**
 * Binary logistic regression, L2-regularised, fitted by full-batch gradient descent from zero
 * weights (deterministic: no seed needed). p(y=1|x) = σ(w·x + b);
 * loss = −(1/n) Σ [y log p + (1−y) log(1−p)] + (λ/2)‖w‖². Rows are the unit-norm E5 embeddings
 * (d = 384, features on a common scale, so no standardisation). Shapes: X n×d row-major.
 */
import { NbgError } from '../errors.js';

export interface LogisticOptions {
  learningRate: number;
  iterations: number;
  l2: number;
}

export const LOGISTIC_DEFAULTS: Readonly<LogisticOptions> = Object.freeze({
  learningRate: 2,
  iterations: 500,
  l2: 1e-3,
});

export interface LogisticModel {
  readonly weights: Float64Array;
  readonly bias: number;
  probability(x: Float32Array): number;
}

export function fitLogistic(
  rows: readonly Float32Array[],
  labels: ArrayLike<number>,
  options: Partial<LogisticOptions> = {},
): LogisticModel {
  const o = { ...LOGISTIC_DEFAULTS, ...options };
  const n = rows.length;
  if (n === 0) throw new NbgError('BAD_INPUT', 'logistic regression: no training rows');
  if (labels.length !== n)
    throw new NbgError('BAD_INPUT', `logistic regression: ${n} rows but ${labels.length} labels`);
  const d = (rows[0] as Float32Array).length;
  for (let i = 0; i < n; i++) {
    if ((rows[i] as Float32Array).length !== d)
      throw new NbgError(
        'BAD_INPUT',
        `logistic regression: row ${i} has ${(rows[i] as Float32Array).length} features, expected ${d}`,
      );
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new NbgError('BAD_INPUT', `logistic regression: label ${i} is ${labels[i]}, expected 0 or 1`);
  }
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  let b = 0;
  // centre the inputs on the training mean so the intercept is not fighting the narrow E5 band
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / n;
  for (let it = 0; it < o.iterations; it++) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i] as Float32Array;
      let z = b;
      for (let j = 0; j < d; j++) z += (w[j] as number) * ((r[j] as number) - (mean[j] as number));
      const err = 1 / (1 + Math.exp(-z)) - (labels[i] as number);
      gb += err;
      for (let j = 0; j < d; j++) g[j] = (g[j] as number) + err * ((r[j] as number) - (mean[j] as number));
    }
    for (let j = 0; j < d; j++)
      w[j] = (w[j] as number) - o.learningRate * ((g[j] as number) / n + o.l2 * (w[j] as number));
    b -= (o.learningRate * gb) / n;
  }
  let shift = 0;
  for (let j = 0; j < d; j++) shift += (w[j] as number) * (mean[j] as number);
  const bias = b - shift;
  return {
    weights: w,
    bias,
    probability(x: Float32Array): number {
      if (x.length !== d)
        throw new NbgError('BAD_INPUT', `logistic regression: input has ${x.length} features, expected ${d}`);
      let z = bias;
      for (let j = 0; j < d; j++) z += (w[j] as number) * (x[j] as number);
      return 1 / (1 + Math.exp(-z));
    },
  };
}
