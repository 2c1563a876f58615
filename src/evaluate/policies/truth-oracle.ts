import type { EvaluationDataset } from '../evaluation-dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { topPairs } from './top-pairs.js';

/**
 * The truth-uplift oracle: for each pair, its best contactable channel by true incremental value
 * (p1_c − p0) × v_p − cost_c; then the K pairs of highest value among those with positive value
 * (one action per pair, at most K contacts). The best any targeting could do with K contacts and
 * one contact per pair; only defined where truth/ exists.
 */
export function truthOraclePolicy(options: { readonly contacts: number }): EvaluationPolicy {
  return {
    name: 'truth-uplift oracle',
    actionDistribution(data: EvaluationDataset): Float64Array {
      const { nPairs: n, nChannels: C, contactable, truth, unitValue, actionCost, pairProduct } = data;
      const score = new Float64Array(n);
      const channel = new Int32Array(n).fill(-1);
      for (let k = 0; k < n; k++) {
        let best = Number.NEGATIVE_INFINITY;
        const v = unitValue[pairProduct[k]!]!;
        for (let c = 0; c < C; c++) {
          if (!contactable[k * C + c]) continue;
          const value = (truth.p1[k * C + c]! - truth.p0[k]!) * v - actionCost[c]!;
          if (value > best) {
            best = value;
            channel[k] = c;
          }
        }
        score[k] = best;
      }
      return topPairs(data, score, channel, options.contacts, { minScore: 0 });
    },
  };
}
