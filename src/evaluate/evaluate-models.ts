import type { TrainingExamplesOptions } from '../features/build-training-examples.js';
import type { UpliftExamples } from '../features/examples.js';
import type { ActionScores } from '../models/model.js';
import {
  type SuiteOptions,
  suiteActionValues,
  suiteMetrics,
  type TrainedSuite,
  trainSuite,
} from '../models/suite/model-suite.js';
import { stopwatch } from '../stopwatch.js';
import {
  COMPARE_DEFAULTS,
  type CompareOptions,
  comparePolicies,
  type PolicyComparison,
} from './compare-policies.js';
import { type EvaluationDataset, withPropensities } from './evaluation-dataset.js';
import { loadEvaluationWorld } from './evaluation-world.js';
import { lineChartSvg } from './line-chart-svg.js';
import type { EvaluationPolicy } from './policies/evaluation-policy.js';
import { naiveConversionRatePolicy } from './policies/naive-conversion-rate.js';
import { truthOraclePolicy, typeBlindOraclePolicy } from './policies/truth-oracle.js';
import { uniformRandomPolicy } from './policies/uniform-random.js';
import { valueMatrixPolicy } from './policies/value-matrix.js';
import { type RoundSummary, roundSummary } from './round-summary.js';
import { type SegmentShare, segmentShares } from './segment-shares.js';
import { VALUE_CURVE_DEFAULTS, type ValueCurve, valueCurves } from './value-curve.js';

/**
 * `nbg evaluate DIR` with models: on a data-contract folder with truth/, trains the model suite on
 * the history strictly before the evaluation date D (features from the folder, exactly as `nbg
 * train` computes them from the graph), scores the pairs of the round at D, and compares, with the
 * same contact budget and the same per-pair rules (contactable channels): uniform random, the
 * truth-uplift oracle (and the type-blind oracle where truth/ has its columns), the naive conversion-rate targeting, every baseline of the suite and our
 * debiased uplift policy. Where truth/response.csv has no logging_propensity column, or when asked,
 * the exposure model's estimate is the logging distribution the off-policy estimators use.
 */
export interface ModelEvaluationOptions extends CompareOptions {
  /** Contact budget; default: the contacts logged in the round at D. */
  readonly contacts?: number;
  /** 'auto': the truth column when present, else the exposure model. */
  readonly propensities?: 'auto' | 'truth' | 'exposure';
  readonly training?: Partial<Omit<TrainingExamplesOptions, 'decisionDate'>>;
  readonly suite?: Partial<SuiteOptions>;
  /**
   * The reward model q̂ of DM, DR and SWITCH-DR: 'uplift' (default) the trained uplift model's
   * conversion probabilities, q̂(c) = pContact_c × value − cost_c and q̂(none) = pNoContact × value;
   * 'tabular' the segment-level conversion rates of the logged round (cross-fitted).
   */
  readonly rewardModel?: 'uplift' | 'tabular';
  /** Budgets of the value curve, as multiples of the budget. */
  readonly budgetFactors?: readonly number[];
  readonly onProgress?: (step: string) => void;
}

export interface ModelEvaluationReport extends RoundSummary {
  readonly rewardModel: string;
  readonly trainingRows: number;
  readonly comparisons: readonly PolicyComparison[];
  /** Per policy (same order as comparisons): each segment's share of contacts over its share of clients. */
  readonly segmentShares: readonly { readonly policy: string; readonly shares: readonly SegmentShare[] }[];
  readonly curves: readonly ValueCurve[];
  /** Exposure model and learners' training metrics. */
  readonly modelMetrics: Readonly<Record<string, number>>;
  readonly seconds: Readonly<Record<string, number>>;
}

/** Name of our policy in every table. */
export const OUR_POLICY = 'nbg debiased uplift';
const BASELINE_TITLES: Readonly<Record<string, string>> = {
  popularity: 'popularity',
  'classic-propensity': 'classic per-product propensity',
  'matrix-factorisation': 'matrix factorisation (ALS)',
  'graph-neighbours': 'graph neighbours',
  'uplift-unweighted': 'uplift without debiasing',
};

/** Re-orders an n × C_rows matrix into the dataset's channel order (missing channels: NaN). */
function toDatasetChannels(
  rows: UpliftExamples,
  data: EvaluationDataset,
  m: Float32Array | Float64Array,
  width: number,
): Float64Array {
  const n = rows.n;
  const C = data.nChannels;
  const from = data.channelIds.map((id) => rows.channelIds.indexOf(id));
  const out = new Float64Array(n * C);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < C; c++) out[k * C + c] = from[c]! >= 0 ? m[k * width + from[c]!]! : Number.NaN;
  }
  return out;
}

/**
 * The dataset with the logging distribution the estimators use: the truth column of
 * truth/response.csv, or the fitted exposure model's estimate on the round's pairs.
 */
async function withChosenPropensities(
  deferred: EvaluationDataset,
  suite: TrainedSuite,
  rows: UpliftExamples,
  mode: 'auto' | 'truth' | 'exposure',
): Promise<EvaluationDataset> {
  const useTruth = mode === 'truth' || (mode === 'auto' && deferred.truth.loggingPropensity !== undefined);
  if (useTruth) {
    return withPropensities(deferred, {
      name: 'truth/response.csv logging_propensity',
      muC: Float64Array.from(deferred.truth.loggingPropensity ?? []),
    });
  }
  const mu = await suite.exposure.exposure(rows);
  return withPropensities(deferred, {
    name: `exposure model (${suite.exposure.kind})`,
    muC: toDatasetChannels(rows, deferred, mu, rows.channelIds.length + 1),
  });
}

/**
 * The reward model q̂ of DM, DR and SWITCH-DR from the uplift model, nPairs × nActions:
 * q̂(c) = pContact_c × value − cost_c (pNoContact where the model has no channel c), q̂(none) = pNoContact × value.
 */
function upliftRewardHat(rows: UpliftExamples, data: EvaluationDataset, scores: ActionScores): Float64Array {
  const pc = toDatasetChannels(rows, data, scores.pContact, rows.channelIds.length);
  const A = data.nActions;
  const rewardHat = new Float64Array(data.nPairs * A);
  for (let k = 0; k < data.nPairs; k++) {
    const v = data.unitValue[data.pairProduct[k]!]!;
    for (let c = 0; c < data.nChannels; c++) {
      const p = pc[k * data.nChannels + c]!;
      rewardHat[k * A + c] = (Number.isNaN(p) ? scores.pNoContact[k]! : p) * v - data.actionCost[c]!;
    }
    rewardHat[k * A + A - 1] = scores.pNoContact[k]! * v;
  }
  return rewardHat;
}

/**
 * The policies compared at a budget of k contacts: uniform random, naive conversion rates, each
 * baseline of the suite, ours, the truth oracle (and the type-blind one where truth/ has it).
 */
function modelPolicies(
  data: EvaluationDataset,
  matrices: ReadonlyMap<string, Float64Array>,
): (k: number) => EvaluationPolicy[] {
  return (k) => [
    uniformRandomPolicy({ contacts: k }),
    naiveConversionRatePolicy({ contacts: k, by: 'segment-product' }),
    ...[...matrices]
      .filter(([name]) => name !== 'uplift')
      .map(([name, value]) => valueMatrixPolicy({ name: BASELINE_TITLES[name] ?? name, contacts: k, value })),
    valueMatrixPolicy({ name: OUR_POLICY, contacts: k, value: matrices.get('uplift')! }),
    truthOraclePolicy({ contacts: k }),
    ...(data.truth.typeBlind ? [typeBlindOraclePolicy({ contacts: k })] : []),
  ];
}

/** The true net value of every policy against the number of contacts, as an SVG line chart. */
function valueCurvesSvg(data: EvaluationDataset, curves: readonly ValueCurve[]): string {
  return lineChartSvg({
    title: `True net value against contacts, round at ${data.evaluationDate}`,
    xLabel: 'contacts',
    yLabel: 'true incremental net value (EUR)',
    series: curves.map((c) => ({
      name: c.policy,
      points: c.contacts.map((x, i) => [x, c.netValue[i]!] as const),
    })),
  });
}

/** `nbg evaluate DIR` with models (see ModelEvaluationOptions): features, training, scoring, comparison. */
export async function evaluateWithModels(
  dir: string,
  options: ModelEvaluationOptions = {},
): Promise<ModelEvaluationReport & { readonly suite: TrainedSuite; readonly svg: string }> {
  const sw = stopwatch();
  const progress = options.onProgress ?? (() => {});
  const {
    data: deferred,
    train,
    rows,
  } = await loadEvaluationWorld(dir, {
    dataset: { deferPropensities: true },
    ...(options.training ? { training: options.training } : {}),
    onProgress: progress,
  });
  sw.lap('features');
  const suite = await trainSuite(train, { ...options.suite, onProgress: (s) => progress(`training ${s}`) });
  sw.lap('training');
  progress('scoring the round');
  const { values, upliftScores } = await suiteActionValues(suite, rows);
  const data = await withChosenPropensities(deferred, suite, rows, options.propensities ?? 'auto');
  const rewardHat =
    (options.rewardModel ?? 'uplift') === 'uplift' ? upliftRewardHat(rows, data, upliftScores) : undefined;
  const matrices = new Map<string, Float64Array>();
  for (const [name, v] of values)
    matrices.set(name, toDatasetChannels(rows, data, v, rows.channelIds.length));
  sw.lap('scoring');

  const contacts = options.contacts ?? data.loggedContacts;
  const policiesAt = modelPolicies(data, matrices);
  progress('comparing policies');
  const policies = policiesAt(contacts);
  const comparisons = comparePolicies(data, policies, {
    ...options,
    ...(rewardHat === undefined ? {} : { rewardHat }),
    lambda: options.lambda ?? COMPARE_DEFAULTS.lambda,
  });
  const shares = policies.map((p) => ({
    policy: p.name,
    shares: segmentShares(data, p.actionDistribution(data)),
  }));
  const factors = options.budgetFactors ?? VALUE_CURVE_DEFAULTS.budgetFactors;
  const curves = valueCurves(
    data,
    factors.map((f) => Math.max(1, Math.round(f * contacts))),
    policiesAt,
  );
  sw.lap('comparison');
  return {
    ...roundSummary(dir, data, contacts),
    rewardModel:
      rewardHat === undefined
        ? 'tabular conversion rates of the logged round'
        : `uplift model (${suite.uplift.kind})`,
    trainingRows: train.n,
    comparisons,
    segmentShares: shares,
    curves,
    modelMetrics: suiteMetrics(suite),
    seconds: sw.laps,
    suite,
    svg: valueCurvesSvg(data, curves),
  };
}
