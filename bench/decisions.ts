/**
 * Decisions a bank can plan with (issue 16): on simulated worlds of both families, the trained
 * model's plan and the classic per-product propensity plan, both through `nbg plan` under the
 * world's full policy.json, scored against the truth by bench/lib/plan-truth-score.ts (no nbg code).
 *
 *   npx tsx bench/decisions.ts [--families default,mild-bias] [--seeds 101,102,103]
 *                              [--clients 10000,100000] [--large-seeds S,…] [--root data/bench/decisions]
 *
 * Per world (family × seed × size): simulate (reused when present), build the training table from
 * the folder with the round's horizon (the same table `nbg train` builds from the graph: the
 * integration test features.test.ts checks they are bit-identical), train the default learner with
 * the classic-propensity baseline and save the suite, then run `nbg plan --csv-only` three times:
 * `--values model` (ours), `--values classic`, `--values truth` (the oracle under the same rules).
 * Figures: the plan's announced over true value (all, and per channel with ≥ 500 contacts), the
 * share of planned contacts with a negative true value, ours over classic and over the oracle, the
 * rank correlation of announced and true values, and the seconds of `nbg plan --values model`.
 * Develop on seeds 1-3; the report seeds 101-103 are never tuned on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { saveSuite, trainSuite } from '../src/models/suite/model-suite.js';
import { WORLD_FAMILIES, type WorldFamilyId } from '../src/simulate/config.js';
import { stopwatch } from '../src/stopwatch.js';
import { featureTables } from './lib/feature-tables.js';
import { type PlanScore, readPlan, scorePlans } from './lib/plan-truth-score.js';
import { type BenchTable, type Figures, reportBench } from './lib/report.js';
import { simulatedWorld } from './lib/world.js';

const { values: args } = parseArgs({
  options: {
    families: { type: 'string', default: WORLD_FAMILIES.join(',') },
    seeds: { type: 'string', default: '101,102,103' },
    clients: { type: 'string', default: '10000,100000' },
    /** Seeds of the sizes of 100,000 clients and more (default: --seeds). */
    'large-seeds': { type: 'string' },
    root: { type: 'string', default: join('data', 'bench', 'decisions') },
    'min-channel-contacts': { type: 'string', default: '500' },
  },
});
const families = args.families.split(',') as WorldFamilyId[];
for (const f of families) if (!WORLD_FAMILIES.includes(f)) throw new Error(`--families: unknown family ${f}`);
const seeds = args.seeds.split(',').map(Number);
const sizes = args.clients.split(',').map(Number);
const largeSeeds = args['large-seeds']?.split(',').map(Number) ?? seeds;
const minChannel = Number(args['min-channel-contacts']);
const say = (line: string): void => void process.stderr.write(`${line}\n`);
const loads: string[] = [];
const load = (): void =>
  void loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));

interface WorldResult {
  readonly family: WorldFamilyId;
  readonly seed: number;
  readonly clients: number;
  readonly ours: PlanScore;
  readonly classic: PlanScore;
  readonly oracle: PlanScore;
  readonly planSeconds: number;
  readonly trainSeconds: number;
}

function plan(dir: string, values: string, suite: string, out: string): number {
  const sw = stopwatch();
  const r = spawnSync(
    'npx',
    [
      'tsx',
      join('src', 'cli', 'run.ts'),
      'plan',
      '--data',
      dir,
      '--values',
      values,
      '--model',
      suite,
      '--csv-only',
      '--out',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NBG_PROGRESS: '0' } },
  );
  if (r.status !== 0) throw new Error(`nbg plan --values ${values} on ${dir} exited with ${r.status}`);
  return sw.seconds();
}

async function runWorld(family: WorldFamilyId, seed: number, clients: number): Promise<WorldResult> {
  const dir = await simulatedWorld(
    { out: join(args.root, `${family}-s${seed}-${clients}`), clients, seed, world: family },
    { say },
  );
  load();
  const suiteFile = join(dir, 'bench-suite.txt');
  let trainSeconds = Number.NaN;
  if (!existsSync(suiteFile)) {
    const sw = stopwatch();
    say(`${dir}: features`);
    const t = await featureTables(dir, 42);
    say(`${dir}: training (${t.train.n.toLocaleString('en')} rows)`);
    const suite = await trainSuite(t.train, { baselines: ['classic-propensity'] });
    const { dir: saved } = await saveSuite(join(dir, 'suites'), suite, t.train);
    trainSeconds = sw.seconds();
    writeFileSync(suiteFile, `${saved}\n${trainSeconds}\n`);
  }
  const [suite, seconds] = readFileSync(suiteFile, 'utf8').trim().split('\n');
  trainSeconds = Number(seconds);
  load();
  const files = { ours: 'plan-model.csv', classic: 'plan-classic.csv', oracle: 'plan-truth.csv' };
  say(`${dir}: nbg plan --values model`);
  const planSeconds = plan(dir, 'model', suite!, join(dir, files.ours));
  load();
  say(`${dir}: nbg plan --values classic, truth`);
  plan(dir, 'classic', suite!, join(dir, files.classic));
  plan(dir, 'truth', suite!, join(dir, files.oracle));
  const scores = await scorePlans(dir, {
    ours: readPlan(join(dir, files.ours)),
    classic: readPlan(join(dir, files.classic)),
    oracle: readPlan(join(dir, files.oracle)),
  });
  return {
    family,
    seed,
    clients,
    ours: scores.ours!,
    classic: scores.classic!,
    oracle: scores.oracle!,
    planSeconds,
    trainSeconds,
  };
}

const results: WorldResult[] = [];
for (const clients of sizes)
  for (const family of families)
    for (const seed of clients >= 100_000 ? largeSeeds : seeds) {
      const r = await runWorld(family, seed, clients);
      results.push(r);
      say(
        `${family} s${seed} ${clients}: ours ${r.ours.trueValue.toFixed(0)} (announced ${r.ours.announced.toFixed(0)}), classic ${r.classic.trueValue.toFixed(0)}, oracle ${r.oracle.trueValue.toFixed(0)}`,
      );
    }

const ratio = (s: PlanScore): number => s.announced / s.trueValue;
/** The per-channel ratio farthest from 1 (on a log scale) among channels with ≥ minChannel contacts. */
function worstChannel(s: PlanScore): { channel: string; ratio: number } | undefined {
  let worst: { channel: string; ratio: number } | undefined;
  for (const [channel, g] of Object.entries(s.byChannel)) {
    if (g.contacts < minChannel) continue;
    const r = g.announced / g.trueValue;
    const off = r > 0 ? Math.abs(Math.log(r)) : Number.POSITIVE_INFINITY;
    const worstOff = worst
      ? worst.ratio > 0
        ? Math.abs(Math.log(worst.ratio))
        : Number.POSITIVE_INFINITY
      : -1;
    if (off > worstOff) worst = { channel, ratio: r };
  }
  return worst;
}

const fmt = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const eur = (v: number): string => Math.round(v).toLocaleString('en');
const rows = results.map((r) => {
  const w = worstChannel(r.ours);
  return [
    r.family,
    String(r.seed),
    r.clients.toLocaleString('en'),
    r.ours.contacts.toLocaleString('en'),
    eur(r.ours.announced),
    eur(r.ours.trueValue),
    fmt(ratio(r.ours)),
    w ? `${w.channel} ${fmt(w.ratio)}` : '-',
    fmt(r.ours.negative / r.ours.contacts, 3),
    fmt(r.ours.rankCorrelation),
    eur(r.classic.trueValue),
    eur(r.oracle.trueValue),
    fmt(r.ours.trueValue / r.classic.trueValue),
    fmt(r.ours.trueValue / r.oracle.trueValue),
    fmt(r.planSeconds, 1),
  ];
});
const table: BenchTable = {
  title: `Plans under each world's full policy.json, scored by the truth (seeds ${seeds.join(', ')})`,
  columns: [
    'family',
    'seed',
    'clients',
    'contacts',
    'announced EUR',
    'true EUR',
    'announced / true',
    'worst channel (≥ 500 contacts)',
    'negative share',
    'rank corr.',
    'classic true EUR',
    'oracle plan true EUR',
    'ours / classic',
    'ours / oracle',
    'nbg plan s',
  ],
  rows,
};
const ratios = results.map((r) => ratio(r.ours));
const worsts = results.map((r) => worstChannel(r.ours)).filter((w) => w !== undefined);
const worstOverall = worsts.reduce<{ channel: string; ratio: number } | undefined>(
  (a, w) =>
    !a || Math.abs(Math.log(Math.max(w.ratio, 1e-9))) > Math.abs(Math.log(Math.max(a.ratio, 1e-9))) ? w : a,
  undefined,
);
const vs = (family: WorldFamilyId): number => {
  const v = results.filter((r) => r.family === family).map((r) => r.ours.trueValue / r.classic.trueValue);
  return v.length ? Math.min(...v) : Number.NaN;
};
const big = results.filter((r) => r.clients >= 100_000).map((r) => r.planSeconds);
const figures: Figures = {
  reportSeeds: [...new Set([...seeds, ...largeSeeds])].join(','),
  seedsAt100k: sizes.some((n) => n >= 100_000) ? largeSeeds.join(',') : '',
  families: families.join(','),
  clients: sizes.join(','),
  loadAverage: loads.length ? `${loads[0]} … ${loads[loads.length - 1]}` : '',
  predictedOverTrueMin: Math.min(...ratios),
  predictedOverTrueMax: Math.max(...ratios),
  channelPredictedOverTrueWorst: worstOverall?.ratio ?? null,
  channelPredictedOverTrueWorstChannel: worstOverall?.channel ?? null,
  negativeValueShareMax: Math.max(...results.map((r) => r.ours.negative / r.ours.contacts)),
  vsClassicDefaultMin: families.includes('default') ? vs('default') : null,
  vsClassicMildBiasMin: families.includes('mild-bias') ? vs('mild-bias') : null,
  vsOracleLpMin: Math.min(...results.map((r) => r.ours.trueValue / r.oracle.trueValue)),
  planSeconds100k: big.length ? Math.max(...big) : null,
};
for (const r of results) {
  const id = `${r.family}_s${r.seed}_${r.clients}`;
  figures[`${id}_announcedOverTrue`] = ratio(r.ours);
  figures[`${id}_vsClassic`] = r.ours.trueValue / r.classic.trueValue;
  figures[`${id}_vsOracle`] = r.ours.trueValue / r.oracle.trueValue;
  figures[`${id}_negativeShare`] = r.ours.negative / r.ours.contacts;
  figures[`${id}_trainSeconds`] = r.trainSeconds;
}
reportBench('decisions', [table], figures);
