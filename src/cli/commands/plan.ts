import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  datasetEvaluationDate,
  datasetWorldFromHistory,
  readDatasetWorld,
} from '../../allocate/dataset-world.js';
import { Neo4jRecommendationWriter } from '../../allocate/plan-output/neo4j-recommendation-writer.js';
import { formatPlanSummary, summarizePlan } from '../../allocate/plan-output/plan-summary.js';
import type { RecommendationWriter } from '../../allocate/plan-output/recommendation-writer.js';
import { writePlan } from '../../allocate/plan-output/write-plan-csv.js';
import { SyntheticValueSource } from '../../allocate/stand-ins/synthetic-value-source.js';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import { loadConfig } from '../../config.js';
import { type Connection, connect } from '../../db/connect.js';
import { loadPolicy } from '../../domain/policy-file.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { loadFolderHistory } from '../../features/index.js';
import { latestSuiteDir, modelsRoot } from '../../models/suite/model-store.js';
import { ACTION_VALUE_DEFAULTS } from '../../models/value/action-value.js';
import { stopwatch } from '../../stopwatch.js';
import { choiceFlag, intFlag, numberFlag, requiredStringFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { solveWorldPlan, trainedValues, truthValues } from './plan-values.js';

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

    const { problem, solution } = await solveWorldPlan({ world, policy, values, horizonDays, solver }, sw);
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
