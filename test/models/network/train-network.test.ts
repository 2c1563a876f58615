import { describe, expect, it } from 'vitest';
import { fitTreatedNetwork } from '../../../src/models/network/outcome-networks.js';
import { fitScaling } from '../../../src/models/network/pair-inputs.js';
import { scoreNetwork } from '../../../src/models/network/small-network.js';
import { TRAIN_DEFAULTS } from '../../../src/models/network/train-options.js';
import { TLearner } from '../../../src/models/uplift/t-learner.js';
import { createRng } from '../../../src/rng.js';
import { syntheticExamples } from '../synthetic-examples.js';

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

describe('trainNetwork: an offset network learns the log-odds over its reference', () => {
  // The contacted rows' outcomes redrawn as y ~ Bernoulli(σ(o_i + 0.8)): a reference logit o_i
  // that no feature explains (drawn at random per row) and a constant log-odds ratio of 0.8.
  const rng = createRng(77);
  const reference = new Float32Array(examples.n);
  const outcome = new Uint8Array(examples.n);
  for (let i = 0; i < examples.n; i++) {
    reference[i] = -3 + 2.5 * rng.normal();
    outcome[i] = rng.next() < 1 / (1 + Math.exp(-(reference[i]! + 0.8))) ? 1 : 0;
  }
  const rows = { ...examples, outcome };
  const options = {
    ...TRAIN_DEFAULTS,
    hidden: 0,
    epochs: 60,
    batchSize: 64,
    learningRate: 0.03,
    validationShare: 0,
    l2: 1e-3,
  };
  const C = examples.channelIds.length;
  const treated: number[] = [];
  for (let i = 0; i < examples.n; i++) if (examples.treatment[i]! >= 0) treated.push(i);
  /** Mean |p̂ − p| over the contacted rows, p = σ(o + 0.8) and p̂ the network's, offset or not. */
  const error = (net: Parameters<typeof scoreNetwork>[0], withOffset: boolean): number => {
    const z = new Float32Array(examples.n * C);
    scoreNetwork(
      { ...net, output: 'linear' },
      scaling,
      examples.x,
      examples.xc,
      examples.product,
      examples.n,
      z,
    );
    let e = 0;
    for (const i of treated) {
      const logit = z[i * C + examples.treatment[i]!]! + (withOffset ? reference[i]! : 0);
      e += Math.abs(1 / (1 + Math.exp(-logit)) - 1 / (1 + Math.exp(-(reference[i]! + 0.8))));
    }
    return e / treated.length;
  };

  it('recovers the constant log-odds ratio and tracks the reference; without it, it cannot', async () => {
    expect(treated.length).toBe(523);
    const withOffset = await fitTreatedNetwork(
      { rows, scaling, weights, treatedOffset: reference },
      options,
      4,
    );
    const without = await fitTreatedNetwork({ rows, scaling, weights }, options, 4);
    // hidden = 0: the output is b2 + W1ᵀv, so b2 plus the one-hot weights carry the constant 0.8
    const z = new Float32Array(examples.n * C);
    scoreNetwork(
      { ...withOffset.network, output: 'linear' },
      scaling,
      examples.x,
      examples.xc,
      examples.product,
      examples.n,
      z,
    );
    let mean = 0;
    for (const i of treated) mean += z[i * C + examples.treatment[i]!]! / treated.length;
    expect(mean).toBeGreaterThan(0.55);
    expect(mean).toBeLessThan(1.05);
    const eOffset = error(withOffset.network, true);
    const eWithout = error(without.network, false);
    expect(eOffset).toBeLessThan(0.06);
    expect(eWithout).toBeGreaterThan(4 * eOffset);
  }, 120_000);
});
