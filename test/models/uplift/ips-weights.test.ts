import { describe, expect, it } from 'vitest';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { ipsWeights, stabilisedRatio } from '../../../src/models/uplift/ips-weights.js';
import { resolveUpliftOptions } from '../../../src/models/uplift/uplift-options.js';
import { syntheticExamples } from '../synthetic-examples.js';

const options = { maxWeight: 50, minPropensity: 0.01 } as const;

/** The synthetic table with chosen treatments, logged propensities and a μ̂ matrix (C = 3). */
function table(treatment: number[], logged: number[]): { rows: UpliftExamples; muHat: Float32Array } {
  const base = syntheticExamples({ n: treatment.length, seed: 1 }).examples;
  const rows: UpliftExamples = {
    ...base,
    treatment: Int8Array.from(treatment),
    loggedPropensity: Float32Array.from(logged),
    weight: new Float32Array(treatment.length).fill(1),
  };
  const C = base.channelIds.length;
  const muHat = new Float32Array(treatment.length * (C + 1));
  for (let i = 0; i < treatment.length; i++) {
    muHat.set([0.02, 0.02, 0.02, 0.94], i * (C + 1));
  }
  return { rows, muHat };
}

describe('stabilised weights', () => {
  it('weigh a contacted row by μ̂(x) / μ logged, self-normalised per channel', () => {
    // two email rows: one the features explain (μ = μ̂), one the old targeting liked for a hidden
    // reason (μ = 10 μ̂): the second weighs ten times less
    const { rows, muHat } = table([2, 2, -1, -1], [0.02, 0.2, Number.NaN, Number.NaN]);
    const w = ipsWeights(rows, muHat, { ...options, weighting: 'stabilised' }, 'test');
    expect(w[0]! / w[1]!).toBeCloseTo(10, 4);
    expect((w[0]! + w[1]!) / 2).toBeCloseTo(1, 6);
    // 'none' rows keep their sampling weight (ratio 1)
    expect(w[2]).toBeCloseTo(1, 6);
    expect(w[3]).toBeCloseTo(1, 6);
  });

  it('leave out what the features explain: plain IPS weights differ by segment, stabilised ones do not', () => {
    // a favoured client contacted with μ = μ̂ = 0.2 and an unfavoured one with μ = μ̂ = 0.002
    const { rows, muHat } = table([0, 0], [0.2, 0.002]);
    muHat[0] = 0.2;
    muHat[4] = 0.002;
    const stab = ipsWeights(rows, muHat, { ...options, weighting: 'stabilised' }, 'test');
    expect(stab[0]).toBeCloseTo(stab[1]!, 6);
    const ips = ipsWeights(rows, muHat, { ...options, weighting: 'ips', minPropensity: 1e-4 }, 'test');
    expect(ips[1]! / ips[0]!).toBeCloseTo(100, 3);
  });

  it('are 1 without a logged propensity or without μ̂', () => {
    const { rows, muHat } = table([1, 1], [Number.NaN, 0.05]);
    expect(stabilisedRatio(rows, muHat, 0, 1, 1e-6)).toBe(1);
    expect(stabilisedRatio(rows, undefined, 1, 1, 1e-6)).toBe(1);
    expect(stabilisedRatio(rows, muHat, 1, 1, 1e-6)).toBeCloseTo(0.4, 6);
  });

  it('is a weighting the learners accept, and an unknown one is refused with its name', () => {
    expect(resolveUpliftOptions({ weighting: 'stabilised' }, 'test').weighting).toBe('stabilised');
    expect(() => resolveUpliftOptions({ weighting: 'other' as 'ips' }, 'models/x')).toThrow(
      /models\/x: weighting must be 'ips', 'stabilised' or 'none', got other/,
    );
  });
});
