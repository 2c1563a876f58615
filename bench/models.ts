/**
 * The debiased decision models against the classic approach and the truth (issue 6).
 *
 * For each seed, a simulated world of N clients (default 100,000; data/models-N-s<seed>, made when
 * missing) goes through `nbg evaluate`'s model path: the suite (exposure model, debiased uplift
 * learner, baselines) is trained on the history strictly before the evaluation date D, the pairs of
 * the round at D are scored, and every policy gets the same number of contacts (the logged round's)
 * under the same per-pair rules. Reported per seed: true net value of each policy, our value over
 * the classic per-product propensity policy, over the truth oracle and over the type-blind oracle
 * (the best policy that knows everything but the hidden response type), DR's relative error on our
 * policy beside the standard-error floor of any unbiased estimate, the exposure model's ECE, each segment's share of contacts (ours beside the classic one),
 * training seconds and peak memory. Then the first seed's world simulated with --hide-propensities:
 * the same evaluation with the exposure model's estimate in place of logged propensities. Scoring
 * one client's actions is timed on the trained uplift model. The uplift AUUC against the peers comes
 * from bench/results/peers-uplift-s<seed>.json (bench/peers-uplift.ts): the smallest over the seeds run.
 *
 * usage: npx tsx bench/models.ts [--clients 100000] [--seeds 1,2,3] [--learner t|dr|x] [--no-hidden]
 *        npx tsx bench/models.ts --peers-only    (rewrites auucRatioVsBestPeer in models.json from the
 *        peers' per-seed JSONs)
 *        npx tsx bench/models.ts --hidden-only   (only the hidden-propensities run; its ratio uses the
 *        first seed's value from bench/results/models.json, waiting for a run started earlier)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  evaluateWithModels,
  type ModelEvaluationReport,
  OUR_POLICY,
} from '../src/evaluate/evaluate-models.js';
import { TYPE_BLIND_ORACLE } from '../src/evaluate/policies/truth-oracle.js';
import type { UpliftExamples } from '../src/features/examples.js';
import { type LearnerName, SUITE_DEFAULTS, type TrainedSuite } from '../src/models/suite/model-suite.js';
import { stopwatch } from '../src/stopwatch.js';
import { type BenchTable, type Figures, peakRssMbSelf, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    seeds: { type: 'string', default: '1,2,3' },
    learner: { type: 'string', default: SUITE_DEFAULTS.learner },
    'no-hidden': { type: 'boolean', default: false },
    'hidden-only': { type: 'boolean', default: false },
    'peers-only': { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const seeds = values.seeds.split(',').map(Number);
const learner = values.learner as LearnerName;
const root = join(import.meta.dirname, '..');

function world(seed: number, hide: boolean): Promise<string> {
  return simulatedWorld(
    {
      out: join(root, 'data', `models-${clients / 1000}k-s${seed}${hide ? '-hidden' : ''}`),
      clients,
      seed,
      ...(hide ? { hidePropensities: true } : {}),
    },
    { say: (line) => process.stderr.write(`${line}${hide ? ', hidden propensities' : ''}...\n`) },
  );
}

const value = (r: ModelEvaluationReport, name: string): number => {
  const c = r.comparisons.find((x) => x.policy === name);
  if (!c)
    throw new Error(`bench/models: no policy "${name}" in ${r.comparisons.map((x) => x.policy).join(', ')}`);
  return c.truth.netValue;
};
const CLASSIC = 'classic per-product propensity';
const ORACLE = 'truth-uplift oracle';
const eur = (x: number): string => Math.round(x).toLocaleString('en');

/** Mean milliseconds to score one client's actions (all its pairs at once) with the uplift model. */
async function scoreMsPerClient(suite: TrainedSuite, rows: UpliftExamples, sample = 200): Promise<number> {
  const byClient = new Map<number, number[]>();
  for (let i = 0; i < rows.n && byClient.size < sample; i++) {
    const list = byClient.get(rows.client[i]!) ?? [];
    list.push(i);
    byClient.set(rows.client[i]!, list);
  }
  const F = rows.schema.pair.length;
  const CK = rows.channelIds.length * rows.schema.channel.length;
  const C = rows.channelIds.length;
  const one = (idx: number[]): UpliftExamples => {
    const pick = <T extends Float32Array | Int32Array | Uint8Array | Int8Array>(a: T, w: number): T => {
      const out = new (a.constructor as new (n: number) => T)(idx.length * w);
      idx.forEach((i, e) => {
        out.set(a.subarray(i * w, (i + 1) * w), e * w);
      });
      return out;
    };
    return {
      ...rows,
      n: idx.length,
      x: pick(rows.x, F),
      xc: pick(rows.xc, CK),
      client: pick(rows.client, 1),
      product: pick(rows.product, 1),
      day: pick(rows.day, 1),
      segment: pick(rows.segment, 1),
      contactable: pick(rows.contactable, C),
      treatment: pick(rows.treatment, 1),
      outcome: pick(rows.outcome, 1),
      loggedPropensity: pick(rows.loggedPropensity, 1),
      weight: pick(rows.weight, 1),
    };
  };
  const subsets = [...byClient.values()].map(one);
  await suite.uplift.predict(subsets[0]!); // warm-up
  const sw = stopwatch();
  for (const s of subsets) await suite.uplift.predict(s);
  return (sw.seconds() * 1000) / subsets.length;
}

/** The smallest AUUC ratio over the seeds bench/peers-uplift.ts has been run on (one JSON per seed). */
function peersAuucRatio(): number | null {
  const resultsDir = join(root, 'bench', 'results');
  const ratios = readdirSync(resultsDir)
    .filter((f) => /^peers-uplift-s\d+\.json$/.test(f))
    .map(
      (f) =>
        (JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as { auucRatioVsBestPeer?: number })
          .auucRatioVsBestPeer,
    )
    .filter((v): v is number => typeof v === 'number');
  return ratios.length > 0 ? Math.min(...ratios) : null;
}

if (values['peers-only']) {
  // After bench/peers-uplift.ts runs: refresh the ratio in models.json without training again.
  const file = join(root, 'bench', 'results', 'models.json');
  const full = JSON.parse(readFileSync(file, 'utf8')) as Figures;
  const ratio = peersAuucRatio();
  writeFileSync(file, `${JSON.stringify({ ...full, auucRatioVsBestPeer: ratio }, null, 2)}\n`);
  process.stdout.write(`auucRatioVsBestPeer = ${ratio} (smallest over bench/results/peers-uplift-s*.json)\n`);
  process.exit(0);
}

if (values['hidden-only']) {
  const started = Date.now();
  const dir = await world(seeds[0]!, true);
  const r = await evaluateWithModels(dir, {
    propensities: 'exposure',
    suite: { learner, baselines: ['classic-propensity'], seed: seeds[0]! },
    onProgress: (s) => process.stderr.write(`  [hidden] ${s}\n`),
  });
  const file = join(root, 'bench', 'results', 'models.json');
  // The full run writes models.json when it ends; wait for one newer than this run's start.
  while (!existsSync(file) || statSync(file).mtimeMs < started)
    await new Promise((res) => setTimeout(res, 10_000));
  const full = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number | string | null>;
  const logged = Number(full[`ourValueS${seeds[0]}`]);
  const ours = value(r, OUR_POLICY);
  const ratio = ours / logged;
  const merged: Figures = { ...full, hiddenPropensityValueRatio: ratio, hiddenOurValueS1: ours };
  reportBench(
    'models',
    [
      {
        title: `Hidden propensities (seed ${seeds[0]}, --hide-propensities world, exposure model's μ for the estimators)`,
        columns: ['policy', 'true net value (EUR)', 'DR estimate (EUR)', 'DR rel. error'],
        rows: r.comparisons.map((c) => {
          const dr = c.estimates.find((e) => e.estimator === 'dr');
          return [
            c.policy,
            Math.round(c.truth.netValue).toLocaleString('en'),
            dr ? Math.round(dr.total.estimate).toLocaleString('en') : '',
            dr?.relativeError === undefined ? '' : `${(100 * dr.relativeError).toFixed(1)}%`,
          ];
        }),
      },
      {
        title: 'Our policy: hidden vs logged propensities',
        columns: ['logged propensities (EUR)', 'hidden, estimated exposure (EUR)', 'ratio'],
        rows: [
          [Math.round(logged).toLocaleString('en'), Math.round(ours).toLocaleString('en'), ratio.toFixed(3)],
        ],
      },
    ],
    merged,
  );
  process.exit(0);
}

const perSeed: { seed: number; r: ModelEvaluationReport; trainSeconds: number }[] = [];
let scoreMs = Number.NaN;
for (const seed of seeds) {
  const dir = await world(seed, false);
  const sw = stopwatch();
  const r = await evaluateWithModels(dir, {
    propensities: 'truth',
    suite: { learner, baselines: ['popularity', 'classic-propensity'], seed },
    onProgress: (s) => process.stderr.write(`  [seed ${seed}] ${s} (${sw.seconds().toFixed(0)} s)\n`),
  });
  perSeed.push({ seed, r, trainSeconds: r.seconds.training ?? Number.NaN });
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', `models-curve-s${seed}.svg`), r.svg);
  if (seed === seeds[0]) {
    const { buildDecisionRows, folderSource, loadHistory } = await import('../src/features/index.js');
    const rows = await buildDecisionRows(await loadHistory(folderSource(dir)), r.evaluationDate);
    scoreMs = await scoreMsPerClient(r.suite, rows);
  }
}

let hidden: ModelEvaluationReport | undefined;
if (!values['no-hidden']) {
  const dir = await world(seeds[0]!, true);
  hidden = await evaluateWithModels(dir, {
    propensities: 'exposure',
    suite: { learner, baselines: ['classic-propensity'], seed: seeds[0]! },
    onProgress: (s) => process.stderr.write(`  [hidden] ${s}\n`),
  });
}

const tables: BenchTable[] = [];
for (const { seed, r } of perSeed) {
  tables.push({
    title: `Seed ${seed}: ${r.pairs.toLocaleString('en')} pairs at ${r.evaluationDate}, ${r.contacts.toLocaleString('en')} contacts each, ${r.trainingRows.toLocaleString('en')} training rows`,
    columns: [
      'policy',
      'contacts',
      'true incr. conversions',
      'true net value (EUR)',
      'DR estimate (EUR)',
      'DR 95% interval (EUR)',
      'DR rel. error',
      'SE floor (EUR)',
      'SE floor over abs. value',
    ],
    rows: r.comparisons.map((c) => {
      const dr = c.estimates.find((e) => e.estimator === 'dr');
      return [
        c.policy,
        eur(c.truth.contacts),
        c.truth.incrementalConversions.toFixed(1),
        eur(c.truth.netValue),
        dr ? eur(dr.total.estimate) : '',
        dr ? `[${eur(dr.total.lower)}, ${eur(dr.total.upper)}]` : '',
        dr?.relativeError === undefined ? '' : `${(100 * dr.relativeError).toFixed(1)}%`,
        eur(c.seFloor),
        (c.seFloor / Math.abs(c.truth.netValue)).toFixed(2),
      ];
    }),
  });
  const shares = (name: string) => r.segmentShares.find((s) => s.policy === name)!.shares;
  tables.push({
    title: `Seed ${seed}: share of contacts over share of clients, per segment`,
    columns: ['segment', 'client share', 'classic propensity', OUR_POLICY, 'oracle'],
    rows: shares(OUR_POLICY).map((s, i) => [
      s.segment,
      `${(100 * s.clientShare).toFixed(1)}%`,
      shares(CLASSIC)[i]!.ratio.toFixed(2),
      s.ratio.toFixed(2),
      shares(ORACLE)[i]!.ratio.toFixed(2),
    ]),
  });
}
const ratiosClassic = perSeed.map(({ r }) => value(r, OUR_POLICY) / value(r, CLASSIC));
const ratiosOracle = perSeed.map(({ r }) => value(r, OUR_POLICY) / value(r, ORACLE));
// The type-blind oracle exists where the world's truth has its columns (nbg simulate writes them).
const hasBlind = perSeed.every(({ r }) => r.comparisons.some((c) => c.policy === TYPE_BLIND_ORACLE));
const ratiosBlind = hasBlind
  ? perSeed.map(({ r }) => value(r, OUR_POLICY) / value(r, TYPE_BLIND_ORACLE))
  : [];
const blindOverOracle = hasBlind
  ? perSeed.map(({ r }) => value(r, TYPE_BLIND_ORACLE) / value(r, ORACLE))
  : [];
const ours = (r: ModelEvaluationReport) => r.comparisons.find((c) => c.policy === OUR_POLICY)!;
const floorsRel = perSeed.map(({ r }) => ours(r).seFloor / Math.abs(ours(r).truth.netValue));
const drCovers = perSeed.map(({ r }) => {
  const dr = ours(r).estimates.find((e) => e.estimator === 'dr')!;
  return dr.total.lower <= ours(r).truth.netValue && ours(r).truth.netValue <= dr.total.upper;
});
const drErrors = perSeed.map(
  ({ r }) =>
    r.comparisons.find((c) => c.policy === OUR_POLICY)!.estimates.find((e) => e.estimator === 'dr')!
      .relativeError ?? Number.NaN,
);
const eces = perSeed.map(({ r }) => r.modelMetrics['exposure.ece'] ?? Number.NaN);
const first = perSeed[0]!.r;
const hiddenRatio = hidden ? value(hidden, OUR_POLICY) / value(first, OUR_POLICY) : null;
const auucRatio = peersAuucRatio();
tables.push({
  title: 'Summary over the seeds',
  columns: [
    'seed',
    'ours / classic',
    'ours / oracle',
    'ours / type-blind oracle',
    'type-blind oracle / oracle',
    'DR rel. error (ours)',
    'SE floor / value (ours)',
    'truth in DR 95% interval',
    'exposure ECE',
    'training s',
  ],
  rows: perSeed.map(({ seed, trainSeconds }, i) => [
    String(seed),
    ratiosClassic[i]!.toFixed(2),
    ratiosOracle[i]!.toFixed(3),
    hasBlind ? ratiosBlind[i]!.toFixed(3) : 'n/a',
    hasBlind ? blindOverOracle[i]!.toFixed(3) : 'n/a',
    `${(100 * drErrors[i]!).toFixed(1)}%`,
    floorsRel[i]!.toFixed(2),
    drCovers[i] ? 'yes' : 'no',
    eces[i]!.toFixed(4),
    trainSeconds.toFixed(0),
  ]),
});
const figures: Figures = {
  clients,
  seeds: seeds.join(','),
  learner,
  valueRatioVsClassicMin: Math.min(...ratiosClassic),
  valueRatioVsOracleMin: Math.min(...ratiosOracle),
  valueRatioVsTypeBlindOracleMin: hasBlind ? Math.min(...ratiosBlind) : null,
  typeBlindOracleOverOracleMax: hasBlind ? Math.max(...blindOverOracle) : null,
  auucRatioVsBestPeer: auucRatio,
  drRelErrorOurPolicy: Math.max(...drErrors.map(Math.abs)),
  drSeFloorRelOurPolicyMin: Math.min(...floorsRel),
  drIntervalCoversTruthSeeds: drCovers.filter(Boolean).length,
  exposureEce: Math.max(...eces),
  hiddenPropensityValueRatio: hiddenRatio,
  trainSeconds100k: perSeed[0]!.trainSeconds,
  featureSeconds100k: first.seconds.features ?? null,
  scoreMsPerClient: scoreMs,
  peakRssMb: peakRssMbSelf(),
};
for (const { seed, r } of perSeed) {
  figures[`ourValueS${seed}`] = value(r, OUR_POLICY);
  figures[`classicValueS${seed}`] = value(r, CLASSIC);
  figures[`oracleValueS${seed}`] = value(r, ORACLE);
  if (hasBlind) figures[`typeBlindOracleValueS${seed}`] = value(r, TYPE_BLIND_ORACLE);
  figures[`drSeFloorOurPolicyS${seed}`] = ours(r).seFloor;
}
reportBench('models', tables, figures);
