/**
 * The exposure model on a simulated world (issue 6: "the exposure model's expected calibration
 * error is at most 0.02", with and without logged propensities), and the fitting time of the four
 * baselines on the same training table.
 *
 * Builds the training table of the window before the evaluation date D (src/features), fits the
 * exposure model twice, on the table as is and with every logged propensity blanked (what
 * `--hide-propensities` gives the model), and reports for each:
 *   - the held-out ECE of describe().metrics (equal-mass bins of μ̂(c) against the observed contact
 *     through c on the latest rounds, averaged over channels by contacts), its relative size;
 *   - against the truth at D (truth/response.csv logging_propensity, μ of every pair and channel):
 *     the ECE of μ̂ against the true μ (equal-mass bins) and that ECE over the mean μ̂ (the relative
 *     figure, exposureRelativeEce*: at rates near 0.003 an absolute ECE is small whatever the model),
 *     the mean |μ̂ − μ|, the median |log μ̂/μ|,
 *     and the total predicted contacts over the true total.
 * Then fits and scores popularity, classic propensity, matrix factorisation and graph neighbours.
 *
 * usage: npx tsx bench/exposure.ts [--dir data/models-100k-s1] [--clients 100000] [--seed 1]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { readTruthResponse } from '../src/evaluate/truth-response.js';
import type { UpliftExamples } from '../src/features/examples.js';
import { ClassicPropensity } from '../src/models/baselines/classic-propensity.js';
import { GraphNeighbours } from '../src/models/baselines/graph-neighbours.js';
import { MatrixFactorisation } from '../src/models/baselines/matrix-factorisation.js';
import { Popularity } from '../src/models/baselines/popularity.js';
import { Exposure } from '../src/models/exposure/exposure.js';
import type { OutcomeModel } from '../src/models/model.js';
import {
  expectedCalibrationError,
  relativeCalibrationError,
} from '../src/numeric/expected-calibration-error.js';
import { stopwatch } from '../src/stopwatch.js';
import { featureTables } from './lib/feature-tables.js';
import { type BenchTable, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
});
const clients = Number(values.clients);
const seed = Number(values.seed);
const dir = values.dir ?? `data/models-${clients / 1000}k-s${seed}`;
const load = (): string => loadavg()[0]!.toFixed(1);

const featureWatch = stopwatch();
const { train, decide } = await featureTables(dir, seed);
const featureSeconds = featureWatch.seconds();
console.log(
  `features: ${train.n} training rows, ${decide.n} decision rows in ${featureSeconds.toFixed(1)} s (load ${load()})`,
);

// the truth at D: μ of every (pair, channel), aligned with the decision rows
const index = (ids: readonly string[]) => new Map(ids.map((id, i) => [id, i]));
const truth = await readTruthResponse(
  dir,
  index(decide.clientIds),
  index(decide.productIds),
  index(decide.channelIds),
);
if (!truth.loggingPropensity) throw new Error(`${dir}/truth/response.csv has no logging_propensity column`);
const C = decide.channelIds.length;
const P = decide.productIds.length;
const rowOf = new Map<number, number>();
for (let i = 0; i < decide.n; i++)
  rowOf.set((decide.client[i] as number) * P + (decide.product[i] as number), i);

function versusTruth(mu: Float32Array): Record<string, number> {
  const pred: number[] = [];
  const target: number[] = [];
  const logs: number[] = [];
  let abs = 0;
  let sumPred = 0;
  let sumTrue = 0;
  for (let k = 0; k < truth.nPairs; k++) {
    const i = rowOf.get((truth.pairClient[k] as number) * P + (truth.pairProduct[k] as number));
    if (i === undefined) continue;
    for (let c = 0; c < C; c++) {
      const m = truth.loggingPropensity![k * C + c] as number;
      const e = mu[i * (C + 1) + c] as number;
      pred.push(e);
      target.push(m);
      abs += Math.abs(e - m);
      sumPred += e;
      sumTrue += m;
      if (m > 0 && e > 0) logs.push(Math.abs(Math.log(e / m)));
    }
  }
  logs.sort((a, b) => a - b);
  const ones = new Float64Array(pred.length).fill(1);
  return {
    cells: pred.length,
    eceVsTruth: expectedCalibrationError(pred, target, ones),
    relativeEceVsTruth: relativeCalibrationError(pred, target, ones),
    meanAbsError: abs / pred.length,
    meanTrueMu: sumTrue / pred.length,
    medianAbsLogRatio: logs[logs.length >> 1] ?? Number.NaN,
    predictedOverTrueContacts: sumPred / sumTrue,
  };
}

const hidden: UpliftExamples = { ...train, loggedPropensity: new Float32Array(train.n).fill(Number.NaN) };
const exposureRows: (string | number)[][] = [];
const figures: Record<string, number | string> = { dir, trainRows: train.n, decisionRows: decide.n };
for (const [name, table] of [
  ['logged propensities', train],
  ['hidden propensities', hidden],
] as const) {
  const sw = stopwatch();
  const model = new Exposure({ seed });
  await model.fit(table);
  const fitSeconds = sw.lap('fit');
  const mu = await model.exposure(decide);
  const scoreSeconds = sw.lap('score');
  const m = model.describe().metrics;
  const vs = versusTruth(mu);
  const key = name.startsWith('logged') ? 'Logged' : 'Hidden';
  figures[`exposureEce${key}`] = m.ece as number;
  figures[`exposureEceVsTruth${key}`] = vs.eceVsTruth as number;
  figures[`exposureRelativeEce${key}`] = vs.relativeEceVsTruth as number;
  figures[`exposureFitSeconds${key}`] = fitSeconds;
  exposureRows.push([
    name,
    (m.ece as number).toFixed(5),
    (m.eceRelative as number).toFixed(3),
    (m.eceNoContact as number).toFixed(5),
    (vs.eceVsTruth as number).toFixed(5),
    (vs.relativeEceVsTruth as number).toFixed(3),
    (vs.meanAbsError as number).toFixed(5),
    (vs.meanTrueMu as number).toFixed(5),
    (vs.medianAbsLogRatio as number).toFixed(3),
    (vs.predictedOverTrueContacts as number).toFixed(3),
    m.propensityRegression as number,
    fitSeconds.toFixed(1),
    scoreSeconds.toFixed(1),
    load(),
  ]);
  console.log(name, JSON.stringify(m), JSON.stringify(vs));
}
figures.exposureEce = Math.max(figures.exposureEceLogged as number, figures.exposureEceHidden as number);

const baselineRows: (string | number)[][] = [];
for (const model of [
  new Popularity(),
  new ClassicPropensity(),
  new MatrixFactorisation({ seed }),
  new GraphNeighbours({ seed }),
] as OutcomeModel[]) {
  const sw = stopwatch();
  await model.fit(train);
  const fitSeconds = sw.lap('fit');
  await model.predict(decide);
  const scoreSeconds = sw.lap('score');
  figures[`fitSeconds.${model.kind}`] = fitSeconds;
  baselineRows.push([model.kind, fitSeconds.toFixed(1), scoreSeconds.toFixed(1), load()]);
  console.log(model.kind, fitSeconds.toFixed(1), scoreSeconds.toFixed(1));
}
figures.peakRssMb = peakRssMbSelf();

const tables: BenchTable[] = [
  {
    title: `Exposure model, ${clients.toLocaleString('en')} clients (${dir}), ${train.n.toLocaleString('en')} training rows`,
    columns: [
      'training table',
      'held-out ECE',
      'ECE / mean μ',
      'ECE no contact',
      'ECE vs true μ at D',
      'ECE vs true μ / mean μ̂',
      'mean |μ̂ − μ| at D',
      'mean μ at D',
      'median |log μ̂/μ|',
      'Σμ̂ / Σμ',
      'propensity regression',
      'fit s',
      'score s',
      'load',
    ],
    rows: exposureRows,
    notes: [
      'held-out ECE: equal-mass bins (15) of μ̂(c) against the observed contact through c on the latest rounds of the window, averaged over channels by contacts (target ≤ 0.02)',
      "hidden propensities: the same table with every logged propensity blanked, as the simulator's --hide-propensities gives it",
    ],
  },
  {
    title: `Baselines on the same training table (${decide.n.toLocaleString('en')} decision rows scored)`,
    columns: ['model', 'fit s', 'score s', 'load'],
    rows: baselineRows,
  },
];
reportBench('exposure', tables, figures);
