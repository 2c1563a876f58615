import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type DatasetWorld,
  datasetEvaluationDate,
  datasetWorldFromHistory,
  readDatasetWorld,
} from '../../allocate/dataset-world.js';
import { Neo4jRecommendationWriter } from '../../allocate/plan-output/neo4j-recommendation-writer.js';
import { formatPlanSummary, summarizePlan } from '../../allocate/plan-output/plan-summary.js';
import type { RecommendationWriter } from '../../allocate/plan-output/recommendation-writer.js';
import { writePlan } from '../../allocate/plan-output/write-plan-csv.js';
import { PlanProblemBuilder } from '../../allocate/plan-problem-builder.js';
import { solvePlan } from '../../allocate/solve-plan.js';
import { SyntheticValueSource } from '../../allocate/stand-ins/synthetic-value-source.js';
import { type TruthColumns, TruthValueSource } from '../../allocate/stand-ins/truth-value-source.js';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import { ModelValueSource } from '../../allocate/value-sources/model-value-source.js';
import { loadConfig } from '../../config.js';
import { type Connection, connect } from '../../db/connect.js';
import { TRUTH_DIR } from '../../domain/contract.js';
import { loadPolicy } from '../../domain/policy-file.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { buildDecisionRows, type FeatureHistory, loadFolderHistory } from '../../features/index.js';
import { latestSuiteDir, modelsRoot } from '../../models/suite/model-store.js';
import { loadSuite } from '../../models/suite/model-suite.js';
import { ACTION_VALUE_DEFAULTS } from '../../models/value/action-value.js';
import { type Stopwatch, stopwatch } from '../../stopwatch.js';
import { choiceFlag, intFlag, numberFlag, requiredStringFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { progress } from '../progress.js';

const usage = `nbg plan --data DIR [--policy FILE] [--horizon DAYS] [--solver exact|lagrangian|auto]
         [--out FILE] [--now YYYY-MM-DD] [--values synthetic|truth|truth-blind|model|classic]
         [--model DIR] [--seed S] [--csv-only] [--timings FILE]

Plans the contacts of a campaign over a horizon under policy.json: every client rule (consent,
contact pressure, cooldown, fragility, suitability, age, holdings) and the global constraints
(channel daily capacity, product quotas, budget, segment-share guard). Writes the plan as CSV and
prints contacts per channel and product, cost, expected incremental value and the binding
constraints with their shadow prices. An infeasible policy is an error that names the conflicting
constraints (exit code 2). The method is described in docs/constraints-and-allocation.md.

  --data DIR        dataset folder (data contract)
  --policy FILE     contact policy (default DIR/policy.json)
  --horizon DAYS    days the plan covers (default: the policy's horizonDays, else 30)
  --solver S        exact (HiGHS LP + rounding), lagrangian (scales to millions), auto (default:
                    exact up to 250,000 allowed actions)
  --out FILE        plan CSV (default plan.csv)
  --now DATE        decision date (default: truth/meta.json evaluationDate, else today)
  --values V        action values: synthetic (a seeded stand-in, default), truth (the simulator's
                    true uplift, simulated datasets only), truth-blind (the type-blind oracle: the
                    same from truth/response.csv's p_no_contact_type_blind and p_contact_type_blind,
                    the true probabilities with the hidden response type averaged out, the best
                    values a policy that sees only the data could know; an error where the truth
                    has no such columns), model (the trained uplift model's action
                    value, uplift × margin − cost − fatigue, on the folder's features at --now) or
                    classic (the suite's classic-propensity baseline: P(convert | contact) × margin −
                    cost, the classic approach planned under the same rules, for comparisons)
  --model DIR       the model suite for --values model|classic (default: the latest nbg train wrote)
  --seed S          seed of the synthetic values (default 1)
  --confidence Z    --values model contacts only where the value's lower bound, with the uplift
                    lowered by Z of its standard deviation, is positive (default ${ACTION_VALUE_DEFAULTS.confidence}; 0: the expected value alone)
  --fatigue N       --values model charges each contact the learnt drop of the client's next best
                    value over N later decisions (default ${ACTION_VALUE_DEFAULTS.futureDecisions}; 0: no fatigue cost)
  --csv-only        do not store the plan in the graph
  --timings FILE    also write the seconds of each step as JSON (the plan prints them either way)

Besides the CSV, each planned contact is stored as a (:Recommendation {kind: 'plan'}) linked FOR the
client, OF the product, VIA the channel and BY_MODEL the model (ingest the folder first: contacts of
clients the graph does not have are counted and skipped).`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'allocate a campaign under the contact policy (exact LP or Lagrangian) and write the plan',
  usage,
  options: {
    data: { type: 'string' },
    policy: { type: 'string' },
    horizon: { type: 'string' },
    solver: { type: 'string' },
    out: { type: 'string' },
    now: { type: 'string' },
    values: { type: 'string' },
    model: { type: 'string' },
    seed: { type: 'string' },
    confidence: { type: 'string' },
    fatigue: { type: 'string' },
    'csv-only': { type: 'boolean' },
    timings: { type: 'string' },
  },
  async run(args) {
    const dir = requiredStringFlag(args, 'data');
    if (!existsSync(join(dir, 'clients.csv'))) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `--data: ${dir} has no clients.csv (expected a dataset folder)`,
      );
    }
    const solver = choiceFlag(args, 'solver', ['exact', 'lagrangian', 'auto'] as const, 'auto');
    const valuesKind = choiceFlag(
      args,
      'values',
      ['synthetic', 'truth', 'truth-blind', 'model', 'classic'] as const,
      'synthetic',
    );
    const out = stringFlag(args, 'out', 'plan.csv')!;
    const nowText = stringFlag(args, 'now');
    let now: number;
    if (nowText !== undefined) {
      now = Date.parse(`${nowText}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(nowText) || Number.isNaN(now)) {
        throw new NbgError(ErrorCode.BAD_CONFIG, `--now: expected a date YYYY-MM-DD, got "${nowText}"`);
      }
    } else
      now = datasetEvaluationDate(dir) ?? Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);

    const sw = stopwatch();
    const trained = valuesKind === 'model' || valuesKind === 'classic';
    // the model reads every record of the folder for its features: the client states come from
    // that one read (its files in worker threads, features/folder-history.ts)
    const history = trained ? await loadFolderHistory(dir) : undefined;
    if (history) sw.lap('read the folder');
    const world = history
      ? await datasetWorldFromHistory(dir, history, now)
      : await readDatasetWorld(dir, now);
    sw.lap('client states');
    const policy = await loadPolicy(stringFlag(args, 'policy', join(dir, 'policy.json'))!, {
      channels: world.channels.map((c) => c.id),
      products: world.products.map((p) => p.id),
    });
    const horizonDays = intFlag(args, 'horizon', policy.horizonDays ?? 30, 1, 3660);
    let values: ActionValueSource;
    if (valuesKind === 'truth' || valuesKind === 'truth-blind') {
      values = await truthValues(valuesKind, dir, world);
    } else if (history) {
      const suiteDir = stringFlag(args, 'model') ?? latestSuiteDir(modelsRoot(loadConfig().dataDir));
      values = await trainedValues(valuesKind as 'model' | 'classic', suiteDir, history, world, sw, {
        confidence: numberFlag(args, 'confidence', ACTION_VALUE_DEFAULTS.confidence, 0, 10),
        futureDecisions: numberFlag(args, 'fatigue', ACTION_VALUE_DEFAULTS.futureDecisions, 0, 100),
      });
    } else values = new SyntheticValueSource({ seed: intFlag(args, 'seed', 1) });
    sw.lap('values');

    const bar = progress({ label: 'checking rules', total: world.clients.length, unit: 'clients' });
    const builder = new PlanProblemBuilder({
      policy,
      products: world.products,
      channels: world.channels,
      values,
      now,
      horizonDays,
    });
    for (let i = 0; i < world.clients.length; i += 4096) {
      await builder.add(world.clients.slice(i, i + 4096));
      bar.set(Math.min(world.clients.length, i + 4096));
    }
    bar.done();
    const problem = builder.finish();
    sw.lap('rules');
    const solution = await solvePlan(problem, { ...policy, horizonDays }, { solver });
    sw.lap('solver');
    const dirOut = dirname(out);
    if (dirOut !== '.' && !existsSync(dirOut)) mkdirSync(dirOut, { recursive: true });
    // the classic plan is a comparison: its own id, so it never replaces the plan of the same day
    const planId = `plan-${new Date(now).toISOString().slice(0, 10)}-${solution.solver}${valuesKind === 'classic' ? '-classic' : ''}`;
    let conn: Connection | undefined;
    let writer: Neo4jRecommendationWriter | undefined;
    if (args.values['csv-only'] !== true) {
      conn = await connect(loadConfig());
      writer = new Neo4jRecommendationWriter(conn.db, trained ? 'trained' : 'stand-in');
    }
    let rows: number;
    try {
      rows = await writePlan(problem, solution.plan.selected, {
        path: out,
        planId,
        startDay: now,
        modelVersion: values.modelVersion,
        solver: solution.solver,
        ...(writer ? { writer: writer as RecommendationWriter } : {}),
      });
    } finally {
      await conn?.close();
    }
    sw.lap('write');
    process.stdout.write(`${formatPlanSummary(summarizePlan(problem, solution))}\n`);
    process.stdout.write(
      `Wrote ${rows.toLocaleString('en')} planned contacts to ${out} (values: ${values.name}).\n`,
    );
    if (writer) {
      process.stdout.write(
        `Stored ${writer.written.toLocaleString('en')} as :Recommendation nodes (plan ${planId})` +
          (writer.skipped > 0
            ? `; ${writer.skipped.toLocaleString('en')} skipped: their client is not in the graph (nbg ingest ${dir} first)`
            : '') +
          '.\n',
      );
    }
    const steps = Object.entries(sw.laps).filter(([, s]) => s >= 0.05);
    process.stdout.write(
      `Took ${sw.seconds().toFixed(1)} s (${steps.map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ')}).\n`,
    );
    const timingsFile = stringFlag(args, 'timings');
    if (timingsFile !== undefined) writeFileSync(timingsFile, `${JSON.stringify(sw.laps, null, 2)}\n`);
    return 0;
  },
};

/** The values of `--values truth|truth-blind`: truth/response.csv of the folder, which must have one. */
function truthValues(kind: TruthColumns, dir: string, world: DatasetWorld): Promise<TruthValueSource> {
  if (!existsSync(join(dir, TRUTH_DIR, 'response.csv'))) {
    throw new NbgError(ErrorCode.BAD_CONFIG, `--values ${kind}: ${dir} has no ${TRUTH_DIR}/response.csv`);
  }
  return TruthValueSource.load(dir, world.products, world.channels, kind);
}

/** The suite's model whose values rank the plan. */
const RANKER = { model: 'uplift', classic: 'classic-propensity' } as const;

/**
 * The trained values of `--values model` (the uplift model's action value) or `--values classic`
 * (the classic-propensity baseline's pContact × margin − cost), on the decision rows at the
 * world's date built from the history already read.
 */
async function trainedValues(
  kind: keyof typeof RANKER,
  suiteDir: string | undefined,
  history: FeatureHistory,
  world: DatasetWorld,
  sw: Stopwatch,
  actionValue: { readonly confidence: number; readonly futureDecisions: number },
): Promise<ActionValueSource> {
  if (suiteDir === undefined) {
    throw new NbgError(ErrorCode.NOT_FOUND, `--values ${kind}: no trained model`, {
      hint: 'run `nbg train` first, or give --model DIR',
    });
  }
  const { suite, manifest } = await loadSuite(suiteDir);
  const model = kind === 'model' ? suite.uplift : suite.others.get(RANKER.classic);
  if (model === undefined) {
    throw new NbgError(
      ErrorCode.NOT_FOUND,
      `--values classic: the model suite ${suiteDir} has no ${RANKER.classic} model (its models: ${Object.keys(manifest.models).join(', ')})`,
      {
        hint: 'train one with `nbg train --baselines classic-propensity` (the default baselines include it), or give --model DIR of a suite that has it',
      },
    );
  }
  sw.lap('load model');
  const rows = await buildDecisionRows(history, new Date(world.now).toISOString().slice(0, 10));
  sw.lap('decision rows');
  return ModelValueSource.fromRows(model, rows, {
    modelVersion: manifest.version,
    ...(kind === 'classic' ? { valuation: 'baseline' as const } : { actionValue }),
  });
}
