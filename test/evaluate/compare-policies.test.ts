import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparePolicies } from '../../src/evaluate/compare-policies.js';
import { estimateDifference } from '../../src/evaluate/estimate.js';
import { doublyRobust } from '../../src/evaluate/estimators/doubly-robust.js';
import { inversePropensity } from '../../src/evaluate/estimators/inverse-propensity.js';
import { selfNormalizedIps } from '../../src/evaluate/estimators/self-normalized-ips.js';
import { buildEvaluationDataset, type EvaluationDataset } from '../../src/evaluate/evaluation-dataset.js';
import { evaluate } from '../../src/evaluate/index.js';
import { contactNobody } from '../../src/evaluate/policies/evaluation-policy.js';
import { naiveConversionRatePolicy } from '../../src/evaluate/policies/naive-conversion-rate.js';
import { truthOraclePolicy } from '../../src/evaluate/policies/truth-oracle.js';
import { uniformRandomPolicy } from '../../src/evaluate/policies/uniform-random.js';
import { trueValue, unbiasedStandardErrorFloor } from '../../src/evaluate/true-value.js';
import { createRng } from '../../src/rng.js';

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

describe('unbiasedStandardErrorFloor: the standard error of DR with the true reward model', () => {
  it('by hand for the oracle on the mini folder', () => {
    const pi = truthOraclePolicy({ contacts: 2 }).actionDistribution(d);
    // C1/P_A branch: 100²·0.1·0.9 / 0.7 (none) + 100²·0.5·0.5 / 0.1 (branch);
    // C2/P_A branch: 100²·0.05·0.95 / 0.7 + 100²·0.25·0.75 / 0.3.
    const variance = 900 / 0.7 + 25_000 + 475 / 0.7 + 1875 / 0.3;
    expect(unbiasedStandardErrorFloor(d, pi)).toBeCloseTo(Math.sqrt(variance), 9);
    expect(unbiasedStandardErrorFloor(d, contactNobody(d))).toBe(0);
    expect(comparePolicies(d, [truthOraclePolicy({ contacts: 2 })])[0]!.seFloor).toBeCloseTo(
      Math.sqrt(variance),
      9,
    );
  });
  it('is infinite when the policy contacts where the logging policy never does', () => {
    // C3/P_B through email has logging propensity 0.
    const pi = contactNobody(d);
    const k = 4;
    pi[k * 3 + 0] = 1;
    pi[k * 3 + 2] = 0;
    expect(unbiasedStandardErrorFloor(d, pi)).toBe(Number.POSITIVE_INFINITY);
  });
  it('matches the spread of DR with the true reward model over redrawn logged rounds', () => {
    const pi = truthOraclePolicy({ contacts: 2 }).actionDistribution(d);
    const { nPairs: n, nChannels: C, nActions: A } = d;
    const q = new Float64Array(n * A);
    for (let k = 0; k < n; k++) {
      const v = d.unitValue[d.pairProduct[k]!]!;
      for (let c = 0; c < C; c++) q[k * A + c] = d.truth.p1[k * C + c]! * v - d.actionCost[c]!;
      q[k * A + C] = d.truth.p0[k]! * v;
    }
    const rng = createRng(11);
    const totals: number[] = [];
    for (let rep = 0; rep < 20_000; rep++) {
      const action = new Int32Array(n);
      const reward = new Float64Array(n);
      const pscore = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        let u = rng.next();
        let a = A - 1;
        for (let j = 0; j < A; j++) {
          u -= d.mu[k * A + j]!;
          if (u < 0) {
            a = j;
            break;
          }
        }
        const p = a === C ? d.truth.p0[k]! : d.truth.p1[k * C + a]!;
        const converted = rng.next() < p ? 1 : 0;
        action[k] = a;
        pscore[k] = d.mu[k * A + a]!;
        reward[k] = converted * d.unitValue[d.pairProduct[k]!]! - (a === C ? 0 : d.actionCost[a]!);
      }
      const logged = { nRounds: n, nActions: A, action, reward, pscore, rewardHat: q };
      totals.push(estimateDifference(doublyRobust(), logged, pi, contactNobody(d)).estimate * n);
    }
    const m = totals.reduce((s, x) => s + x, 0) / totals.length;
    const sd = Math.sqrt(totals.reduce((s, x) => s + (x - m) ** 2, 0) / (totals.length - 1));
    // Unbiased: the mean is the true value (40) within 3 standard errors of the mean.
    expect(Math.abs(m - 40)).toBeLessThan((3 * sd) / Math.sqrt(totals.length));
    expect(sd / unbiasedStandardErrorFloor(d, pi)).toBeGreaterThan(0.97);
    expect(sd / unbiasedStandardErrorFloor(d, pi)).toBeLessThan(1.03);
  });
});
