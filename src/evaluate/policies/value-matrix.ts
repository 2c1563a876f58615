import type { EvaluationDataset } from '../evaluation-dataset.js';
import type { EvaluationPolicy } from './evaluation-policy.js';
import { topPairs } from './top-pairs.js';

/**
 * The policy of a model: `value` (nPairs × C, EUR, in the dataset's pair order) is what the model
 * says one contact through c is worth; each pair takes its best contactable channel, and the
 * `contacts` pairs of highest value among those worth more than `minScore` (default 0: 'no contact'
 * is an action too) are contacted. NaN values are never chosen.
 */
export function valueMatrixPolicy(options: {
  readonly name: string;
  readonly contacts: number;
  readonly value: Float64Array | Float32Array;
  readonly minScore?: number;
}): EvaluationPolicy {
  return {
    name: options.name,
    actionDistribution(data: EvaluationDataset): Float64Array {
      const { nPairs: n, nChannels: C, contactable } = data;
      if (options.value.length !== n * C) {
        throw new Error(
          `policy "${options.name}": ${options.value.length} values for ${n} pairs × ${C} channels (expected ${n * C})`,
        );
      }
      const score = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
      const channel = new Int32Array(n).fill(-1);
      for (let k = 0; k < n; k++) {
        for (let c = 0; c < C; c++) {
          const v = options.value[k * C + c]!;
          if (!contactable[k * C + c] || Number.isNaN(v)) continue;
          if (v > score[k]!) {
            score[k] = v;
            channel[k] = c;
          }
        }
      }
      return topPairs(data, score, channel, options.contacts, { minScore: options.minScore ?? 0 });
    },
  };
}
