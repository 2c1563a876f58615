/**
 * bench/uplift: the uplift learners on a simulated world, scored against truth/.
 *
 *   npx tsx bench/uplift.ts [--dir data/uplift-10k] [--clients 10000] [--seed 7]
 *                           [--learners t,x,dr,t-none] [--members 3] [--no-exposure]
 *
 * Builds the training table (src/features, 52 fortnightly decision dates before D, 10% of the
 * never-contacted pairs) and the decision rows at D, fits the exposure model (its μ weights the
 * 'none' rows) and each learner, and reports per learner: fit seconds, the true-uplift AUUC of
 * its uplift over every contactable (pair, channel) at D (normalised: 1 oracle, 0 random), the
 * true net value of contacting the K best pairs by its action value (K = the old policy's
 * contacts at D) against the truth oracle's at the same K, the action value's cost per client
 * (fatigue and moment included) and the peak memory. Figures: bench/results/uplift.json.
 */
import { parseArgs } from 'node:util';
import { loadEvaluationWorld } from '../src/evaluate/evaluation-world.js';
import { trueUpliftAuuc } from '../src/evaluate/uplift-curve.js';
import type { UpliftExamples } from '../src/features/examples.js';
import { Exposure } from '../src/models/exposure/exposure.js';
import type { OutcomeModel } from '../src/models/model.js';
import { DrLearner } from '../src/models/uplift/dr-learner.js';
import { TLearner } from '../src/models/uplift/t-learner.js';
import { XLearner } from '../src/models/uplift/x-learner.js';
import { actionValues } from '../src/models/value/action-value.js';
import { stopwatch } from '../src/stopwatch.js';
import { type BenchTable, peakRssMbSelf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values: flags } = parseArgs({
  options: {
    dir: { type: 'string', default: 'data/uplift-10k' },
    clients: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '7' },
    learners: { type: 'string', default: 't,x,dr,t-none' },
    members: { type: 'string', default: '3' },
    'no-exposure': { type: 'boolean', default: false },
  },
});
const dir = flags.dir!;
const members = Number(flags.members);
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

await simulatedWorld({ out: dir, clients: Number(flags.clients), seed: Number(flags.seed) }, { say: log });
const featureWatch = stopwatch();
const {
  data,
  train,
  rows: decide,
} = await loadEvaluationWorld(dir, { training: { seed: Number(flags.seed) } });
const featureSeconds = featureWatch.seconds();
let treated = 0;
for (let i = 0; i < train.n; i++) if (train.treatment[i]! >= 0) treated++;
log(
  `features: ${train.n} training rows (${treated} contacted), ${decide.n} decision rows, ${featureSeconds.toFixed(1)} s`,
);

let propensities: Float32Array | undefined;
let exposureSeconds = 0;
if (!flags['no-exposure']) {
  const sw = stopwatch();
  const exposure = new Exposure();
  await exposure.fit(train);
  propensities = await exposure.exposure(train);
  exposureSeconds = sw.seconds();
  log(`exposure model: ${exposureSeconds.toFixed(1)} s`);
}

// truth per decision row and channel of the table
const C = decide.channelIds.length;
const EC = data.nChannels;
const toData = decide.channelIds.map((id) => data.channelIds.indexOf(id));
const cells: number[] = [];
const trueUplift: number[] = [];
const trueValue = new Float64Array(decide.n * C).fill(Number.NaN);
for (let k = 0; k < decide.n; k++) {
  const margin = decide.margin[decide.product[k]!]!;
  for (let c = 0; c < C; c++) {
    const ec = toData[c]!;
    if (ec < 0 || !decide.contactable[k * C + c] || !data.contactable[k * EC + ec]) continue;
    const tau = data.truth.p1[k * EC + ec]! - data.truth.p0[k]!;
    cells.push(k * C + c);
    trueUplift.push(tau);
    trueValue[k * C + c] = tau * margin - decide.channelCost[c]!;
  }
}
const K = data.loggedContacts;

/** True net value of contacting the K pairs with the best positive `value`, each by its best channel. */
function topKTrueValue(value: Float64Array): number {
  const best: { k: number; c: number; v: number }[] = [];
  for (let k = 0; k < decide.n; k++) {
    let bc = -1;
    let bv = 0;
    for (let c = 0; c < C; c++) {
      const v = value[k * C + c]!;
      if (Number.isNaN(trueValue[k * C + c]!) || !(v > bv)) continue;
      bv = v;
      bc = c;
    }
    if (bc >= 0) best.push({ k, c: bc, v: bv });
  }
  best.sort((a, b) => b.v - a.v);
  let total = 0;
  for (const b of best.slice(0, K)) total += trueValue[b.k * C + b.c]!;
  return total;
}
const oracleValue = topKTrueValue(trueValue);

function makeLearner(name: string): OutcomeModel {
  const weighting = name.endsWith('-none') ? ('none' as const) : ('ips' as const);
  const o = { seed: Number(flags.seed), members, weighting, ...(propensities ? { propensities } : {}) };
  if (name.startsWith('dr')) return new DrLearner(o);
  if (name.startsWith('x')) return new XLearner(o);
  return new TLearner(o);
}

/** The rows of one client, as a table of their own (the real-time path). */
function clientRows(rows: UpliftExamples, from: number, to: number): UpliftExamples {
  const F = rows.schema.pair.length;
  const CK = C * rows.schema.channel.length;
  return {
    ...rows,
    n: to - from,
    x: rows.x.slice(from * F, to * F),
    xc: rows.xc.slice(from * CK, to * CK),
    client: rows.client.slice(from, to),
    product: rows.product.slice(from, to),
    day: rows.day.slice(from, to),
    segment: rows.segment.slice(from, to),
    contactable: rows.contactable.slice(from * C, to * C),
    treatment: rows.treatment.slice(from, to),
    outcome: rows.outcome.slice(from, to),
    loggedPropensity: rows.loggedPropensity.slice(from, to),
    weight: rows.weight.slice(from, to),
  };
}

const rowsOut: (string | number)[][] = [];
const figures: Record<string, number | string> = {
  trainingRows: train.n,
  contactedRows: treated,
  decisionRows: decide.n,
  featureSeconds,
  exposureSeconds,
  oracleValueTopK: oracleValue,
  contactsK: K,
};
for (const name of flags.learners!.split(',')) {
  const model = makeLearner(name);
  const sw = stopwatch();
  await model.fit(train);
  const fitSeconds = sw.lap('fit');
  const av = await actionValues(model, decide);
  const valueSeconds = sw.lap('value');
  const score = cells.map((k) => av.uplift[k]!);
  const auuc = trueUpliftAuuc(score, trueUplift).normalised;
  const policyValue = topKTrueValue(av.value);
  // the real-time path: one client's rows at a time (fatigue and moment included)
  let clientsTimed = 0;
  const realtime = stopwatch();
  for (let from = 0; from < decide.n && clientsTimed < 300; ) {
    let to = from + 1;
    while (to < decide.n && decide.client[to] === decide.client[from]) to++;
    await actionValues(model, clientRows(decide, from, to));
    clientsTimed++;
    from = to;
  }
  const msPerClient = (realtime.seconds() * 1000) / clientsTimed;
  log(
    `${name}: fit ${fitSeconds.toFixed(1)} s, AUUC ${auuc.toFixed(3)}, value ${policyValue.toFixed(0)} / oracle ${oracleValue.toFixed(0)}`,
  );
  rowsOut.push([
    name,
    Number(fitSeconds.toFixed(1)),
    Number(auuc.toFixed(3)),
    Math.round(policyValue),
    Number((policyValue / oracleValue).toFixed(3)),
    Number(valueSeconds.toFixed(1)),
    Number(msPerClient.toFixed(2)),
    peakRssMbSelf(),
  ]);
  figures[`${name}FitSeconds`] = fitSeconds;
  figures[`${name}Auuc`] = auuc;
  figures[`${name}ValueRatioVsOracle`] = policyValue / oracleValue;
  figures[`${name}MsPerClient`] = msPerClient;
}
figures.peakRssMb = peakRssMbSelf();
const load = (await import('node:os')).loadavg();
const table: BenchTable = {
  title: `uplift learners on ${dir} (${data.clientIds.length.toLocaleString('en')} clients, D = ${data.evaluationDate}): ${train.n.toLocaleString('en')} training rows (${treated.toLocaleString('en')} contacted), ${decide.n.toLocaleString('en')} decision rows, K = ${K.toLocaleString('en')} contacts`,
  columns: [
    'learner',
    'fit s',
    'true-uplift AUUC',
    'true value top-K (EUR)',
    'vs oracle',
    'action values s (all rows)',
    'ms per client',
    'peak RSS MB',
  ],
  rows: rowsOut,
  notes: [
    `Features ${featureSeconds.toFixed(1)} s, exposure model ${exposureSeconds.toFixed(1)} s; oracle top-K true value ${Math.round(oracleValue)} EUR. Load average ${load.map((v) => v.toFixed(1)).join(' ')} (2 cores shared).`,
  ],
};
reportBench('uplift', [table], figures);
