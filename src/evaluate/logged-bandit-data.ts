import { ErrorCode, NbgError } from '../errors.js';

/**
 * Logged bandit feedback in flat typed arrays, the shape every estimator takes (obp's
 * `bandit_feedback` with one position). n rounds, A actions; row-major n × A matrices.
 *
 * - `action[i]` ∈ [0, A): the action the logging policy took in round i;
 * - `reward[i]`: the reward observed for it;
 * - `pscore[i]` ∈ (0, 1]: the logging policy's probability of that action, mu(a_i | x_i);
 * - `rewardHat[i * A + a]`: a reward model's prediction q̂(x_i, a) (needed by DM, DR, SWITCH-DR).
 */
export interface LoggedBanditData {
  readonly nRounds: number;
  readonly nActions: number;
  readonly action: Int32Array;
  readonly reward: Float64Array;
  readonly pscore: Float64Array;
  readonly rewardHat?: Float64Array;
}

/**
 * An evaluation policy's action distribution on the logged rounds: `pi[i * A + a]` = pi(a | x_i).
 * Rows sum to 1 ('no contact' is one of the actions).
 */
export type ActionDistribution = Float64Array;

function fail(message: string): never {
  throw new NbgError(ErrorCode.BAD_INPUT, `evaluate: ${message}`);
}

/**
 * Checks shapes and ranges once, at the edge, so estimators can trust their inputs: lengths agree
 * with n and A, actions lie in [0, A), propensities in (0, 1], rewards and predictions are finite,
 * pi rows are distributions (entries in [0, 1], sum 1 within 1e-6).
 */
export function checkLoggedData(
  data: LoggedBanditData,
  pi: ActionDistribution,
  needs: { readonly rewardHat: boolean },
): void {
  const { nRounds: n, nActions: A } = data;
  if (!Number.isInteger(n) || n < 1) fail(`nRounds must be a positive integer, got ${n}`);
  if (!Number.isInteger(A) || A < 1) fail(`nActions must be a positive integer, got ${A}`);
  if (data.action.length !== n) fail(`action has length ${data.action.length}, expected nRounds = ${n}`);
  if (data.reward.length !== n) fail(`reward has length ${data.reward.length}, expected nRounds = ${n}`);
  if (data.pscore.length !== n) fail(`pscore has length ${data.pscore.length}, expected nRounds = ${n}`);
  if (pi.length !== n * A) fail(`action distribution has length ${pi.length}, expected n × A = ${n * A}`);
  for (let i = 0; i < n; i++) {
    const a = data.action[i]!;
    if (a < 0 || a >= A) fail(`action[${i}] = ${a} is outside [0, ${A})`);
    const p = data.pscore[i]!;
    if (!(p > 0 && p <= 1)) fail(`pscore[${i}] = ${p} is outside (0, 1]`);
    if (!Number.isFinite(data.reward[i]!)) fail(`reward[${i}] = ${data.reward[i]} is not finite`);
    let s = 0;
    for (let k = i * A; k < (i + 1) * A; k++) {
      const v = pi[k]!;
      if (!(v >= 0 && v <= 1)) fail(`action distribution[${i}, ${k - i * A}] = ${v} is outside [0, 1]`);
      s += v;
    }
    if (Math.abs(s - 1) > 1e-6) fail(`action distribution row ${i} sums to ${s}, expected 1`);
  }
  if (needs.rewardHat) {
    const q = data.rewardHat;
    if (q === undefined) fail('this estimator needs reward-model predictions (rewardHat)');
    if (q.length !== n * A) fail(`rewardHat has length ${q.length}, expected n × A = ${n * A}`);
    for (let k = 0; k < q.length; k++) {
      if (!Number.isFinite(q[k]!)) fail(`rewardHat[${Math.floor(k / A)}, ${k % A}] = ${q[k]} is not finite`);
    }
  }
}
