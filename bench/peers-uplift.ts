/**
 * Uplift peers (issue 6, item 4): nbg's uplift learners beside causalml's S-, T-, X-, R- and
 * DR-learners and scikit-uplift's SoloModel, TwoModels and ClassTransformation, on one task
 * (bench/peers/uplift/uplift-task.ts, docs/evaluation.md "Peers"): one channel, contacted through it
 * vs not contacted; train on nbg's training table before the evaluation date D, score the decision
 * rows at D. Per model: the AUUC against the TRUE uplift (truth/response.csv; normalised, 1 = oracle,
 * 0 = random), scikit-uplift's uplift_auc_score and qini_auc_score on the observed round at D
 * (computed in TS by src/evaluate/uplift-curve.ts, cross-checked against sklift's own values), fit
 * seconds. `auucRatioVsBestPeer` = our best true AUUC / the best peer's.
 *
 * usage: npx tsx bench/peers-uplift.ts [--dir data/models-100k-s1] [--clients 100000] [--seed 1]
 *          [--logging-policy biased|random] [--channel email] [--max-train-rows 0]
 *          [--peers s,t,x,r,dr,solo,two,ct] [--ours t,x,dr] [--no-peers] [--reuse-peers] [--synthetic N] [--dev]
 * `--reuse-peers` reads the peers' scores of an earlier run on the same world and channel
 * (bench/peers/uplift/out/WORLD-CHANNEL) instead of fitting them again.
 * `--synthetic N` runs the whole pipeline on the seeded generator of test/models (N training rows,
 * no world needed): a quick check of the wiring. `--synthetic` and `--dev` print the table without
 * appending it to bench/RESULTS.md.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { qiniAucScore, trueUpliftAuuc, upliftAucScore } from '../src/evaluate/uplift-curve.js';
import type { OutcomeModel } from '../src/models/model.js';
import { DrLearner } from '../src/models/uplift/dr-learner.js';
import { TLearner } from '../src/models/uplift/t-learner.js';
import { XLearner } from '../src/models/uplift/x-learner.js';
import { stopwatch } from '../src/stopwatch.js';
import { syntheticExamples } from '../test/models/synthetic-examples.js';
import { requirePeersPython, runPeer } from './lib/python-peer.js';
import { type BenchTable, markdownTable, peakRssMbSelf, reportBench } from './lib/report.js';
import { binaryTrainRows, type UpliftTask, writeExchange } from './peers/uplift/uplift-task.js';
import { loadWorldTask } from './peers/uplift/world-task.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clients: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'logging-policy': { type: 'string', default: 'biased' },
    channel: { type: 'string', default: 'email' },
    'max-train-rows': { type: 'string', default: '0' },
    peers: { type: 'string', default: 's,t,x,r,dr,solo,two,ct' },
    ours: { type: 'string', default: 't,x,dr' },
    'no-peers': { type: 'boolean', default: false },
    'reuse-peers': { type: 'boolean', default: false },
    synthetic: { type: 'string' },
    dev: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const maxTrainRows = Number(values['max-train-rows']);

/** nbg's uplift learners in the comparison: adding one is one line. */
const OURS: Record<string, (seed: number) => OutcomeModel> = {
  t: (s) => new TLearner({ seed: s }),
  x: (s) => new XLearner({ seed: s }),
  dr: (s) => new DrLearner({ seed: s }),
};

const PIP_SETUP = [
  'python3 -m venv .venv-peers',
  '.venv-peers/bin/pip install -r bench/peers/uplift/requirements.txt',
];

function syntheticTask(n: number): UpliftTask {
  const { examples: train } = syntheticExamples({ n, seed });
  const { examples: test, truth } = syntheticExamples({
    n: Math.max(1000, Math.round(n / 2)),
    seed: seed + 1,
  });
  const channel = 'email';
  const C = test.channelIds.length;
  const c = test.channelIds.indexOf(channel);
  const trueUplift = new Float64Array(test.n);
  const eligible = new Uint8Array(test.n);
  const observed = new Uint8Array(test.n);
  const observedTreatment = new Uint8Array(test.n);
  for (let i = 0; i < test.n; i++) {
    trueUplift[i] = (truth.p1[i * C + c] as number) - (truth.p0[i] as number);
    eligible[i] = test.contactable[i * C + c] as number;
    const t = test.treatment[i] as number;
    observed[i] = t === c || t === -1 ? 1 : 0;
    observedTreatment[i] = t === c ? 1 : 0;
  }
  return {
    description: `synthetic generator of test/models (seed ${seed}), ${n} training rows`,
    channel,
    train: binaryTrainRows(train, c, maxTrainRows, seed),
    test,
    trueUplift,
    eligible,
    observed,
    observedTreatment,
    observedOutcome: test.outcome,
  };
}

const total = stopwatch();
const worldDir = values.dir ?? `data/models-${Number(values.clients) / 1000}k-s${seed}`;
const outDir = join(
  import.meta.dirname,
  'peers',
  'uplift',
  'out',
  // One folder per world and channel, so runs on different worlds never share files.
  values.synthetic ? `synthetic-${values.synthetic}-s${seed}` : `${basename(worldDir)}-${values.channel}`,
);
mkdirSync(outDir, { recursive: true });
const task = values.synthetic
  ? syntheticTask(Number(values.synthetic))
  : await loadWorldTask({
      dir: worldDir,
      clients: Number(values.clients),
      seed,
      loggingPolicy: values['logging-policy'] as 'biased' | 'random',
      channel: values.channel,
      maxTrainRows,
    });
const c = task.test.channelIds.indexOf(task.channel);
const C = task.test.channelIds.length;
let treated = 0;
for (let i = 0; i < task.train.n; i++) if (task.train.treatment[i] === c) treated++;
process.stderr.write(
  `${task.description}\n  train ${task.train.n} rows (${treated} contacted through ${task.channel}), test ${task.test.n} rows\n`,
);

interface Scored {
  readonly name: string;
  readonly library: string;
  readonly fitSeconds: number;
  readonly score: Float32Array;
  readonly skliftOwn?: { upliftAuc: number; qiniAuc: number };
}
const scored: Scored[] = [];

// Ours.
for (const key of values.ours.split(',').filter((k) => k !== '')) {
  const make = OURS[key];
  if (!make) throw new Error(`peers-uplift: --ours ${key} is not one of ${Object.keys(OURS).join(', ')}`);
  const model = make(seed);
  const sw = stopwatch();
  await model.fit(task.train);
  const fitSeconds = sw.seconds();
  const s = await model.predict(task.test);
  const score = new Float32Array(task.test.n);
  for (let i = 0; i < task.test.n; i++)
    score[i] = (s.pContact[i * C + c] as number) - (s.pNoContact[i] as number);
  scored.push({ name: `nbg ${model.kind}`, library: 'nbg', fitSeconds, score });
  process.stderr.write(`nbg ${model.kind}: fit ${fitSeconds.toFixed(1)} s\n`);
}

// The Python peers.
interface PeersJson {
  versions: Record<string, string>;
  trainRows: number;
  testRows: number;
  models: {
    name: string;
    library: string;
    fitSeconds: number;
    scores: string;
    skliftUpliftAuc: number;
    skliftQiniAuc: number;
  }[];
}
let versions = '';
if (!values['no-peers']) {
  // --reuse-peers: the peers' scores of an earlier run on the same world and channel (their fit
  // is the slow part), when its folder has them; ours are fitted again.
  if (!(values['reuse-peers'] && existsSync(join(outDir, 'peers.json')))) {
    const python = requirePeersPython(PIP_SETUP);
    await writeExchange(task, outDir);
    await runPeer(python, 'bench/peers/uplift/uplift_peers.py', [
      outDir,
      '--seed',
      String(seed),
      '--models',
      values.peers,
    ]);
  }
  const peers = JSON.parse(readFileSync(join(outDir, 'peers.json'), 'utf8')) as PeersJson;
  if (peers.testRows !== task.test.n)
    throw new Error(`peers-uplift: peers scored ${peers.testRows} rows, expected ${task.test.n}`);
  versions = Object.entries(peers.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  for (const m of peers.models) {
    const buf = readFileSync(join(outDir, m.scores));
    const score = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    scored.push({
      name: m.name,
      library: m.library,
      fitSeconds: m.fitSeconds,
      score,
      skliftOwn: { upliftAuc: m.skliftUpliftAuc, qiniAuc: m.skliftQiniAuc },
    });
  }
}

// Metrics: true AUUC on the rows where the channel is contactable; observed ones on the logged round.
const eligibleRows: number[] = [];
const observedRows: number[] = [];
for (let i = 0; i < task.test.n; i++) {
  if (task.eligible[i] === 1) eligibleRows.push(i);
  if (task.observed[i] === 1) observedRows.push(i);
}
const tau = Float64Array.from(eligibleRows, (i) => task.trueUplift[i] as number);
const yObs = Uint8Array.from(observedRows, (i) => task.observedOutcome[i] as number);
const tObs = Uint8Array.from(observedRows, (i) => task.observedTreatment[i] as number);
const metrics = (score: ArrayLike<number>) => {
  const se = Float64Array.from(eligibleRows, (i) => score[i] as number);
  const so = Float64Array.from(observedRows, (i) => score[i] as number);
  return {
    trueAuuc: trueUpliftAuuc(se, tau).normalised,
    upliftAuc: upliftAucScore(yObs, so, tObs),
    qiniAuc: qiniAucScore(yObs, so, tObs),
  };
};
const oracle = metrics(task.trueUplift);
const rows = scored.map((m) => ({ ...m, ...metrics(m.score) }));
let parity = 0;
for (const r of rows)
  if (r.skliftOwn)
    parity = Math.max(
      parity,
      Math.abs(r.upliftAuc - r.skliftOwn.upliftAuc),
      Math.abs(r.qiniAuc - r.skliftOwn.qiniAuc),
    );
const best = (lib: (l: string) => boolean) =>
  rows
    .filter((r) => lib(r.library))
    .reduce<(typeof rows)[number] | undefined>((b, r) => (!b || r.trueAuuc > b.trueAuuc ? r : b), undefined);
const bestOurs = best((l) => l === 'nbg');
const bestPeer = best((l) => l !== 'nbg');
const ratio = bestOurs && bestPeer ? bestOurs.trueAuuc / bestPeer.trueAuuc : null;
const load = loadavg()
  .map((v) => v.toFixed(1))
  .join(' ');
let treatedObs = 0;
for (const t of tObs) treatedObs += t;

const table: BenchTable = {
  title: `Uplift peers, channel ${task.channel}: ${task.description}`,
  columns: [
    'model',
    'library',
    'true-uplift AUUC (normalised)',
    'uplift_auc_score (observed)',
    'qini_auc_score (observed)',
    'fit s',
  ],
  rows: [
    ...rows
      .slice()
      .sort((a, b) => b.trueAuuc - a.trueAuuc)
      .map((r) => [r.name, r.library, r.trueAuuc, r.upliftAuc, r.qiniAuc, Number(r.fitSeconds.toFixed(1))]),
    ['oracle (true uplift)', 'truth', oracle.trueAuuc, oracle.upliftAuc, oracle.qiniAuc, null],
  ],
  notes: [
    `Train ${task.train.n.toLocaleString('en')} rows (${treated.toLocaleString('en')} contacted through ${task.channel}); test ${task.test.n.toLocaleString('en')} decision rows at D, true AUUC over the ${eligibleRows.length.toLocaleString('en')} where ${task.channel} is contactable, observed metrics over the ${observedRows.length.toLocaleString('en')} rows of the logged round with ${task.channel} or no contact (${treatedObs.toLocaleString('en')} contacted; biased by the logging policy).`,
    `auucRatioVsBestPeer = ${ratio === null ? 'n/a' : ratio.toFixed(3)} (${bestOurs?.name ?? 'no nbg learner'} vs ${bestPeer?.name ?? 'no peer'}). Largest |TS − sklift| on the observed metrics: ${parity.toExponential(1)}.`,
    `${versions ? `Peers: ${versions}, LightGBM base learners (200 trees, 31 leaves, rate 0.05, seed ${seed}). ` : ''}Load average ${load} (2 cores shared); ${total.seconds().toFixed(0)} s, peak RSS ${peakRssMbSelf()} MB (driver).`,
  ],
};
const figures = {
  auucRatioVsBestPeer: ratio,
  // where the figure comes from, for bench/lib/gather-acceptance.ts (the file name has the seed only)
  seed,
  world: task.description,
  bestOurs: bestOurs?.name ?? null,
  bestOursTrueAuuc: bestOurs?.trueAuuc ?? null,
  bestPeer: bestPeer?.name ?? null,
  bestPeerTrueAuuc: bestPeer?.trueAuuc ?? null,
  channel: task.channel,
  trainRows: task.train.n,
  testRows: task.test.n,
  skliftParityMaxAbs: parity,
  loadAverage: load,
  ...Object.fromEntries(
    rows.flatMap((r) => [
      [`trueAuuc.${r.name}`, r.trueAuuc],
      [`fitSeconds.${r.name}`, r.fitSeconds],
    ]),
  ),
};
// A synthetic or --dev run checks the wiring: it prints, and leaves bench/RESULTS.md and bench/results/ alone.
if (values.synthetic || values.dev) process.stdout.write(`\n${markdownTable(table)}\n`);
else reportBench(`peers-uplift-s${seed}`, [table], figures);
