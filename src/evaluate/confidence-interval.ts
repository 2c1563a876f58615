import { ErrorCode, NbgError } from '../errors.js';
import { percentile } from '../numeric/percentile.js';
import { createRng } from '../rng.js';

export interface ConfidenceInterval {
  /** The estimate (the sample mean of the round rewards). */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** 1 − alpha. */
  readonly level: number;
  readonly method: 'bootstrap' | 'normal';
}

export interface IntervalOptions {
  /** Two-sided miss probability. Default 0.05 (a 95% interval). */
  readonly alpha?: number;
  /** 'bootstrap' (obp's percentile bootstrap) or 'normal' (mean ± z·sd/√n). Default bootstrap. */
  readonly method?: 'bootstrap' | 'normal';
  /** Bootstrap resamples. Default 100 (obp's default). */
  readonly nBootstrap?: number;
  /** Seed of the resampling. Default 12345. */
  readonly seed?: number | string;
}

export const INTERVAL_DEFAULTS = { alpha: 0.05, method: 'bootstrap', nBootstrap: 100, seed: 12345 } as const;

/** Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lowP) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Sum with Neumaier compensation: sums of a million round rewards keep about 1e-15 relative error. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = s + v;
    comp += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + comp;
}

export function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}

/**
 * A confidence interval for the mean of per-round rewards (the estimate of an estimator).
 * Bootstrap (as obp's `estimate_confidence_interval_by_bootstrap`): resample the n round rewards
 * with replacement nBootstrap times; the interval is the alpha/2 and 1 − alpha/2 percentiles of
 * the resampled means. Our resampling uses nbg's rng, so bounds match obp's in distribution, not
 * digit for digit; `estimate` is the full-sample mean (obp reports the mean of the resamples).
 * Normal: mean ± z_{1−alpha/2} × sd / √n (cheap on millions of rounds, where the CLT holds).
 */
export function confidenceInterval(samples: Float64Array, options: IntervalOptions = {}): ConfidenceInterval {
  const alpha = options.alpha ?? INTERVAL_DEFAULTS.alpha;
  const method = options.method ?? INTERVAL_DEFAULTS.method;
  const nBoot = options.nBootstrap ?? INTERVAL_DEFAULTS.nBootstrap;
  const n = samples.length;
  if (!(alpha > 0 && alpha < 1))
    throw new NbgError(ErrorCode.BAD_CONFIG, `evaluate: alpha must be in (0, 1), got ${alpha}`);
  if (n < 1)
    throw new NbgError(ErrorCode.BAD_INPUT, 'evaluate: a confidence interval needs at least one round');
  const m = mean(samples);
  if (method === 'normal') {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (samples[i]! - m) ** 2;
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    const half = normalQuantile(1 - alpha / 2) * (sd / Math.sqrt(n));
    return { estimate: m, lower: m - half, upper: m + half, level: 1 - alpha, method };
  }
  if (!Number.isInteger(nBoot) || nBoot < 1) {
    throw new NbgError(ErrorCode.BAD_CONFIG, `evaluate: nBootstrap must be a positive integer, got ${nBoot}`);
  }
  const rng = createRng(options.seed ?? INTERVAL_DEFAULTS.seed);
  const means = new Float64Array(nBoot);
  for (let b = 0; b < nBoot; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += samples[rng.int(n)]!;
    means[b] = s / n;
  }
  means.sort();
  return {
    estimate: m,
    lower: percentile(means, alpha / 2),
    upper: percentile(means, 1 - alpha / 2),
    level: 1 - alpha,
    method,
  };
}
