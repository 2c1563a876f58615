import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparePolicies } from '../../src/evaluate/compare-policies.js';
import { inversePropensity } from '../../src/evaluate/estimators/inverse-propensity.js';
import { selfNormalizedIps } from '../../src/evaluate/estimators/self-normalized-ips.js';
import { buildEvaluationDataset, type EvaluationDataset } from '../../src/evaluate/evaluation-dataset.js';
import { evaluate } from '../../src/evaluate/index.js';
import { contactNobody } from '../../src/evaluate/policies/evaluation-policy.js';
import { naiveConversionRatePolicy } from '../../src/evaluate/policies/naive-conversion-rate.js';
import { truthOraclePolicy } from '../../src/evaluate/policies/truth-oracle.js';
import { uniformRandomPolicy } from '../../src/evaluate/policies/uniform-random.js';
import { trueValue } from '../../src/evaluate/true-value.js';

const MINI = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/evaluate-mini');
let d: EvaluationDataset;
beforeAll(async () => {
  d = await buildEvaluationDataset(MINI);
});
const rows = (pi: Float64Array): number[][] =>
  Array.from({ length: pi.length / 3 }, (_, k) => [...pi.subarray(k * 3, k * 3 + 3)]);

describe('policies on the mini folder (actions: email, branch, none)', () => {
  it('contact nobody', () => {
    expect(rows(contactNobody(d))).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });
  it('uniform random with 2 contacts spreads 2/4 over contactable pairs and channels', () => {
    const pi = uniformRandomPolicy({ contacts: 2 }).actionDistribution(d);
    expect(rows(pi)).toEqual([
      [0.25, 0.25, 0.5],
      [0, 0.5, 0.5],
      [0, 0.5, 0.5],
      [0.25, 0.25, 0.5],
      [0, 0, 1],
    ]);
    // 0.25·19 + 0.25·30 + 0.5·10 + 0.5·10 + 0.25·4 + 0.25·(−10)
    const t = trueValue(d, pi);
    expect(t.contacts).toBeCloseTo(2, 12);
    expect(t.netValue).toBeCloseTo(20.75, 10);
    expect(t.incrementalConversions).toBeCloseTo(
      0.25 * 0.2 + 0.25 * 0.4 + 0.5 * 0.2 + 0.5 * 0.1 + 0.25 * 0.05,
      12,
    );
  });
  it('the oracle takes the best channel of the pairs of highest true value', () => {
    const pi = truthOraclePolicy({ contacts: 2 }).actionDistribution(d);
    // C1/P_A branch 30, then C2/P_A branch 10 (tied with C2/P_B, lower index first).
    expect(rows(pi)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(trueValue(d, pi).netValue).toBeCloseTo(40, 10);
    // A budget larger than the positive-value pairs: only positive ones (30, 10, 10, 4).
    expect(trueValue(d, truthOraclePolicy({ contacts: 10 }).actionDistribution(d)).contacts).toBe(4);
  });
  it('the naive policy ranks by the conversion rate among contacted clients (segment × product)', () => {
    const pi = naiveConversionRatePolicy({
      contacts: 1,
      by: 'segment-product',
      smoothing: 0,
    }).actionDistribution(d);
    // P_A: affluent converted 1/1 (C2), mass 0/1; P_B has no history (rate 0): C2/P_A through branch.
    expect(rows(pi)).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });
  it('naive rates per product pool every segment and channel', () => {
    const pi = naiveConversionRatePolicy({ contacts: 4, by: 'product', smoothing: 0 }).actionDistribution(d);
    // P_A rate 1/2: value 50 − cost, best channel email (cost 1) where contactable; P_B: rate 0 → −1 or −10.
    expect(rows(pi)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });
});

describe('comparePolicies: estimates of V(pi) − V(none), as totals', () => {
  it('IPS and SNIPS of the random policy, by hand', () => {
    const [r] = comparePolicies(d, [uniformRandomPolicy({ contacts: 2 })], {
      estimators: [inversePropensity(), selfNormalizedIps()],
    });
    expect(r!.truth.netValue).toBeCloseTo(20.75, 10);
    // IPS: 1.25·99 + 2.5·(−10) + (0.625 − 1.25)·100 = 36.25.
    expect(r!.estimates[0]!.total.estimate).toBeCloseTo(36.25, 10);
    expect(r!.estimates[0]!.relativeError).toBeCloseTo((36.25 - 20.75) / 20.75, 10);
    // SNIPS: 161.25 / Σw_pi − 125 / Σw_none, times n / n.
    const wPi = 1.25 + 0.5 / 0.7 + 2.5 + 0.625 + 1;
    const wNone = 1 / 0.7 + 1.25 + 1;
    expect(r!.estimates[1]!.total.estimate).toBeCloseTo(5 * (161.25 / wPi - 125 / wNone), 9);
    const diag = r!.diagnostics;
    expect(diag.unsupportedContacts).toBe(0);
    expect(diag.matchedContacts).toBe(2);
    expect(diag.maxWeight).toBeCloseTo(2.5, 12);
  });
  it('the oracle puts contact mass where the logging policy never acts', () => {
    const [r] = comparePolicies(d, [truthOraclePolicy({ contacts: 3 })]);
    // C2/P_B branch has mu 0.2, C1/P_A branch 0.1, C2/P_A branch 0.3: all supported; none matched.
    expect(r!.diagnostics.unsupportedContacts).toBe(0);
    expect(r!.diagnostics.matchedContacts).toBe(1);
    expect(r!.estimates.map((e) => e.estimator)).toEqual([
      'dm',
      'ips',
      'clipped-ips',
      'snips',
      'dr',
      'switch-dr',
    ]);
    for (const e of r!.estimates) {
      expect(e.total.lower).toBeLessThanOrEqual(e.total.estimate);
      expect(e.total.upper).toBeGreaterThanOrEqual(e.total.estimate);
    }
  });
  it('evaluate() runs the default policies with the logged number of contacts', async () => {
    const report = await evaluate(MINI);
    expect(report.contacts).toBe(2);
    expect(report.comparisons.map((c) => c.policy)).toEqual([
      'uniform random',
      'truth-uplift oracle',
      'naive conversion rate (product)',
      'naive conversion rate (segment-product)',
      'naive conversion rate (product-channel)',
    ]);
    expect(report.comparisons[1]!.truth.netValue).toBeCloseTo(40, 10);
  });
});
