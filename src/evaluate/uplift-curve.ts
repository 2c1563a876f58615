import { ErrorCode, NbgError } from '../errors.js';

/**
 * Uplift and Qini curves and their normalised areas, defined as scikit-uplift 0.5.1 defines them
 * (`sklift.metrics`: uplift_curve, qini_curve, uplift_auc_score, qini_auc_score; Radcliffe 2007,
 * Devriendt, Guns & Verbeke 2020), so nbg's figures and the Python peers' are the same numbers.
 * Plus the AUUC against the TRUE uplift, which only simulated data (truth/response.csv) allows.
 *
 * Inputs are n-long arrays: `outcome` (binary y), `score` (predicted uplift, higher = treat first),
 * `treatment` (binary t). Rows are ranked by score, descending; the curve has one point per
 * distinct score (tied rows enter together, so their order never matters), plus (0, 0).
 */
export interface UpliftCurve {
  /** Number of rows targeted, 0 first. */
  readonly x: Float64Array;
  readonly y: Float64Array;
}

function fail(message: string): never {
  throw new NbgError(ErrorCode.BAD_INPUT, `evaluate/uplift-curve: ${message}`);
}

function checkBinary(name: string, v: ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++) {
    const a = v[i] as number;
    if (a !== 0 && a !== 1) fail(`${name}[${i}] must be 0 or 1, got ${a}`);
  }
}

function checkLengths(n: number, arrays: readonly [string, ArrayLike<number>][]): void {
  if (n === 0) fail('needs at least one row, got 0');
  for (const [name, a] of arrays) if (a.length !== n) fail(`${name} has ${a.length} rows, expected ${n}`);
}

/** Row indices sorted by score, descending; refuses NaN scores (they have no rank). */
function descendingOrder(score: ArrayLike<number>): Uint32Array {
  const n = score.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(score[i])) fail(`score[${i}] is NaN`);
    order[i] = i;
  }
  return order.sort((a, b) => (score[b] as number) - (score[a] as number));
}

/**
 * Cumulative treated count, treated responders and control responders at each distinct-score
 * threshold, the last row of each tie group (sklift's `threshold_indices`).
 */
function thresholds(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
): { all: Float64Array; treated: Float64Array; yTreated: Float64Array; yControl: Float64Array } {
  const n = outcome.length;
  checkLengths(n, [
    ['score', score],
    ['treatment', treatment],
  ]);
  checkBinary('outcome', outcome);
  checkBinary('treatment', treatment);
  const order = descendingOrder(score);
  const all: number[] = [];
  const treated: number[] = [];
  const yTreated: number[] = [];
  const yControl: number[] = [];
  let nt = 0;
  let yt = 0;
  let yc = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const t = treatment[i] as number;
    const y = outcome[i] as number;
    nt += t;
    if (t === 1) yt += y;
    else yc += y;
    if (k === n - 1 || score[order[k + 1] as number] !== score[i]) {
      all.push(k + 1);
      treated.push(nt);
      yTreated.push(yt);
      yControl.push(yc);
    }
  }
  return {
    all: Float64Array.from(all),
    treated: Float64Array.from(treated),
    yTreated: Float64Array.from(yTreated),
    yControl: Float64Array.from(yControl),
  };
}

/**
 * The curve whose value at each threshold is `value(k, nTreated, nControl, yTreated, yControl)`
 * (counts among the top k rows), with (0, 0) prepended as sklift does (a first threshold always
 * holds at least one row).
 */
function curveOf(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
  value: (k: number, nt: number, nc: number, yt: number, yc: number) => number,
): UpliftCurve {
  const { all, treated, yTreated, yControl } = thresholds(outcome, score, treatment);
  const x = new Float64Array(all.length + 1);
  const y = new Float64Array(all.length + 1);
  for (let j = 0; j < all.length; j++) {
    const k = all[j] as number;
    const nt = treated[j] as number;
    x[j + 1] = k;
    y[j + 1] = value(k, nt, k - nt, yTreated[j] as number, yControl[j] as number);
  }
  return { x, y };
}

/**
 * Uplift curve: at the top-k rows, (ȳ_treated − ȳ_control) × k, where each mean is over the
 * treated (control) rows among the top k, and 0 when that group is still empty.
 */
export function upliftCurve(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
): UpliftCurve {
  return curveOf(
    outcome,
    score,
    treatment,
    (k, nt, nc, yt, yc) => ((nt !== 0 ? yt / nt : 0) - (nc !== 0 ? yc / nc : 0)) * k,
  );
}

/**
 * Qini curve (Radcliffe 2007): at the top-k rows, Y_treated − Y_control × N_treated / N_control
 * (responder counts scaled by the group sizes among the top k; the control term is 0 while there
 * is no control row).
 */
export function qiniCurve(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
): UpliftCurve {
  return curveOf(outcome, score, treatment, (_k, nt, nc, yt, yc) => yt - yc * (nc !== 0 ? nt / nc : 0));
}

/**
 * sklift's perfect uplift curve: the uplift curve of the score 2·1[y = t] + s, with s = y when the
 * control responders outnumber the treated non-responders, else s = t.
 */
export function perfectUpliftCurve(outcome: ArrayLike<number>, treatment: ArrayLike<number>): UpliftCurve {
  const n = outcome.length;
  checkLengths(n, [['treatment', treatment]]);
  let controlResponders = 0;
  let treatedNonResponders = 0;
  for (let i = 0; i < n; i++) {
    if (outcome[i] === 1 && treatment[i] === 0) controlResponders++;
    if (outcome[i] === 0 && treatment[i] === 1) treatedNonResponders++;
  }
  const bySummand = controlResponders > treatedNonResponders ? outcome : treatment;
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = 2 * (outcome[i] === treatment[i] ? 1 : 0) + (bySummand[i] as number);
  return upliftCurve(outcome, score, treatment);
}

/**
 * sklift's perfect Qini curve. With negative effects (the default): the Qini curve of the score
 * y·t − y·(1 − t) (treated responders first, control responders last). Without: the polyline
 * (0, 0) → (R, R) → (n, R), R = Y_treated − N_treated · Y_control / N_control over all rows.
 */
export function perfectQiniCurve(
  outcome: ArrayLike<number>,
  treatment: ArrayLike<number>,
  negativeEffect = true,
): UpliftCurve {
  const n = outcome.length;
  checkLengths(n, [['treatment', treatment]]);
  if (negativeEffect) {
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = outcome[i] as number;
      const t = treatment[i] as number;
      score[i] = y * t - y * (1 - t);
    }
    return qiniCurve(outcome, score, treatment);
  }
  checkBinary('outcome', outcome);
  checkBinary('treatment', treatment);
  let nt = 0;
  let yt = 0;
  let yc = 0;
  for (let i = 0; i < n; i++) {
    if (treatment[i] === 1) {
      nt++;
      yt += outcome[i] as number;
    } else yc += outcome[i] as number;
  }
  if (nt === 0 || nt === n)
    fail(`the perfect Qini curve without negative effects needs both groups, got ${nt} treated of ${n}`);
  const r = yt - (nt * yc) / (n - nt);
  if (r < 0)
    fail(
      `the perfect Qini curve without negative effects needs a non-negative overall uplift, got ${r} (its x would go back)`,
    );
  return { x: Float64Array.of(0, r, n), y: Float64Array.of(0, r, r) };
}

/** Trapezoidal area under a curve whose x never decreases (sklearn.metrics.auc). */
export function areaUnderCurve(c: UpliftCurve): number {
  let s = 0;
  for (let j = 1; j < c.x.length; j++) {
    const dx = (c.x[j] as number) - (c.x[j - 1] as number);
    if (dx < 0) fail(`the curve's x goes back at point ${j}`);
    s += (dx * ((c.y[j] as number) + (c.y[j - 1] as number))) / 2;
  }
  return s;
}

/** (area(actual) − area(baseline)) / (area(perfect) − area(baseline)), baseline = straight line to the perfect curve's end. */
function normalisedArea(actual: UpliftCurve, perfect: UpliftCurve): number {
  const last = perfect.x.length - 1;
  const baseline = areaUnderCurve({
    x: Float64Array.of(0, perfect.x[last] as number),
    y: Float64Array.of(0, perfect.y[last] as number),
  });
  return (areaUnderCurve(actual) - baseline) / (areaUnderCurve(perfect) - baseline);
}

/**
 * Normalised area under the uplift curve (sklift `uplift_auc_score`): the area between the
 * model's uplift curve and the random line, over the same area for the perfect curve. 1 is the
 * perfect ranking, 0 random; NaN when the perfect curve has no area (e.g. no responder).
 */
export function upliftAucScore(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
): number {
  return normalisedArea(upliftCurve(outcome, score, treatment), perfectUpliftCurve(outcome, treatment));
}

export interface QiniAucOptions {
  /** The perfect curve puts control responders last (negative effects), as sklift's default. */
  readonly negativeEffect?: boolean;
}

export const QINI_AUC_DEFAULTS: Required<QiniAucOptions> = { negativeEffect: true };

/** Qini coefficient (sklift `qini_auc_score`): the Qini curve's area above the random line over the perfect curve's. */
export function qiniAucScore(
  outcome: ArrayLike<number>,
  score: ArrayLike<number>,
  treatment: ArrayLike<number>,
  options: QiniAucOptions = {},
): number {
  const { negativeEffect } = { ...QINI_AUC_DEFAULTS, ...options };
  return normalisedArea(
    qiniCurve(outcome, score, treatment),
    perfectQiniCurve(outcome, treatment, negativeEffect),
  );
}

/** The AUUC of a ranking against the known uplift of each row. */
export interface TrueUpliftAuuc {
  /** Area under k ↦ Σ_{top k by score} τ_i (trapezoids over distinct-score thresholds). */
  readonly area: number;
  /** The same area when ranking by τ itself (the oracle). */
  readonly oracleArea: number;
  /** The random ranking's area, n · Σ τ / 2. */
  readonly randomArea: number;
  /** (area − randomArea) / (oracleArea − randomArea): 1 for the oracle, 0 for random. */
  readonly normalised: number;
}

function cumulativeTrueUpliftArea(score: ArrayLike<number>, tau: ArrayLike<number>): number {
  const n = tau.length;
  const order = descendingOrder(score);
  let area = 0;
  let prevX = 0;
  let prevY = 0;
  let cum = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    cum += tau[i] as number;
    if (k === n - 1 || score[order[k + 1] as number] !== score[i]) {
      area += ((k + 1 - prevX) * (cum + prevY)) / 2;
      prevX = k + 1;
      prevY = cum;
    }
  }
  return area;
}

/**
 * AUUC on simulated data, where each row's true uplift τ_i = p_contact − p_no_contact is known:
 * rank rows by score (descending, ties entering together), take the cumulative true uplift of the
 * top k, and compare the area under it with the oracle's (ranked by τ) above the random line.
 * Unlike the observed-outcome metrics it has no outcome noise and no logging-policy bias.
 */
export function trueUpliftAuuc(score: ArrayLike<number>, trueUplift: ArrayLike<number>): TrueUpliftAuuc {
  const n = trueUplift.length;
  checkLengths(n, [['score', score]]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = trueUplift[i] as number;
    if (!Number.isFinite(t)) fail(`trueUplift[${i}] must be finite, got ${t}`);
    total += t;
  }
  const area = cumulativeTrueUpliftArea(score, trueUplift);
  const oracleArea = cumulativeTrueUpliftArea(trueUplift, trueUplift);
  const randomArea = (n * total) / 2;
  return { area, oracleArea, randomArea, normalised: (area - randomArea) / (oracleArea - randomArea) };
}
