import { describe, expect, it } from 'vitest';
import { fitTreatedNetwork } from '../../src/models/outcome-networks.js';
import { fitScaling } from '../../src/models/pair-inputs.js';
import { TLearner } from '../../src/models/t-learner.js';
import { TRAIN_DEFAULTS } from '../../src/models/train-network.js';
import { syntheticExamples } from './synthetic-examples.js';

const { examples } = syntheticExamples({ n: 3_000, seed: 12 });
const scaling = fitScaling(examples);
const weights = new Float32Array(examples.n).fill(1);
const F = examples.schema.pair.length;
const K = examples.schema.channel.length;

/** Mean squared first-layer weight of the feature rows and of the one-hot rows. */
function blockNorms(w1: Float32Array, d: number, H: number): { features: number; oneHots: number } {
  let f = 0;
  let o = 0;
  for (let r = 0; r < d; r++)
    for (let h = 0; h < H; h++) {
      const v = w1[r * H + h]! ** 2;
      if (r < F + K) f += v;
      else o += v;
    }
  return { features: f / ((F + K) * H), oneHots: o / ((d - F - K) * H) };
}

describe('trainNetwork: the L2 penalty of the features and of the one-hots', () => {
  const fit = async (l2: number, l2OneHot: number | undefined) => {
    const options = {
      ...TRAIN_DEFAULTS,
      hidden: 4,
      epochs: 40,
      batchSize: 32,
      learningRate: 0.03,
      validationShare: 0,
      l2,
      l2OneHot,
    };
    const t = await fitTreatedNetwork({ rows: examples, scaling, weights }, options, 3);
    const d = t.network.w1.length / 4;
    return blockNorms(t.network.w1, d, 4);
  };

  it('shrinks only the block it is given: features with l2, one-hots with l2OneHot', async () => {
    const both = await fit(1, undefined);
    const featuresOnly = await fit(1, 0);
    const none = await fit(0, 0);
    // A strong penalty on the features leaves their weights far below the unpenalised fit's...
    expect(featuresOnly.features).toBeLessThan(0.2 * none.features);
    expect(both.features).toBeLessThan(0.2 * none.features);
    // ...and the one-hots shrink only when l2OneHot (by default l2) says so.
    expect(both.oneHots).toBeLessThan(0.2 * featuresOnly.oneHots);
  }, 120_000);

  it('refuses a negative or infinite l2OneHot, naming the network', () => {
    expect(() => new TLearner({ treated: { l2OneHot: -1 } })).toThrow(
      /\(treated\): l2OneHot must be a finite value ≥ 0, got -1/,
    );
    expect(() => new TLearner({ control: { l2OneHot: Number.POSITIVE_INFINITY } })).toThrow(
      /\(control\): l2OneHot must be a finite value ≥ 0, got Infinity/,
    );
  });
});
