/**
 * Off-policy evaluation benchmark (issue 4):
 * 1. simulate N clients (default 100,000) into data/ope-N (or reuse it), build the logged round at
 *    the evaluation date, and compare uniform random, the truth-uplift oracle and the naive
 *    conversion-rate policies with the same number of contacts: true value vs DM, IPS, clipped IPS,
 *    SNIPS, DR, SWITCH-DR;
 * 2. parity with Open Bandit Pipeline: nbg's estimators on the committed obp vectors and on the
 *    Open Bandit Dataset sample that ships with obp (bench/peers/obp/out/obd.json, written by
 *    `python bench/peers/obp/obp_parity.py obd ...`; see bench/peers/obp/README.md).
 *
 * usage: npx tsx bench/ope.ts [--clients 100000] [--seed 2024] [--dir data/ope-100000] [--fresh]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { comparePolicies } from '../src/evaluate/compare-policies.js';
import { defaultPolicies } from '../src/evaluate/default-policies.js';
import { estimatePolicyValue } from '../src/evaluate/estimate.js';
import { clippedInversePropensity } from '../src/evaluate/estimators/clipped-inverse-propensity.js';
import { directMethod } from '../src/evaluate/estimators/direct-method.js';
import { doublyRobust } from '../src/evaluate/estimators/doubly-robust.js';
import type { OffPolicyEstimator } from '../src/evaluate/estimators/estimator.js';
import { inversePropensity } from '../src/evaluate/estimators/inverse-propensity.js';
import { selfNormalizedIps } from '../src/evaluate/estimators/self-normalized-ips.js';
import { switchDoublyRobust } from '../src/evaluate/estimators/switch-doubly-robust.js';
import { buildEvaluationDataset } from '../src/evaluate/evaluation-dataset.js';
import { comparisonTable, type PolicyComparison } from '../src/evaluate/index.js';
import { trueRewardModel } from '../src/evaluate/true-reward-model.js';
import { simulate } from '../src/simulate/index.js';
import { stopwatch } from '../src/stopwatch.js';
import { type BenchTable, type Figures, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '2024' },
    dir: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    exploration: { type: 'string' },
  },
});
const clients = Number(values.clients);
const seed = Number(values.seed);
const exploration = values.exploration === undefined ? undefined : Number(values.exploration);
const dir = values.dir ?? `data/ope-${clients}${exploration === undefined ? '' : `-eps${exploration}`}`;
const root = join(import.meta.dirname, '..');

interface ObpCase {
  name: string;
  nRounds: number;
  nActions: number;
  clip: number;
  action: number[];
  reward: number[];
  pscore: number[];
  actionDist: number[];
  rewardHat: number[];
  obp: Record<string, number>;
  onPolicyValue?: number;
}

const ESTIMATORS = (clip: number): [string, OffPolicyEstimator][] => [
  ['dm', directMethod()],
  ['ips', inversePropensity()],
  ['clippedIps', clippedInversePropensity({ lambda: clip })],
  ['snips', selfNormalizedIps()],
  ['dr', doublyRobust()],
  ['switchDr', switchDoublyRobust({ lambda: clip })],
];

function runCase(c: ObpCase): { name: string; obp: number; nbg: number; rel: number }[] {
  const data = {
    nRounds: c.nRounds,
    nActions: c.nActions,
    action: Int32Array.from(c.action),
    reward: Float64Array.from(c.reward),
    pscore: Float64Array.from(c.pscore),
    rewardHat: Float64Array.from(c.rewardHat),
  };
  const pi = Float64Array.from(c.actionDist);
  return ESTIMATORS(c.clip).map(([name, est]) => {
    const nbg = estimatePolicyValue(est, data, pi);
    const obp = c.obp[name]!;
    return { name: est.name, obp, nbg, rel: Math.abs(nbg - obp) / Math.abs(obp) };
  });
}

// 1. The simulated world.
const total = stopwatch();
let simulatedSeconds: number | null = null;
const meta = join(dir, 'truth', 'meta.json');
const reuse =
  !values.fresh &&
  existsSync(meta) &&
  (JSON.parse(readFileSync(meta, 'utf8')) as { clients?: number; seed?: number }).clients === clients &&
  (JSON.parse(readFileSync(meta, 'utf8')) as { seed?: number }).seed === seed &&
  (exploration === undefined ||
    (JSON.parse(readFileSync(meta, 'utf8')) as { exploration?: number }).exploration === exploration);
if (!reuse) {
  process.stderr.write(`simulating ${clients} clients into ${dir}...\n`);
  const s = await simulate({
    out: dir,
    clients,
    seed,
    ...(exploration === undefined ? {} : { exploration }),
  });
  simulatedSeconds = s.seconds;
}
const evalWatch = stopwatch();
const data = await buildEvaluationDataset(dir);
const report = {
  pairs: data.nPairs,
  contacts: data.loggedContacts,
  comparisons: comparePolicies(data, defaultPolicies(data.loggedContacts)),
};
const evalSeconds = evalWatch.seconds();
const byName = (prefix: string): PolicyComparison => {
  const r = report.comparisons.find((c) => c.policy.startsWith(prefix));
  if (!r) throw new Error(`bench/ope: no policy ${prefix}`);
  return r;
};
const rel = (r: PolicyComparison, est: string): number =>
  r.estimates.find((e) => e.estimator === est)!.relativeError!;
const random = byName('uniform random');
const oracle = byName('truth-uplift oracle');
const naives = report.comparisons.filter((c) => c.policy.startsWith('naive'));
const bestNaive = naives.reduce((a, b) => (b.truth.netValue > a.truth.netValue ? b : a));
const mainNaive = byName('naive conversion rate (segment-product)');
const table = comparisonTable(report.comparisons);

// The floor set by outcome noise: DR with the true reward model, for random and the oracle.
const floor = comparePolicies(
  data,
  defaultPolicies(report.contacts).filter((p) => p.name === random.policy || p.name === oracle.policy),
  { rewardHat: trueRewardModel(data), estimators: [doublyRobust()] },
);
const floorRel = (name: string): number => floor.find((f) => f.policy === name)!.estimates[0]!.relativeError!;

// 2. obp parity.
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/obp/parity-vectors.json'), 'utf8')) as {
  cases: ObpCase[];
};
const parityRows = fixture.cases.flatMap((c) => runCase(c).map((r) => ({ ...r, case: c.name })));
const obdPath = join(root, 'bench/peers/obp/out/obd.json');
const obd = existsSync(obdPath) ? (JSON.parse(readFileSync(obdPath, 'utf8')) as ObpCase) : undefined;
const obdRows = obd ? runCase(obd) : [];
const obpMaxRelDiff = Math.max(...parityRows.map((r) => r.rel), ...obdRows.map((r) => r.rel));

const tables: BenchTable[] = [
  {
    title: `Policies on the logged round of a simulated world: ${clients.toLocaleString('en')} clients (seed ${seed}, logging exploration ${exploration ?? 0.05}), ${report.pairs.toLocaleString('en')} client-product pairs, ${report.contacts.toLocaleString('en')} contacts each; EUR over contacting nobody, estimate [95% CI] (error vs truth)`,
    columns: table.columns,
    rows: table.rows,
    notes: [
      `Evaluation ${evalSeconds.toFixed(1)} s${simulatedSeconds === null ? ' (world reused)' : `, simulation ${simulatedSeconds.toFixed(1)} s`}, peak RSS ${peakRssMbSelf()} MB. Clipping/switching threshold 1,000; reward model for DM/DR: cross-fitted conversion rates per product × segment × action.`,
      `Outcome-noise floor: DR given the TRUE reward model misses by ${(100 * floorRel(random.policy)).toFixed(1)}% (random) and ${(100 * floorRel(oracle.policy)).toFixed(1)}% (oracle); what remains beyond that is the reward model's bias and the weights (see the support columns).`,
      `Naive (segment × product) earns ${(mainNaive.truth.netValue / oracle.truth.netValue).toFixed(3)} of the oracle's true net value; the best naive flavour (${bestNaive.policy}) ${(bestNaive.truth.netValue / oracle.truth.netValue).toFixed(3)}.`,
    ],
  },
  {
    title: 'Parity with obp 0.5.7 on the committed vectors (test/fixtures/obp)',
    columns: ['case', 'estimator', 'obp', 'nbg', 'relative difference'],
    rows: parityRows.map((r) => [
      r.case,
      r.name,
      r.obp.toPrecision(12),
      r.nbg.toPrecision(12),
      r.rel.toExponential(2),
    ]),
  },
];
if (obd) {
  tables.push({
    title: `Open Bandit Dataset sample shipped with obp (random logs, campaign all, ${obd.nRounds.toLocaleString('en')} rounds): Bernoulli TS evaluated off-policy; on-policy value of Bernoulli TS ${obd.onPolicyValue}`,
    columns: ['estimator', 'obp 0.5.7', 'nbg', 'relative difference', 'error vs on-policy'],
    rows: obdRows.map((r) => [
      r.name,
      r.obp.toPrecision(8),
      r.nbg.toPrecision(8),
      r.rel.toExponential(2),
      `${((100 * (r.nbg - obd.onPolicyValue!)) / obd.onPolicyValue!).toFixed(1)}%`,
    ]),
    notes: [
      `Same inputs for both (obp's quickstart: BernoulliTS with the ZOZOTOWN prior, 100,000 simulations, seed 12345; logistic reward model, 3 folds; clipping/switching at ${obd.clip}). With 38 clicks in 10,000 rounds the estimates are noisy; the point is agreement with obp.`,
    ],
  });
}

const figures: Figures = {
  clients,
  pairs: report.pairs,
  contacts: report.contacts,
  drRelErrorRandom: rel(random, 'dr'),
  drRelErrorOracle: rel(oracle, 'dr'),
  snipsRelErrorRandom: rel(random, 'snips'),
  snipsRelErrorOracle: rel(oracle, 'snips'),
  naiveOverOracleValue: mainNaive.truth.netValue / oracle.truth.netValue,
  bestNaiveOverOracleValue: bestNaive.truth.netValue / oracle.truth.netValue,
  oracleTrueNetValue: oracle.truth.netValue,
  naiveTrueNetValue: mainNaive.truth.netValue,
  randomTrueNetValue: random.truth.netValue,
  drTrueModelRelErrorRandom: floorRel(random.policy),
  drTrueModelRelErrorOracle: floorRel(oracle.policy),
  exploration: exploration ?? 0.05,
  obpMaxRelDiff,
  obdIncluded: obd !== undefined,
  evaluateSeconds: evalSeconds,
  totalSeconds: total.seconds(),
  peakRssMb: peakRssMbSelf(),
};
reportBench('ope', tables, figures);
