/**
 * Binary logistic regression for the text models, L2-regularised: p(y=1|x) = σ(w·x + b);
 * loss = −(1/n) Σ [y log p + (1−y) log(1−p)] + (λ/2)‖w‖². Rows are the unit-norm E5 embeddings
 * (d = 384, features on a common scale, so no standardisation). Shapes: X n×d row-major.
 * A thin entry on the one logistic solver of nbg (src/numeric/logistic-regression.ts, L-BFGS).
 */
import { ErrorCode, NbgError } from '../errors.js';
import { fitLogisticRegression } from '../numeric/logistic-regression.js';

export interface LogisticOptions {
  iterations: number;
  l2: number;
}

export const LOGISTIC_DEFAULTS: Readonly<LogisticOptions> = Object.freeze({
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
  if (n === 0) throw new NbgError(ErrorCode.BAD_INPUT, 'logistic regression: no training rows');
  if (labels.length !== n)
    throw new NbgError(ErrorCode.BAD_INPUT, `logistic regression: ${n} rows but ${labels.length} labels`);
  const d = (rows[0] as Float32Array).length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as Float32Array;
    if (r.length !== d)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `logistic regression: row ${i} has ${r.length} features, expected ${d}`,
      );
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `logistic regression: label ${i} is ${labels[i]}, expected 0 or 1`,
      );
    x.set(r, i * d);
  }
  const fit = fitLogisticRegression(
    { x, d, labels, classes: 2 },
    { l2: o.l2, maxIterations: o.iterations, standardise: false },
  );
  const weights = fit.coef.slice(1);
  const bias = fit.coef[0] as number;
  return {
    weights,
    bias,
    probability(v: Float32Array): number {
      if (v.length !== d)
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          `logistic regression: input has ${v.length} features, expected ${d}`,
        );
      let z = bias;
      for (let j = 0; j < d; j++) z += (weights[j] as number) * (v[j] as number);
      return 1 / (1 + Math.exp(-z));
    },
  };
}
