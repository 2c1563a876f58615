import { SEGMENTS } from '../../domain/enums.js';
import { createRng } from '../../rng.js';
import type { EvaluationDataset } from '../evaluation-dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { topPairs } from './top-pairs.js';

/** Which cells the naive conversion rate is counted in. */
export type NaiveGranularity = 'product' | 'segment-product' | 'product-channel';

export const NAIVE_DEFAULTS = { by: 'segment-product', seed: 7, smoothing: 10 } as const;

/**
 * The classic propensity approach: the conversion rate among contacted clients before D,
 * r̂ = conversions / contacts in the cell (per product, per segment × product or per
 * product × channel; shrunk towards the product's rate with `smoothing` pseudo-contacts), taken as
 * the effect of a contact. Each pair gets the contactable channel maximising r̂ × v_p − cost_c,
 * and the K pairs of highest such value are contacted (ties broken by a seeded random key). It
 * inherits the logging bias: cells the old policy contacted are those that convert anyway.
 */
export function naiveConversionRatePolicy(options: {
  readonly contacts: number;
  readonly by?: NaiveGranularity;
  readonly seed?: number;
  readonly smoothing?: number;
}): EvaluationPolicy {
  const by = options.by ?? NAIVE_DEFAULTS.by;
  const m = options.smoothing ?? NAIVE_DEFAULTS.smoothing;
  return {
    name: `naive conversion rate (${by})`,
    actionDistribution(data: EvaluationDataset): Float64Array {
      const { nPairs: n, nChannels: C, contactable, unitValue, actionCost, pairProduct, pairClient } = data;
      const P = data.productIds.length;
      const S = SEGMENTS.length;
      const hc = data.historyContacts;
      const hv = data.historyConversions;
      // Rates per (p, s, c) cell after pooling to the chosen granularity.
      const rate = new Float64Array(P * S * C);
      for (let p = 0; p < P; p++) {
        let np = 0;
        let cp = 0;
        for (let h = p * S * C; h < (p + 1) * S * C; h++) {
          np += hc[h]!;
          cp += hv[h]!;
        }
        const prior = np > 0 ? cp / np : 0;
        for (let s = 0; s < S; s++) {
          for (let c = 0; c < C; c++) {
            let nn = 0;
            let cc = 0;
            for (let s2 = 0; s2 < S; s2++) {
              for (let c2 = 0; c2 < C; c2++) {
                const keep = by === 'product' || (by === 'segment-product' ? s2 === s : c2 === c);
                if (!keep) continue;
                nn += hc[(p * S + s2) * C + c2]!;
                cc += hv[(p * S + s2) * C + c2]!;
              }
            }
            rate[(p * S + s) * C + c] = nn + m > 0 ? (cc + m * prior) / (nn + m) : prior;
          }
        }
      }
      const score = new Float64Array(n);
      const channel = new Int32Array(n).fill(-1);
      for (let k = 0; k < n; k++) {
        const p = pairProduct[k]!;
        const s = data.clientSegment[pairClient[k]!]!;
        let best = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < C; c++) {
          if (!contactable[k * C + c]) continue;
          const value = rate[(p * S + s) * C + c]! * unitValue[p]! - actionCost[c]!;
          if (value > best) {
            best = value;
            channel[k] = c;
          }
        }
        score[k] = best;
      }
      const rng = createRng(options.seed ?? NAIVE_DEFAULTS.seed);
      const tieBreak = new Float64Array(n);
      for (let k = 0; k < n; k++) tieBreak[k] = rng.next();
      return topPairs(data, score, channel, options.contacts, { tieBreak });
    },
  };
}
