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
