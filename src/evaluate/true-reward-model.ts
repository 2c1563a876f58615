import type { EvaluationDataset } from './evaluation-dataset.js';

/**
 * The reward model a perfect learner would reach, from truth/: q(pair, c) = p1_c × v_p − cost_c,
 * q(pair, none) = p0 × v_p (nPairs × nActions). Not for real use: given to DR it shows the error
 * left by outcome noise alone (the floor no better reward model can go below on these logs).
 */
export function trueRewardModel(data: EvaluationDataset): Float64Array {
  const { nPairs: n, nChannels: C, nActions: A, truth, unitValue, actionCost, pairProduct } = data;
  const q = new Float64Array(n * A);
  for (let k = 0; k < n; k++) {
    const v = unitValue[pairProduct[k]!]!;
    for (let c = 0; c < C; c++) q[k * A + c] = truth.p1[k * C + c]! * v - actionCost[c]!;
    q[k * A + C] = truth.p0[k]! * v;
  }
  return q;
}
