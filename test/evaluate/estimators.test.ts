import { describe, expect, it } from 'vitest';
import { confidenceInterval, normalQuantile } from '../../src/evaluate/confidence-interval.js';
import {
  estimateDifference,
  estimateInterval,
  estimatePolicyValue,
  standardEstimators,
} from '../../src/evaluate/estimate.js';
import { clippedInversePropensity } from '../../src/evaluate/estimators/clipped-inverse-propensity.js';
import { directMethod } from '../../src/evaluate/estimators/direct-method.js';
import { doublyRobust } from '../../src/evaluate/estimators/doubly-robust.js';
import { inversePropensity } from '../../src/evaluate/estimators/inverse-propensity.js';
import { selfNormalizedIps } from '../../src/evaluate/estimators/self-normalized-ips.js';
import { switchDoublyRobust } from '../../src/evaluate/estimators/switch-doubly-robust.js';
import type { LoggedBanditData } from '../../src/evaluate/logged-bandit-data.js';

// Three rounds, two actions, worked by hand.
const data: LoggedBanditData = {
  nRounds: 3,
  nActions: 2,
  action: Int32Array.from([0, 1, 0]),
  reward: Float64Array.from([1, 0, 2]),
  pscore: Float64Array.from([0.5, 0.25, 0.8]),
  rewardHat: Float64Array.from([0.6, 0.2, 0.1, 0.3, 1.5, 1]),
};
const pi = Float64Array.from([1, 0, 0.5, 0.5, 0.2, 0.8]);
// weights: 1/0.5 = 2, 0.5/0.25 = 2, 0.2/0.8 = 0.25.

describe('estimators on a hand-worked example', () => {
  const cases: [string, () => number, number][] = [
    ['dm', () => estimatePolicyValue(directMethod(), data, pi), (0.6 + 0.2 + (0.2 * 1.5 + 0.8 * 1)) / 3],
    ['ips', () => estimatePolicyValue(inversePropensity(), data, pi), (2 * 1 + 2 * 0 + 0.25 * 2) / 3],
    [
      'clipped ips (1.5)',
      () => estimatePolicyValue(clippedInversePropensity({ lambda: 1.5 }), data, pi),
      (1.5 + 0 + 0.5) / 3,
    ],
    ['snips', () => estimatePolicyValue(selfNormalizedIps(), data, pi), 2.5 / 4.25],
    [
      'dr',
      () => estimatePolicyValue(doublyRobust(), data, pi),
      (0.6 + 2 * (1 - 0.6) + (0.2 + 2 * (0 - 0.3)) + (1.1 + 0.25 * (2 - 1.5))) / 3,
    ],
    [
      'switch-dr (1.5): rounds with weight 2 fall back on the model',
      () => estimatePolicyValue(switchDoublyRobust({ lambda: 1.5 }), data, pi),
      (0.6 + 0.2 + (1.1 + 0.25 * (2 - 1.5))) / 3,
    ],
  ];
  for (const [name, run, expected] of cases) it(name, () => expect(run()).toBeCloseTo(expected, 14));

  it('standard estimators in table order', () => {
    expect(standardEstimators({ lambda: 10 }).map((e) => [e.name, e.lambda])).toEqual([
      ['dm', Infinity],
      ['ips', Infinity],
      ['clipped-ips', 10],
      ['snips', Infinity],
      ['dr', Infinity],
      ['switch-dr', 10],
    ]);
  });

  it('a difference with itself is exactly 0 for the linear estimators', () => {
    for (const est of [directMethod(), inversePropensity(), doublyRobust()]) {
      const d = estimateDifference(est, data, pi, pi, { method: 'normal' });
      expect([d.estimate, d.lower, d.upper]).toEqual([0, 0, 0]);
    }
  });
});

const bad = (patch: Partial<LoggedBanditData>): LoggedBanditData => ({ ...data, ...patch });
const BAD_INPUTS: { name: string; data: LoggedBanditData; pi?: Float64Array; message: RegExp }[] = [
  { name: 'no rounds', data: bad({ nRounds: 0 }), message: /nRounds must be a positive integer, got 0/ },
  {
    name: 'short reward',
    data: bad({ reward: Float64Array.from([1, 0]) }),
    message: /reward has length 2, expected nRounds = 3/,
  },
  {
    name: 'action out of range',
    data: bad({ action: Int32Array.from([0, 2, 0]) }),
    message: /action\[1\] = 2 is outside \[0, 2\)/,
  },
  {
    name: 'zero propensity',
    data: bad({ pscore: Float64Array.from([0.5, 0, 0.8]) }),
    message: /pscore\[1\] = 0 is outside \(0, 1\]/,
  },
  {
    name: 'propensity above 1',
    data: bad({ pscore: Float64Array.from([1.5, 0.25, 0.8]) }),
    message: /pscore\[0\] = 1.5/,
  },
  {
    name: 'NaN reward',
    data: bad({ reward: Float64Array.from([1, Number.NaN, 2]) }),
    message: /reward\[1\] = NaN is not finite/,
  },
  {
    name: 'pi row not summing to 1',
    data,
    pi: Float64Array.from([1, 0, 0.5, 0.6, 0.2, 0.8]),
    message: /row 1 sums to 1.1, expected 1/,
  },
  {
    name: 'negative pi',
    data,
    pi: Float64Array.from([1, 0, 1.5, -0.5, 0.2, 0.8]),
    message: /distribution\[1, 0\] = 1.5 is outside \[0, 1\]/,
  },
  {
    name: 'pi of wrong length',
    data,
    pi: Float64Array.from([1, 0]),
    message: /length 2, expected n × A = 6/,
  },
  {
    name: 'missing reward model',
    data: bad({ rewardHat: undefined }),
    message: /needs reward-model predictions/,
  },
  {
    name: 'reward model of wrong length',
    data: bad({ rewardHat: new Float64Array(4) }),
    message: /rewardHat has length 4/,
  },
];

describe('bad inputs are refused with what, where and the limit', () => {
  for (const b of BAD_INPUTS) {
    it(b.name, () => {
      expect(() => estimatePolicyValue(doublyRobust(), b.data, b.pi ?? pi)).toThrow(b.message);
    });
  }
  it('bad thresholds', () => {
    expect(() => clippedInversePropensity({ lambda: 0 })).toThrow(
      /clipped-ips: lambda must be positive, got 0/,
    );
    expect(() => switchDoublyRobust({ lambda: -1 })).toThrow(/switch-dr: lambda must be at least 0, got -1/);
    expect(() => confidenceInterval(Float64Array.from([1]), { alpha: 1 })).toThrow(
      /alpha must be in \(0, 1\), got 1/,
    );
    expect(() => confidenceInterval(Float64Array.from([1]), { nBootstrap: 0 })).toThrow(
      /nBootstrap must be a positive integer/,
    );
  });
});

describe('confidence intervals', () => {
  it('normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 8);
  });
  it('normal interval: mean ± 1.96 sd/√n', () => {
    const ci = confidenceInterval(Float64Array.from([0, 1, 2, 3, 4]), { method: 'normal' });
    const half = 1.959963984540054 * Math.sqrt(2.5 / 5);
    expect(ci.estimate).toBe(2);
    expect(ci.lower).toBeCloseTo(2 - half, 8);
    expect(ci.upper).toBeCloseTo(2 + half, 8);
  });
  it('bootstrap interval is seeded, brackets the mean and shrinks with n', () => {
    const small = Float64Array.from({ length: 100 }, (_, i) => (i % 10) / 10);
    const big = Float64Array.from({ length: 10_000 }, (_, i) => (i % 10) / 10);
    const a = confidenceInterval(small, { seed: 1 });
    expect(confidenceInterval(small, { seed: 1 })).toEqual(a);
    expect(a.lower).toBeLessThan(0.45);
    expect(a.upper).toBeGreaterThan(0.45);
    const b = confidenceInterval(big, { seed: 1 });
    // sd 0.287: 95% half-width ≈ 0.056 at n = 100, ≈ 0.0056 at n = 10,000.
    expect(a.upper - a.lower).toBeGreaterThan(0.07);
    expect(a.upper - a.lower).toBeLessThan(0.16);
    expect(b.upper - b.lower).toBeGreaterThan(0.007);
    expect(b.upper - b.lower).toBeLessThan(0.016);
  });
  it('estimateInterval reports the estimator mean', () => {
    const ci = estimateInterval(inversePropensity(), data, pi, { nBootstrap: 50 });
    expect(ci.estimate).toBeCloseTo(2.5 / 3, 14);
    expect(ci.method).toBe('bootstrap');
  });
});
