import { SEGMENTS } from '../domain/enums.js';
import type { EvaluationDataset } from './evaluation-dataset.js';

export const TABULAR_REWARD_DEFAULTS = { smoothing: 10, folds: 2 } as const;

/**
 * The reward model DM and DR use until trained models exist: q̂(pair, a) = v_p × r̂(p, s, a) −
 * cost_a, where r̂ is the conversion rate observed in the logged round for product p, client
 * segment s and action a, shrunk towards the (p, a) rate and that towards the product's rate
 * (r̂ = (conversions + m·prior) / (rounds + m), m = `smoothing`). Cross-fitted: clients are split
 * into `folds` by index and each pair is predicted from the other folds (Chernozhukov et al. 2018),
 * so a round's own reward never enters its prediction. It ignores everything the logging policy
 * looked at beyond the segment, so it is biased exactly where targeting was: that is DM's weakness
 * and what DR's correction term repairs. Returns nPairs × nActions.
 */
export function tabularRewardModel(
  data: EvaluationDataset,
  options: { readonly smoothing?: number; readonly folds?: number } = {},
): Float64Array {
  const m = options.smoothing ?? TABULAR_REWARD_DEFAULTS.smoothing;
  const F = options.folds ?? TABULAR_REWARD_DEFAULTS.folds;
  const { nPairs: n, nActions: A, pairClient, pairProduct, clientSegment, unitValue, actionCost } = data;
  const P = data.productIds.length;
  const S = SEGMENTS.length;
  const { action } = data.logged;
  const cells = P * S * A;
  const rounds = new Float64Array(F * cells);
  const conv = new Float64Array(F * cells);
  const fold = (k: number): number => pairClient[k]! % F;
  for (let k = 0; k < n; k++) {
    const h = fold(k) * cells + (pairProduct[k]! * S + clientSegment[pairClient[k]!]!) * A + action[k]!;
    rounds[h]! += 1;
    conv[h]! += data.converted[k]!;
  }
  // rate[f][p, s, a] from every fold but f.
  const rate = new Float64Array(F * cells);
  for (let f = 0; f < F; f++) {
    const nCell = (p: number, s: number, a: number): [number, number] => {
      let r = 0;
      let c = 0;
      for (let g = 0; g < F; g++) {
        if (g === f && F > 1) continue;
        const h = g * cells + (p * S + s) * A + a;
        r += rounds[h]!;
        c += conv[h]!;
      }
      return [r, c];
    };
    for (let p = 0; p < P; p++) {
      let rp = 0;
      let cp = 0;
      const rpa = new Float64Array(A);
      const cpa = new Float64Array(A);
      for (let s = 0; s < S; s++) {
        for (let a = 0; a < A; a++) {
          const [r, c] = nCell(p, s, a);
          rp += r;
          cp += c;
          rpa[a]! += r;
          cpa[a]! += c;
        }
      }
      const prodRate = rp > 0 ? cp / rp : 0;
      for (let a = 0; a < A; a++) {
        const paRate = (cpa[a]! + m * prodRate) / (rpa[a]! + m);
        for (let s = 0; s < S; s++) {
          const [r, c] = nCell(p, s, a);
          rate[f * cells + (p * S + s) * A + a] = (c + m * paRate) / (r + m);
        }
      }
    }
  }
  const q = new Float64Array(n * A);
  for (let k = 0; k < n; k++) {
    const p = pairProduct[k]!;
    const base = fold(k) * cells + (p * S + clientSegment[pairClient[k]!]!) * A;
    for (let a = 0; a < A; a++) q[k * A + a] = unitValue[p]! * rate[base + a]! - actionCost[a]!;
  }
  return q;
}
