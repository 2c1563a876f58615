import { InputError } from '../errors.js';
import type { TruthResponse } from './truth-response.js';

/**
 * Where the logging policy's probabilities come from: mu(c | pair) for every decision pair and
 * channel, as an n × C row-major array (mu(none | pair) = 1 − Σ_c mu(c | pair)). The truth column
 * is one source; a fitted exposure model is another (the models issue plugs it in here).
 */
export interface PropensitySource {
  readonly name: string;
  propensities(pairs: {
    readonly nPairs: number;
    readonly nChannels: number;
    readonly truth: TruthResponse;
  }): Float64Array;
}

/** mu from the extra `logging_propensity` column of truth/response.csv. */
export const truthPropensities: PropensitySource = {
  name: 'truth/response.csv logging_propensity',
  propensities({ truth }) {
    if (!truth.loggingPropensity) {
      throw new InputError([
        {
          file: 'truth/response.csv',
          line: 1,
          reason:
            'no logging_propensity column: give the evaluation a propensity source (an exposure model) instead',
        },
      ]);
    }
    return truth.loggingPropensity;
  },
};
