/**
 * The decision-row table on a simulated world (issue 6 item 1: "training table build from the
 * folder in ≤ 60 s and ≤ 2 GB" on 100,000 clients). Reads the folder once into the feature history
 * (src/features, streamed through readTable), builds the training table of the window before the
 * evaluation date D with the defaults (364 days, a row date every 14 days, 10% of the
 * never-contacted pairs), then the decision rows at D, and reports seconds per step, peak memory,
 * rows and rows by treatment, with the load average beside every figure.
 *
 * usage: npx tsx bench/features.ts [--dir data/models-100k-s1] [--seed 1] [--dry]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { stopwatch } from '../src/stopwatch.js';
import { cpuClock } from './lib/cpu-clock.js';
import { type FeatureStep, featureTables } from './lib/feature-tables.js';
import { type BenchTable, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'data/models-100k-s1' },
    seed: { type: 'string', default: '1' },
    /** Print only: no RESULTS.md section, no results/features.json (for trial runs). */
    dry: { type: 'boolean', default: false },
  },
});
const dir = values.dir;
const seed = Number(values.seed);
const load = (): number => Number(loadavg()[0]!.toFixed(1));
const r1 = (x: number): number => Number(x.toFixed(1));

// Wall and CPU seconds per step: CPU seconds (user + system of this process) are the figure that
// does not grow with the other processes' load on a shared machine.
const loadStart = load();
const wall = stopwatch();
const cpu = stopwatch(cpuClock);
const stepLoad: Partial<Record<FeatureStep, number>> = {};
const { meta, history, train, decide } = await featureTables(dir, seed, (step, count) => {
  wall.lap(step);
  cpu.lap(step);
  if (step === 'decide') return;
  stepLoad[step] = load();
  const what = step === 'read' ? `read ${count} clients` : `training table: ${count} rows`;
  console.log(`${what} in ${r1(wall.laps[step]!)} s (load ${stepLoad[step]})`);
});
const readSeconds = r1(wall.laps.read!);
const readCpu = r1(cpu.laps.read!);
const readLoad = stepLoad.read!;
const trainSeconds = r1(wall.laps.train!);
const trainCpu = r1(cpu.laps.train!);
const trainLoad = stepLoad.train!;
const decideSeconds = r1(wall.laps.decide!);
const decideCpu = r1(cpu.laps.decide!);
const peakMb = peakRssMbSelf();

const C = train.channelIds.length;
const byTreatment = new Float64Array(C + 1);
let outcomes = 0;
let weighted = 0;
for (let k = 0; k < train.n; k++) {
  const a = train.treatment[k]!;
  byTreatment[a < 0 ? C : a]!++;
  outcomes += train.outcome[k]!;
  weighted += train.weight[k]!;
}
const totalSeconds = Number((readSeconds + trainSeconds).toFixed(1));

const steps: BenchTable = {
  title: `Feature tables of ${dir} (${history.clientIds.length.toLocaleString('en')} clients, D = ${meta.evaluationDate})`,
  columns: ['step', 'wall s', 'CPU s', 'rows', 'load (1 min)'],
  rows: [
    ['read the folder (streamed) into the history', readSeconds, readCpu, null, readLoad],
    ['training table (26 dates, 10% controls)', trainSeconds, trainCpu, train.n, trainLoad],
    ['read + training table', totalSeconds, Number((readCpu + trainCpu).toFixed(1)), train.n, trainLoad],
    ['decision rows at D', decideSeconds, decideCpu, decide.n, load()],
  ],
  notes: [
    `Peak RSS ${peakMb} MB for the whole run; ${train.schema.pair.length} pair features and ` +
      `${C} × ${train.schema.channel.length} channel features per row (schema ${train.schema.version}); ` +
      `load average at start ${loadStart}. Targets: read + training table ≤ 60 s and ≤ 2 GB.`,
  ],
};
const treatments: BenchTable = {
  title: 'Training rows by treatment',
  columns: ['treatment', 'rows', 'share'],
  rows: [
    ...train.channelIds.map((c, i) => [c, byTreatment[i]!, Number((byTreatment[i]! / train.n).toFixed(4))]),
    ['none (10% sample, weight 10)', byTreatment[C]!, Number((byTreatment[C]! / train.n).toFixed(4))],
  ],
  notes: [
    `${outcomes.toLocaleString('en')} rows with a conversion; weighted rows ${Math.round(weighted).toLocaleString('en')} ` +
      `(an estimate of all client-product pairs over the 26 dates).`,
  ],
};
const figures = {
  dir,
  clients: history.clientIds.length,
  readSeconds,
  readCpuSeconds: readCpu,
  trainSeconds,
  trainCpuSeconds: trainCpu,
  trainTableSeconds100k: totalSeconds,
  trainTableCpuSeconds100k: Number((readCpu + trainCpu).toFixed(1)),
  decideSeconds,
  peakRssMb: peakMb,
  trainRows: train.n,
  decideRows: decide.n,
  contactedRows: train.n - byTreatment[C]!,
  loadAverage: trainLoad,
};
if (values.dry) console.log(steps, treatments, figures);
else reportBench('features', [steps, treatments], figures);
