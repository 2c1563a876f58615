import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetWorld } from '../../allocate/dataset-world.js';
import type { PlanProblem } from '../../allocate/plan-problem.js';
import { PlanProblemBuilder } from '../../allocate/plan-problem-builder.js';
import type { PlanSolution } from '../../allocate/plan-solution.js';
import { solvePlan } from '../../allocate/solve-plan.js';
import { type TruthColumns, TruthValueSource } from '../../allocate/stand-ins/truth-value-source.js';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import { ModelValueSource } from '../../allocate/value-sources/model-value-source.js';
import { TRUTH_DIR } from '../../domain/contract.js';
import type { Policy } from '../../domain/policy.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { buildDecisionRows, type FeatureHistory, type UpliftExamples } from '../../features/index.js';
import { loadSuite } from '../../models/suite/model-suite.js';
import type { Stopwatch } from '../../stopwatch.js';
import { progress } from '../progress.js';

/**
 * What `nbg plan` and `nbg evaluate --plans` share: the values of each --values kind on a folder's
 * world, and the plan under the whole policy (every client rule, then the solver's global
 * constraints).
 */

export interface WorldPlanInput {
  readonly world: DatasetWorld;
  readonly policy: Policy;
  readonly values: ActionValueSource;
  readonly horizonDays: number;
  readonly solver: 'exact' | 'lagrangian' | 'auto';
}

/** Checks every rule for every client (with a progress bar), then solves the plan. */
export async function solveWorldPlan(
  input: WorldPlanInput,
  sw: Stopwatch,
): Promise<{ problem: PlanProblem; solution: PlanSolution }> {
  const { world, policy, values, horizonDays } = input;
  const bar = progress({ label: 'checking rules', total: world.clients.length, unit: 'clients' });
  const builder = new PlanProblemBuilder({
    policy,
    products: world.products,
    channels: world.channels,
    values,
    now: world.now,
    horizonDays,
  });
  for (let i = 0; i < world.clients.length; i += 4096) {
    await builder.add(world.clients.slice(i, i + 4096));
    bar.set(Math.min(world.clients.length, i + 4096));
  }
  bar.done();
  const problem = builder.finish();
  sw.lap('rules');
  const solution = await solvePlan(problem, { ...policy, horizonDays }, { solver: input.solver });
  sw.lap('solver');
  return { problem, solution };
}

/** The values of `--values truth|truth-blind`: truth/response.csv of the folder, which must have one. */
export function truthValues(kind: TruthColumns, dir: string, world: DatasetWorld): Promise<TruthValueSource> {
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
export async function trainedValues(
  kind: keyof typeof RANKER,
  suiteDir: string | undefined,
  history: FeatureHistory,
  world: DatasetWorld,
  sw: Stopwatch,
  actionValue: { readonly confidence: number; readonly futureDecisions: number },
  /** The decision rows at the world's date when the caller already built them (else built here). */
  decisionRows?: UpliftExamples,
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
  const rows =
    decisionRows ?? (await buildDecisionRows(history, new Date(world.now).toISOString().slice(0, 10)));
  sw.lap('decision rows');
  return ModelValueSource.fromRows(model, rows, {
    modelVersion: manifest.version,
    ...(kind === 'classic' ? { valuation: 'baseline' as const } : { actionValue }),
  });
}
