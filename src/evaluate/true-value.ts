import type { EvaluationDataset } from './evaluation-dataset.js';

export interface TrueValue {
  /** Expected contacts: Σ_pairs Σ_c pi(c | pair). */
  readonly contacts: number;
  /** Σ pi(c) (p1_c − p0): conversions caused by the contacts. */
  readonly incrementalConversions: number;
  /** Σ pi(c) ((p1_c − p0) v_p − cost_c), EUR: the data contract's true net value. */
  readonly netValue: number;
}

/**
 * A policy's true incremental value over contacting nobody, from truth/response.csv: for each pair
 * and channel, pi(c | pair) × ((p_contact − p_no_contact) × unit_value − cost_per_contact).
 * `pi` is nPairs × nActions ('none' last, contributing 0).
 */
export function trueValue(data: EvaluationDataset, pi: Float64Array): TrueValue {
  const { nPairs: n, nChannels: C, nActions: A, truth, unitValue, actionCost, pairProduct } = data;
  let contacts = 0;
  let incr = 0;
  let net = 0;
  for (let k = 0; k < n; k++) {
    const v = unitValue[pairProduct[k]!]!;
    const p0 = truth.p0[k]!;
    for (let c = 0; c < C; c++) {
      const w = pi[k * A + c]!;
      if (w === 0) continue;
      const up = truth.p1[k * C + c]! - p0;
      contacts += w;
      incr += w * up;
      net += w * (up * v - actionCost[c]!);
    }
  }
  return { contacts, incrementalConversions: incr, netValue: net };
}

/**
 * The smallest standard error (EUR, on the total over all pairs) that an unbiased off-policy
 * estimate of V(pi) − V(contact nobody) can have on this logged round: the standard error of DR
 * with the TRUE reward model and the true logging propensities, which attains the semiparametric
 * efficiency bound (Hahn 1998; for contextual bandits Dudík et al. 2014, Kallus & Uehara 2020).
 * With the pairs fixed, pair k contributes Σ_a (pi(a|k) − b(a|k))² σ²(k, a) / mu(a|k), where b
 * puts all its mass on 'none' and σ²(k, a) = v² p(1 − p) is the variance of the reward (the
 * conversion p from truth/; a contact's cost is not random). Infinite when pi contacts where the
 * logging policy never does (mu = 0): no unbiased estimate exists then.
 * Read it against the true value: an estimator is unlikely to land within ±x% of V when this floor
 * is much larger than x% of |V|, whatever its reward model.
 */
export function unbiasedStandardErrorFloor(data: EvaluationDataset, pi: Float64Array): number {
  const { nPairs: n, nChannels: C, nActions: A, truth, unitValue, pairProduct, mu } = data;
  let variance = 0;
  for (let k = 0; k < n; k++) {
    const none = 1 - pi[k * A + C]!;
    if (none === 0) continue;
    const v = unitValue[pairProduct[k]!]!;
    const p0 = truth.p0[k]!;
    const mNone = mu[k * A + C]!;
    if (!(mNone > 0)) return Number.POSITIVE_INFINITY;
    variance += (none * none * v * v * p0 * (1 - p0)) / mNone;
    for (let c = 0; c < C; c++) {
      const w = pi[k * A + c]!;
      if (w === 0) continue;
      const p1 = truth.p1[k * C + c]!;
      const m = mu[k * A + c]!;
      if (!(m > 0)) return Number.POSITIVE_INFINITY;
      variance += (w * w * v * v * p1 * (1 - p1)) / m;
    }
  }
  return Math.sqrt(variance);
}
