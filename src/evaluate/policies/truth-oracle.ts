import { ErrorCode, NbgError } from '../../errors.js';
import type { EvaluationDataset } from '../evaluation-dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { topPairs } from './top-pairs.js';

/**
 * Each pair's best contactable channel by (p1_c − p0) × v_p − cost_c, then the K pairs of highest
 * value among those with positive value (one action per pair, at most K contacts).
 */
function bestByTruth(
  data: EvaluationDataset,
  p0: Float64Array,
  p1: Float64Array,
  contacts: number,
): Float64Array {
  const { nPairs: n, nChannels: C, contactable, unitValue, actionCost, pairProduct } = data;
  const score = new Float64Array(n);
  const channel = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    let best = Number.NEGATIVE_INFINITY;
    const v = unitValue[pairProduct[k]!]!;
    for (let c = 0; c < C; c++) {
      if (!contactable[k * C + c]) continue;
      const value = (p1[k * C + c]! - p0[k]!) * v - actionCost[c]!;
      if (value > best) {
        best = value;
        channel[k] = c;
      }
    }
    score[k] = best;
  }
  return topPairs(data, score, channel, contacts, { minScore: 0 });
}

/**
 * The truth-uplift oracle: ranks by the true incremental value of truth/response.csv. The best any
 * targeting could do with K contacts and one contact per pair; only defined where truth/ exists.
 */
export function truthOraclePolicy(options: { readonly contacts: number }): EvaluationPolicy {
  return {
    name: 'truth-uplift oracle',
    actionDistribution: (data) => bestByTruth(data, data.truth.p0, data.truth.p1, options.contacts),
  };
}

/** Name of the type-blind oracle in every table. */
export const TYPE_BLIND_ORACLE = 'type-blind oracle';

/**
 * The type-blind oracle: ranks by the incremental value of the type-blind truth columns
 * (p_no_contact_type_blind, p_contact_type_blind: the world's probabilities with the hidden
 * response type averaged over its distribution for the client), and is judged, like every policy,
 * by the true value. The best a targeting can do that knows every parameter of the world except
 * which pairs are persuadable: the reachable reference for a model that sees only the data.
 * Only defined where truth/response.csv has those columns.
 */
export function typeBlindOraclePolicy(options: { readonly contacts: number }): EvaluationPolicy {
  return {
    name: TYPE_BLIND_ORACLE,
    actionDistribution(data: EvaluationDataset): Float64Array {
      const blind = data.truth.typeBlind;
      if (!blind) {
        throw new NbgError(
          ErrorCode.BAD_INPUT,
          'evaluate: the type-blind oracle needs the columns p_no_contact_type_blind and p_contact_type_blind in truth/response.csv',
        );
      }
      return bestByTruth(data, blind.p0, blind.p1, options.contacts);
    },
  };
}
