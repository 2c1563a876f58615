import type { EvaluationDataset } from '../evaluation-dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';

/**
 * Uniform random targeting with a contact budget K: every pair with a contactable channel is
 * contacted with probability K / (number of such pairs), through one of its contactable channels
 * chosen uniformly; otherwise 'none'. Expected contacts: K.
 */
export function uniformRandomPolicy(options: { readonly contacts: number }): EvaluationPolicy {
  return {
    name: 'uniform random',
    actionDistribution(data: EvaluationDataset): Float64Array {
      const { nPairs: n, nChannels: C, nActions: A, contactable } = data;
      const q = data.nContactablePairs > 0 ? Math.min(1, options.contacts / data.nContactablePairs) : 0;
      const pi = new Float64Array(n * A);
      for (let k = 0; k < n; k++) {
        let m = 0;
        for (let c = 0; c < C; c++) m += contactable[k * C + c]!;
        if (m === 0) {
          pi[k * A + C] = 1;
          continue;
        }
        for (let c = 0; c < C; c++) if (contactable[k * C + c]) pi[k * A + c] = q / m;
        pi[k * A + C] = 1 - q;
      }
      return pi;
    },
  };
}
