/**
 * Benchmark of the verbatim text pipeline: embedding speed and sentiment accuracy.
 *
 *   npx tsx bench/text.ts [--clients 3000] [--seed 7] [--n 1000]
 *
 * 1. Simulates a small world (src/simulate) into tmp/bench-text/world and reads its verbatims.csv.
 * 2. Embeds the first N verbatims (after a 32-text warm-up) and times it: verbatimsPerSecond.
 *    Target (issue 5): 1,000 verbatims in at most 30 s.
 * 3. Sentiment against the simulator's latent satisfaction (truth/clients.csv, at the end date):
 *    a verbatim is truly positive when its client's satisfaction ≥ 0.6, negative when ≤ 0.4
 *    (in between: not scored). Clients are split in two halves by id parity; the logistic
 *    regression is trained on the first half's verbatims that carry a score (score ≤ 4 → negative,
 *    ≥ 7 → positive; 5–6 and missing left out) and every method is measured on the second half.
 *    Target: accuracy ≥ 0.85 (sentimentAccuracySim, the logistic regression).
 * 4. Sentiment on the 60 hand-written verbatims of test/fixtures/verbatims/fixture.csv with the
 *    zero-shot prototypes (no training data from the fixture): sentimentAccuracyFixture, target ≥ 0.8.
 * Figures: bench/results/text.json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureTextModel } from '../scripts/text-model/install.mjs';
import { readCsv } from '../src/csv/reader.js';
import { simulate } from '../src/simulate/index.js';
import { createEmbedder, defaultModelsDir } from '../src/text/embed.js';
import { lexiconClassify } from '../src/text/lexicon-sentiment.js';
import { fitLogistic } from '../src/text/logistic-regression.js';
import { createZeroShotSentiment } from '../src/text/zero-shot-sentiment.js';
import { peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '7' },
    n: { type: 'string', default: '1000' },
  },
});
const N = Number(values.n);
if (!Number.isInteger(N) || N < 1)
  throw new Error(`bench/text: --n must be a positive integer, got ${values.n}`);
const POS_SAT = 0.6;
const NEG_SAT = 0.4;

async function readTable(path: string): Promise<Record<string, string>[]> {
  let header: string[] | undefined;
  const out: Record<string, string>[] = [];
  for await (const batch of readCsv(path))
    for (const { fields } of batch) {
      if (!header) header = fields;
      else out.push(Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
    }
  return out;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const world = join(root, 'tmp', 'bench-text', `world-${values.clients}-${values.seed}`);
if (!existsSync(join(world, 'verbatims.csv')))
  await simulate({ out: world, clients: Number(values.clients), seed: Number(values.seed) });
const verbatims = await readTable(join(world, 'verbatims.csv'));
const satisfaction = new Map(
  (await readTable(join(world, 'truth', 'clients.csv'))).map((r) => [r.client_id, Number(r.satisfaction)]),
);
if (verbatims.length < N)
  throw new Error(
    `bench/text: the world has ${verbatims.length} verbatims, fewer than --n ${N}; raise --clients`,
  );

const modelsDir = defaultModelsDir();
await ensureTextModel({ modelsDir });
const embedder = await createEmbedder({ modelsDir });
const sample = verbatims.slice(0, N);
await embedder.embed(sample.slice(0, 32).map((v) => v.text ?? ''));
const t0 = performance.now();
const X = await embedder.embed(sample.map((v) => v.text ?? ''));
const seconds = (performance.now() - t0) / 1000;
const verbatimsPerSecond = N / seconds;

// sentiment vs latent satisfaction
const half = (clientId: string) => Number(clientId.replace(/\D/g, '')) % 2;
const train: number[] = [];
const test: number[] = [];
const truth = new Int8Array(N).fill(-1);
sample.forEach((v, i) => {
  const s = satisfaction.get(v.client_id ?? '');
  if (s !== undefined) truth[i] = s >= POS_SAT ? 1 : s <= NEG_SAT ? 0 : -1;
  if (half(v.client_id ?? '') === 0) {
    const score = v.score === '' || v.score === undefined ? Number.NaN : Number(v.score);
    if (score <= 4 || score >= 7) train.push(i);
  } else if (truth[i] !== -1) test.push(i);
});
const model = fitLogistic(
  train.map((i) => X[i] as Float32Array),
  train.map((i) => (Number(sample[i]?.score) >= 7 ? 1 : 0)),
);
const zs = await createZeroShotSentiment(embedder);
const testX = test.map((i) => X[i] as Float32Array);
const acc = (pred: ArrayLike<number>) => test.filter((i, k) => pred[k] === truth[i]).length / test.length;
const accLogistic = acc(test.map((_, k) => (model.probability(testX[k] as Float32Array) > 0.5 ? 1 : 0)));
const accZeroShot = acc(zs.classify(testX));
const accLexicon = acc(lexiconClassify(test.map((i) => sample[i]?.text ?? '')));

// fixture
const fixture = await readTable(join(root, 'test', 'fixtures', 'verbatims', 'fixture.csv'));
const fx = await embedder.embed(fixture.map((r) => r.text ?? ''));
const fxPred = zs.classify(fx);
const fxY = fixture.map((r) => (r.label === 'positive' ? 1 : 0));
const fxAcc = (p: ArrayLike<number>) => fxY.filter((y, i) => p[i] === y).length / fxY.length;
const sentimentAccuracyFixture = fxAcc(fxPred);
const fixtureLexicon = fxAcc(lexiconClassify(fixture.map((r) => r.text ?? '')));
const fixtureLogisticSim = fxAcc(fx.map((x) => (model.probability(x) > 0.5 ? 1 : 0)));
await embedder.dispose();

const f3 = (x: number) => x.toFixed(3);
reportBench(
  'text',
  [
    {
      title: `text: embed ${N} simulated verbatims (multilingual-e5-small ${embedder.dtype}, batch 32)`,
      columns: ['verbatims', 'seconds', 'verbatims/s', 'peak RSS (MB)'],
      rows: [[N, seconds.toFixed(2), verbatimsPerSecond.toFixed(1), peakRssMbSelf().toFixed(0)]],
    },
    {
      title: `text: sentiment accuracy (sim: ${test.length} test verbatims, truth satisfaction ≥ ${POS_SAT} / ≤ ${NEG_SAT}; logistic trained on ${train.length} scored verbatims of other clients)`,
      columns: ['method', 'simulated world', 'fixture (60 hand-written)'],
      rows: [
        ['logistic regression on e5 (trained on simulated scores)', f3(accLogistic), f3(fixtureLogisticSim)],
        ['zero-shot e5 prototypes', f3(accZeroShot), f3(sentimentAccuracyFixture)],
        ['lexicon + negation', f3(accLexicon), f3(fixtureLexicon)],
      ],
    },
  ],
  {
    verbatimsPerSecond: Number(verbatimsPerSecond.toFixed(1)),
    secondsFor1000: Number((1000 / verbatimsPerSecond).toFixed(2)),
    sentimentAccuracySim: Number(accLogistic.toFixed(4)),
    sentimentAccuracySimZeroShot: Number(accZeroShot.toFixed(4)),
    sentimentAccuracySimLexicon: Number(accLexicon.toFixed(4)),
    sentimentAccuracyFixture: Number(sentimentAccuracyFixture.toFixed(4)),
    sentimentAccuracyFixtureLogisticSim: Number(fixtureLogisticSim.toFixed(4)),
    sentimentAccuracyFixtureLexicon: Number(fixtureLexicon.toFixed(4)),
    simTestVerbatims: test.length,
    simTrainVerbatims: train.length,
  },
);
