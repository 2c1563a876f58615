/**
 * Benchmark of the text phase of `nbg analyze`: embedding speed, sentiment accuracy, topics.
 *
 *   npx tsx bench/analyze-text.ts [--clients 3000] [--seed 7] [--n 1000]
 *
 * 1. Simulates a world (src/simulate) into tmp/bench-analyze-text/ unless it is there, and reads
 *    its verbatims.csv and truth/verbatims.csv (the tone each verbatim was written in).
 * 2. Speed: embeds the first N verbatims (after a 32-text warm-up), timed: verbatimsPerSecond
 *    (target, issue 5: 1,000 verbatims in at most 30 s), and the CPU seconds it used (all threads;
 *    less sensitive to other jobs on the machine). Then embeds the rest, untimed.
 * 3. Sentiment against the per-verbatim truth, on positive/negative verbatims only (`mixed` ones
 *    left out): clients split by id parity; the entry point (src/text/sentiment.ts) sees the
 *    scores of the even clients' verbatims only, so the regression is trained on them and measured
 *    on the odd clients' verbatims (held out). Zero-shot is the same entry point with no score at
 *    all (a bank export without scores); the lexicon needs nothing. sentimentAccuracySim is the
 *    default method's (the regression, since the world has scores). Also against the sign of the
 *    latent polarity, and the clients' own scores as a classifier (score ≥ 6 → positive).
 * 4. Sentiment on the 60 hand-written verbatims of test/fixtures/verbatims/fixture.csv: they have
 *    no scores, so nbg's default there is zero-shot (sentimentAccuracyFixture, target ≥ 0.8); also
 *    the regression trained on the simulated scores, and the lexicon.
 * 5. Topics of the whole world's verbatims (src/text/topics.ts), their names and sizes.
 * Exports `measureText(options)` for bench/analyze.ts; standalone it reports 'analyze-text'.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureTextModel } from '../scripts/text-model/install.mjs';
import { readCsv } from '../src/csv/reader.js';
import { stopwatch } from '../src/stopwatch.js';
import { createEmbedder, defaultModelsDir } from '../src/text/embed.js';
import { lexiconClassify } from '../src/text/lexicon-sentiment.js';
import { classifyEmbeddedSentiment, type ScoredText } from '../src/text/sentiment.js';
import { topicsOfEmbeddings } from '../src/text/topics.js';
import { cpuClock } from './lib/cpu-clock.js';
import { type BenchTable, peakRssMbSelf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

export interface TextBenchOptions {
  readonly clients: number;
  readonly seed: number;
  /** Verbatims embedded for the speed figure. */
  readonly n: number;
  readonly modelsDir?: string;
}

export const TEXT_BENCH_DEFAULTS: Readonly<TextBenchOptions> = Object.freeze({
  clients: 3000,
  seed: 7,
  n: 1000,
});

const root = fileURLToPath(new URL('..', import.meta.url));

async function readRows(path: string): Promise<Record<string, string>[]> {
  let header: string[] | undefined;
  const out: Record<string, string>[] = [];
  for await (const batch of readCsv(path))
    for (const { fields } of batch) {
      if (!header) header = fields;
      else out.push(Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
    }
  return out;
}

const f3 = (x: number): string => x.toFixed(3);
const r4 = (x: number): number => Number(x.toFixed(4));

/** Runs the measures; returns the figures and the tables that print them. */
export async function runTextBench(
  options: Partial<TextBenchOptions> = {},
): Promise<{ figures: Record<string, number>; tables: BenchTable[] }> {
  const o = { ...TEXT_BENCH_DEFAULTS, ...options };
  if (!Number.isInteger(o.n) || o.n < 1)
    throw new Error(`bench/analyze-text: n must be a positive integer, got ${o.n}`);
  const world = await simulatedWorld(
    {
      out: join(root, 'tmp', 'bench-analyze-text', `world-${o.clients}-${o.seed}`),
      clients: o.clients,
      seed: o.seed,
    },
    { marker: join('truth', 'verbatims.csv') },
  );
  const verbatims = await readRows(join(world, 'verbatims.csv'));
  const truth = new Map(
    (await readRows(join(world, 'truth', 'verbatims.csv'))).map((r) => [r.verbatim_id, r]),
  );
  if (verbatims.length < o.n)
    throw new Error(
      `bench/analyze-text: the world has ${verbatims.length} verbatims, fewer than n = ${o.n}; raise clients`,
    );

  const modelsDir = o.modelsDir ?? defaultModelsDir();
  await ensureTextModel({ modelsDir });
  const embedder = await createEmbedder({ modelsDir });
  const texts = verbatims.map((v) => v.text ?? '');
  await embedder.embed(texts.slice(0, 32));
  const wall = stopwatch();
  const cpu = stopwatch(cpuClock);
  const head = await embedder.embed(texts.slice(0, o.n));
  const seconds = wall.seconds();
  // CPU time of every thread of this process: what the embedding costs whatever the machine's load
  const cpuSeconds = cpu.seconds();
  const verbatimsPerSecond = o.n / seconds;
  const X = [...head, ...(await embedder.embed(texts.slice(o.n)))];

  // sentiment, held out by client parity
  const even = (v: Record<string, string>): boolean =>
    Number((v.client_id ?? '').replace(/\D/g, '')) % 2 === 0;
  const score = (v: Record<string, string>): number | undefined =>
    v.score === '' || v.score === undefined ? undefined : Number(v.score);
  const label = (v: Record<string, string>): string => truth.get(v.verbatim_id ?? '')?.label ?? 'mixed';
  const test = verbatims.flatMap((v, i) => (!even(v) && label(v) !== 'mixed' ? [i] : []));
  const y = (i: number): number => (label(verbatims[i] as Record<string, string>) === 'positive' ? 1 : 0);
  const yLatent = (i: number): number =>
    Number(truth.get(verbatims[i]?.verbatim_id ?? '')?.polarity) > 0 ? 1 : 0;
  const acc = (pred: (i: number) => number, truthOf = y, idx = test): number =>
    idx.filter((i) => pred(i) === truthOf(i)).length / idx.length;
  const sentimentOptions = { flagMixed: false };
  const withTrainScores: ScoredText[] = verbatims.map((v) => ({
    text: v.text ?? '',
    score: even(v) ? score(v) : undefined,
  }));
  const logistic = await classifyEmbeddedSentiment(embedder, withTrainScores, X, sentimentOptions);
  const noScores = verbatims.map((v) => ({ text: v.text ?? '' }));
  const zeroShot = await classifyEmbeddedSentiment(embedder, noScores, X, sentimentOptions);
  const lexicon = lexiconClassify(texts);
  const trainCount = withTrainScores.filter(
    (v) => v.score !== undefined && (v.score <= 4 || v.score >= 7),
  ).length;
  const scoredTest = test.filter((i) => score(verbatims[i] as Record<string, string>) !== undefined);
  const byScore = (i: number): number => ((score(verbatims[i] as Record<string, string>) ?? 0) >= 6 ? 1 : 0);
  const sim = {
    logistic: acc((i) => logistic[i]?.label ?? -1),
    zeroShot: acc((i) => zeroShot[i]?.label ?? -1),
    lexicon: acc((i) => lexicon[i] ?? -1),
    logisticLatent: acc((i) => logistic[i]?.label ?? -1, yLatent),
    zeroShotLatent: acc((i) => zeroShot[i]?.label ?? -1, yLatent),
    lexiconLatent: acc((i) => lexicon[i] ?? -1, yLatent),
    clientScore: acc(byScore, y, scoredTest),
    clientScoreLatent: acc(byScore, yLatent, scoredTest),
  };

  // the hand-written fixture: no scores, so zero-shot is the default
  const fixture = await readRows(join(root, 'test', 'fixtures', 'verbatims', 'fixture.csv'));
  const fxTexts = fixture.map((r) => r.text ?? '');
  const fxX = await embedder.embed(fxTexts);
  const fxY = fixture.map((r) => (r.label === 'positive' ? 1 : 0));
  const fxAcc = (p: ArrayLike<number>): number => fxY.filter((v, i) => p[i] === v).length / fxY.length;
  const fxZeroShot = await classifyEmbeddedSentiment(
    embedder,
    fxTexts.map((text) => ({ text })),
    fxX,
    sentimentOptions,
  );
  // the regression trained on the simulated scores, applied to the fixture (transfer)
  const transfer = await classifyEmbeddedSentiment(
    embedder,
    [...withTrainScores, ...fxTexts.map((text) => ({ text }))],
    [...X, ...fxX],
    sentimentOptions,
  );
  const fixtureAcc = {
    zeroShot: fxAcc(fxZeroShot.map((r) => r.label)),
    logisticSim: fxAcc(transfer.slice(X.length).map((r) => r.label)),
    lexicon: fxAcc(lexiconClassify(fxTexts)),
  };

  // topics of the whole world
  const topicWatch = stopwatch();
  const topics = topicsOfEmbeddings(texts, X, { seed: 42 });
  const topicSeconds = topicWatch.seconds();
  await embedder.dispose();

  const figures: Record<string, number> = {
    verbatimsPerSecond: Number(verbatimsPerSecond.toFixed(1)),
    secondsFor1000: Number((1000 / verbatimsPerSecond).toFixed(2)),
    cpuSecondsFor1000: Number(((cpuSeconds * 1000) / o.n).toFixed(2)),
    sentimentAccuracySim: r4(sim.logistic),
    sentimentAccuracySimZeroShot: r4(sim.zeroShot),
    sentimentAccuracySimLexicon: r4(sim.lexicon),
    sentimentAccuracySimLatent: r4(sim.logisticLatent),
    sentimentAccuracySimClientScore: r4(sim.clientScore),
    sentimentAccuracyFixture: r4(fixtureAcc.zeroShot),
    sentimentAccuracyFixtureLogisticSim: r4(fixtureAcc.logisticSim),
    sentimentAccuracyFixtureLexicon: r4(fixtureAcc.lexicon),
    simTestVerbatims: test.length,
    simTrainVerbatims: trainCount,
    simVerbatims: verbatims.length,
    topics: topics.k,
    topicSeconds: Number(topicSeconds.toFixed(2)),
    textPeakRssMb: Math.round(peakRssMbSelf()),
  };
  const sizes = new Map(topics.topics.map((c) => [c.label, c.size]));
  const tables: BenchTable[] = [
    {
      title: `analyze-text: embed ${o.n} simulated verbatims (multilingual-e5-small ${embedder.dtype}, batch 32)`,
      columns: ['verbatims', 'seconds', 'verbatims/s', 'CPU seconds (all threads)', 'peak RSS (MB)'],
      rows: [
        [
          o.n,
          seconds.toFixed(2),
          verbatimsPerSecond.toFixed(1),
          cpuSeconds.toFixed(1),
          peakRssMbSelf().toFixed(0),
        ],
      ],
    },
    {
      title: `analyze-text: sentiment accuracy on positive/negative (simulated: ${test.length} held-out verbatims of odd clients, truth/verbatims.csv; regression trained on ${trainCount} scored verbatims of even clients)`,
      columns: ['method', 'sim: written tone', 'sim: sign of latent polarity', 'fixture (60 hand-written)'],
      rows: [
        [
          'logistic regression on e5 (default with scores)',
          f3(sim.logistic),
          f3(sim.logisticLatent),
          `${f3(fixtureAcc.logisticSim)} (trained on sim)`,
        ],
        [
          'zero-shot e5 prototypes (default without scores)',
          f3(sim.zeroShot),
          f3(sim.zeroShotLatent),
          f3(fixtureAcc.zeroShot),
        ],
        ['lexicon + negation', f3(sim.lexicon), f3(sim.lexiconLatent), f3(fixtureAcc.lexicon)],
        [
          `client score ≥ 6 (${scoredTest.length} scored)`,
          f3(sim.clientScore),
          f3(sim.clientScoreLatent),
          'n/a',
        ],
      ],
    },
    {
      title: `analyze-text: ${topics.k} topics of ${verbatims.length} simulated verbatims (${topicSeconds.toFixed(1)} s)`,
      columns: ['topic', 'size', 'top terms'],
      rows: topics.topics
        .slice()
        .sort((a, b) => b.size - a.size || a.label - b.label)
        .map((c, rank) => [`T${rank}`, sizes.get(c.label) ?? 0, c.terms.map((t) => t.term).join(', ')]),
    },
  ];
  return { figures, tables };
}

/** The figures bench/analyze.ts combines with the graph's into bench/results/analyze.json. */
export async function measureText(options: Partial<TextBenchOptions> = {}): Promise<Record<string, number>> {
  return (await runTextBench(options)).figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(TEXT_BENCH_DEFAULTS.clients) },
      seed: { type: 'string', default: String(TEXT_BENCH_DEFAULTS.seed) },
      n: { type: 'string', default: String(TEXT_BENCH_DEFAULTS.n) },
    },
  });
  const { figures, tables } = await runTextBench({
    clients: Number(values.clients),
    seed: Number(values.seed),
    n: Number(values.n),
  });
  reportBench('analyze-text', tables, figures);
}
