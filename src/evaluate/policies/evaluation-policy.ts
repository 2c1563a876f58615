import type { EvaluationDataset } from '../evaluation-dataset.js';

/**
 * A policy to evaluate: for each decision context (a client and product at the evaluation date),
 * a probability for each action, the channels and 'no contact' (last). Returned as one
 * nPairs × nActions row-major Float64Array whose rows sum to 1, because budgeted policies decide
 * over all pairs at once. Adding a policy to the comparison is adding one of these.
 */
export interface EvaluationPolicy {
  readonly name: string;
  actionDistribution(data: EvaluationDataset): Float64Array;
}

/** 'none' with probability 1 on every pair: the baseline every policy's value is measured against. */
export function contactNobody(data: EvaluationDataset): Float64Array {
  const { nPairs: n, nActions: A } = data;
  const pi = new Float64Array(n * A);
  for (let k = 0; k < n; k++) pi[k * A + A - 1] = 1;
  return pi;
}
