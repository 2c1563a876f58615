import { join } from 'node:path';
import { DAY_MS } from '../../domain/time.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { selectExamples, type UpliftExamples } from '../../features/examples.js';
import { stopwatch } from '../../stopwatch.js';
import { ClassicPropensity } from '../baselines/classic-propensity.js';
import { GraphNeighbours } from '../baselines/graph-neighbours.js';
import { MatrixFactorisation } from '../baselines/matrix-factorisation.js';
import { Popularity } from '../baselines/popularity.js';
import { Exposure } from '../exposure/exposure.js';
import type { ActionScores, ExposureModel, OutcomeModel } from '../model.js';
import { DrLearner } from '../uplift/dr-learner.js';
import type { Weighting } from '../uplift/ips-weights.js';
import { TLearner } from '../uplift/t-learner.js';
import type { FittedBase, UpliftLearner } from '../uplift/uplift-learner.js';
import { XLearner } from '../uplift/x-learner.js';
import { actionValues } from '../value/action-value.js';
import { type BaselineModel, baselineActionValue } from '../value/baseline-action-value.js';
import { clientUniforms, crossFittedScores } from './cross-fit.js';
import { loadExposureModel, loadOutcomeModel } from './load-model.js';
import { readSuiteManifest, type SuiteManifest, suiteVersion, writeSuite } from './model-store.js';

/**
 * Everything `nbg train` fits and `nbg evaluate` compares, trained on one table: the exposure model
 * (the old targeting's μ), the primary debiased uplift learner whose action values rank actions, and
 * the baselines the study compares it with. One function trains it, one computes every policy's
 * action values on decision rows, one saves it and one loads it back.
 */
export type LearnerName = 'dr' | 't' | 'x';

export interface SuiteOptions {
  /** The uplift learner that ranks actions. */
  readonly learner: LearnerName;
  /** Baselines to fit beside it (names of BASELINES). */
  readonly baselines: readonly string[];
  /** Also fit the same learner without inverse-propensity weights (the debiasing ablation). */
  readonly unweightedAblation: boolean;
  /**
   * The learner's weights (ips-weights.ts): 'ips' (1 / μ), or 'stabilised' (μ̂(x) / μ, with μ̂ the
   * exposure model's estimate from the features alone, the logged propensities left out).
   */
  readonly weighting: 'ips' | 'stabilised';
  /**
   * Share of clients held out of the uplift learner's fit to calibrate its values on their logged
   * outcomes (uplift-calibration.ts); 0 leaves the learner uncalibrated, fitted on every client.
   */
  readonly calibrationShare: number;
  /**
   * 0: calibrate on the hold-out of `calibrationShare`; K ≥ 2: cross-fit the calibration over K folds
   * of clients (cross-fit.ts) and fit the learner on every client; `calibrationShare` 0 still turns
   * calibration off.
   */
  readonly calibrationFolds: number;
  /**
   * Edges of the old targeting's propensity bands: one calibration slope per channel and band
   * (uplift-calibration.ts); empty: one per channel.
   */
  readonly calibrationBands: readonly number[];
  readonly seed: number;
  readonly onProgress?: (step: string) => void;
}

export const SUITE_DEFAULTS: Readonly<Omit<SuiteOptions, 'onProgress'>> = Object.freeze({
  learner: 't',
  baselines: ['popularity', 'classic-propensity', 'matrix-factorisation', 'graph-neighbours'],
  unweightedAblation: false,
  weighting: 'ips',
  calibrationShare: 0.2,
  calibrationFolds: 0,
  calibrationBands: [],
  seed: 42,
});

/** The baselines by name, each a factory. Adding one is one entry. */
export const BASELINES: Readonly<Record<string, (seed: number) => BaselineModel>> = {
  popularity: () => new Popularity(),
  'classic-propensity': () => new ClassicPropensity(),
  'matrix-factorisation': (seed) => new MatrixFactorisation({ seed }),
  'graph-neighbours': (seed) => new GraphNeighbours({ seed }),
};

const LEARNERS: Readonly<
  Record<
    LearnerName,
    (o: { seed: number; propensities: Float32Array; weighting: Weighting }) => UpliftLearner<FittedBase>
  >
> = {
  dr: (o) => new DrLearner(o),
  t: (o) => new TLearner(o),
  x: (o) => new XLearner(o),
};

export interface TrainedSuite {
  readonly exposure: ExposureModel;
  /** The ranking model, named `uplift` in the suite. */
  readonly uplift: OutcomeModel;
  readonly learner: LearnerName;
  /** Name → model: the baselines, and `uplift-unweighted` when the ablation was fitted. */
  readonly others: ReadonlyMap<string, OutcomeModel>;
  readonly seconds: Readonly<Record<string, number>>;
}

/** Fits the exposure model, then the uplift learner on its propensities, then the baselines. */
export async function trainSuite(
  train: UpliftExamples,
  options: Partial<SuiteOptions> = {},
): Promise<TrainedSuite> {
  const o = { ...SUITE_DEFAULTS, ...options };
  for (const b of o.baselines) {
    if (!BASELINES[b]) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `models/suite: unknown baseline "${b}" (known: ${Object.keys(BASELINES).join(', ')})`,
      );
    }
  }
  if (!LEARNERS[o.learner]) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `models/suite: unknown learner "${o.learner}" (known: dr, t, x)`,
    );
  }
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    o.onProgress?.(name);
    const sw = stopwatch();
    const r = await f();
    seconds[name] = sw.seconds();
    return r;
  };
  const exposure = new Exposure({ seed: o.seed });
  await timed('exposure', () => exposure.fit(train));
  // μ̂ from the features alone for the stabilised weights (the exposure model otherwise returns a
  // row's own logged propensity for its logged channel, and the ratio would be 1)
  const propensities = await exposure.exposure(
    o.weighting === 'stabilised'
      ? { ...train, loggedPropensity: new Float32Array(train.n).fill(Number.NaN) }
      : train,
  );
  const makeLearner = () => LEARNERS[o.learner]({ seed: o.seed, propensities, weighting: o.weighting });
  const uplift = makeLearner();
  uplift.useExposure(exposure);
  const crossFit = o.calibrationFolds > 0 && o.calibrationShare > 0;
  const held = crossFit ? undefined : calibrationClients(train, o.calibrationShare, o.seed);
  await timed('uplift', () => uplift.fit(held ? { ...train, weight: held.fitWeight } : train));
  if (crossFit) {
    await timed('calibration', async () => {
      const raw = await crossFittedScores(train, makeLearner, o.calibrationFolds, o.seed, (k) =>
        o.onProgress?.(`calibration fold ${k + 1}/${o.calibrationFolds}`),
      );
      await uplift.calibrateOn(train, raw, propensities, { bands: o.calibrationBands });
    });
  } else if (held) {
    const holdout = selectExamples(train, held.rows);
    const mu = pickRows(propensities, held.rows, train.channelIds.length + 1);
    await timed('calibration', () => uplift.calibrate(holdout, mu, { bands: o.calibrationBands }));
  }
  const others = new Map<string, OutcomeModel>();
  if (o.unweightedAblation) {
    const naive = LEARNERS[o.learner]({ seed: o.seed, propensities, weighting: 'none' });
    await timed('uplift-unweighted', () => naive.fit(train));
    others.set('uplift-unweighted', naive);
  }
  for (const b of o.baselines) {
    const m = BASELINES[b]!(o.seed);
    await timed(b, () => m.fit(train));
    others.set(b, m);
  }
  return { exposure, uplift, learner: o.learner, others, seconds };
}

/**
 * The rows of a `share` of the clients (a seeded draw per client id, so it depends on nothing else)
 * and the training weights with those rows at 0; undefined when share is 0.
 */
export function calibrationClients(
  train: UpliftExamples,
  share: number,
  seed: number,
): { rows: Int32Array; fitWeight: Float32Array } | undefined {
  if (!(share > 0)) return undefined;
  if (!(share < 1))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `models/suite: calibrationShare must be in [0, 1), got ${share}`,
    );
  const u = clientUniforms(train, seed + 104729);
  const out = Uint8Array.from(u, (x) => (x < share ? 1 : 0));
  const rows: number[] = [];
  const fitWeight = train.weight.slice();
  for (let i = 0; i < train.n; i++) {
    if (!out[train.client[i]!]) continue;
    rows.push(i);
    fitWeight[i] = 0;
  }
  return { rows: Int32Array.from(rows), fitWeight };
}

/** Rows `idx` of an n × width row-major matrix. */
function pickRows(m: Float32Array, idx: Int32Array, width: number): Float32Array {
  const out = new Float32Array(idx.length * width);
  for (let e = 0; e < idx.length; e++) out.set(m.subarray(idx[e]! * width, (idx[e]! + 1) * width), e * width);
  return out;
}

/**
 * The incremental value of each action of an uplift model, in EUR, n × C in the rows' channel order:
 * (pContact − pNoContact) × margin − cost. NaN where the model has no opinion.
 */
export function upliftActionValue(rows: UpliftExamples, scores: ActionScores): Float64Array {
  const C = rows.channelIds.length;
  const out = new Float64Array(rows.n * C);
  for (let i = 0; i < rows.n; i++) {
    const margin = rows.margin[rows.product[i]!]!;
    const p0 = scores.pNoContact[i]!;
    for (let c = 0; c < C; c++)
      out[i * C + c] = (scores.pContact[i * C + c]! - p0) * margin - rows.channelCost[c]!;
  }
  return out;
}

const isBaseline = (m: OutcomeModel): m is BaselineModel =>
  'actionValue' in m && typeof (m as BaselineModel).actionValue === 'function';

/**
 * Each model's action values on decision rows, by suite name (`uplift` first): for the uplift model
 * the action value of action-value.ts (uplift × margin − cost − the learnt fatigue cost; −Infinity
 * where a channel is not contactable), for an ablation learner its plain incremental value, for a
 * baseline what the baseline ranks by. Also returns the uplift model's probabilities behind its values,
 * so a caller needing them (a reward model) does not score the rows again.
 */
export async function suiteActionValues(
  suite: TrainedSuite,
  rows: UpliftExamples,
): Promise<{ values: Map<string, Float64Array>; upliftScores: ActionScores }> {
  const values = new Map<string, Float64Array>();
  const ours = await actionValues(suite.uplift, rows, { waitDays: [] });
  values.set('uplift', ours.value);
  for (const [name, m] of suite.others) {
    values.set(
      name,
      isBaseline(m)
        ? await m.actionValue(rows)
        : name.startsWith('uplift')
          ? upliftActionValue(rows, await m.predict(rows))
          : baselineActionValue(rows, await m.predict(rows)),
    );
  }
  return { values, upliftScores: ours.scores };
}

/** The training metrics of every model of the suite, as `model.metric` (exposure, uplift, then the others). */
export function suiteMetrics(suite: TrainedSuite): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [name, m] of [
    ['exposure', suite.exposure],
    ['uplift', suite.uplift],
    ...suite.others,
  ] as const) {
    for (const [k, v] of Object.entries(m.describe().metrics)) metrics[`${name}.${k}`] = v;
  }
  return metrics;
}

/** Saves the suite under `root/<version>`; returns the folder. */
export async function saveSuite(
  root: string,
  suite: TrainedSuite,
  train: UpliftExamples,
  extra: { readonly createdAt?: Date; readonly metrics?: Readonly<Record<string, number>> } = {},
): Promise<{ dir: string; manifest: SuiteManifest }> {
  const createdAt = extra.createdAt ?? new Date();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < train.n; i++) {
    first = Math.min(first, train.day[i]!);
    last = Math.max(last, train.day[i]!);
  }
  const date = (d: number): string =>
    Number.isFinite(d) ? new Date(d * DAY_MS).toISOString().slice(0, 10) : '';
  const models: Record<string, string> = { exposure: suite.exposure.kind, uplift: suite.uplift.kind };
  for (const [name, m] of suite.others) models[name] = m.kind;
  const metrics: Record<string, number> = { ...extra.metrics, ...suiteMetrics(suite) };
  for (const [k, v] of Object.entries(suite.seconds)) metrics[`seconds.${k}`] = v;
  const fingerprint = JSON.stringify({ models, n: train.n, schema: train.schema.version, first, last });
  const manifest: SuiteManifest = {
    version: suiteVersion(createdAt, fingerprint),
    createdAt: createdAt.toISOString(),
    featureSchemaVersion: train.schema.version,
    featureSchema: { pair: train.schema.pair, channel: train.schema.channel },
    windowFrom: date(first),
    windowTo: date(last),
    trainingRows: train.n,
    models,
    primary: 'uplift',
    metrics,
  };
  const dir = await writeSuite(root, manifest, async (tmp) => {
    await suite.exposure.save(join(tmp, 'exposure'));
    await suite.uplift.save(join(tmp, 'uplift'));
    for (const [name, m] of suite.others) await m.save(join(tmp, name));
  });
  return { dir, manifest };
}

/** Reads a saved suite back (the models score without their training propensities). */
export async function loadSuite(dir: string): Promise<{ suite: TrainedSuite; manifest: SuiteManifest }> {
  const manifest = readSuiteManifest(dir);
  const exposure = await loadExposureModel(join(dir, 'exposure'));
  const uplift = await loadOutcomeModel(join(dir, 'uplift'));
  uplift.useExposure?.(exposure);
  const others = new Map<string, OutcomeModel>();
  for (const name of Object.keys(manifest.models)) {
    if (name === 'exposure' || name === 'uplift') continue;
    others.set(name, await loadOutcomeModel(join(dir, name)));
  }
  const learner = (Object.entries(LEARNER_KINDS).find(([, k]) => k === uplift.kind)?.[0] ??
    'dr') as LearnerName;
  return { suite: { exposure, uplift, learner, others, seconds: {} }, manifest };
}

const LEARNER_KINDS: Readonly<Record<LearnerName, string>> = {
  dr: 'uplift-dr-learner',
  t: 'uplift-t-learner',
  x: 'uplift-x-learner',
};
