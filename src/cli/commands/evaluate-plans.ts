import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetEvaluationDate, datasetWorldFromHistory } from '../../allocate/dataset-world.js';
import { hasTypeBlindTruth, TruthValueSource } from '../../allocate/stand-ins/truth-value-source.js';
import type { ActionValueSource } from '../../allocate/value-sources/action-value-source.js';
import { TRUTH_DIR } from '../../domain/contract.js';
import { loadPolicy } from '../../domain/policy-file.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { buildDecisionRows, loadFolderHistory } from '../../features/index.js';
import { ACTION_VALUE_DEFAULTS } from '../../models/value/action-value.js';
import { stopwatch } from '../../stopwatch.js';
import { solveWorldPlan, trainedValues } from './plan-values.js';

/** One plan of `nbg evaluate --plans`, scored against the folder's truth. */
export interface ScoredPlan {
  /** model (ours), classic, truth (the oracle) or truth-blind (the type-blind oracle). */
  readonly values: string;
  readonly contacts: number;
  /** What the plan's own values announce, EUR. */
  readonly announced: number;
  /** Σ (p_contact − p_no_contact) × margin − cost over its contacts, EUR. */
  readonly trueValue: number;
  /** Share of its contacts whose true value is negative. */
  readonly negativeShare: number;
  readonly seconds: number;
}

export interface PlanEvaluation {
  readonly dir: string;
  readonly evaluationDate: string;
  readonly horizonDays: number;
  readonly clients: number;
  readonly plans: readonly ScoredPlan[];
}

/**
 * The comparison a bank would make before deploying: our trained model's plan, the classic
 * per-product propensity plan, the oracle's plan and (where the truth has its columns) the
 * type-blind oracle's plan, each through the same rules and solver as `nbg plan` under the
 * folder's policy.json at its evaluation date, each contact scored by truth/response.csv.
 */
export async function evaluatePlans(
  dir: string,
  options: { readonly suiteDir: string | undefined; readonly solver: 'exact' | 'lagrangian' | 'auto' },
): Promise<PlanEvaluation> {
  const now = datasetEvaluationDate(dir);
  const policyFile = join(dir, 'policy.json');
  if (now === undefined || !existsSync(join(dir, TRUTH_DIR, 'response.csv'))) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `evaluate --plans: ${dir} has no ${TRUTH_DIR}/meta.json with an evaluationDate or no ${TRUTH_DIR}/response.csv (plans are scored against the truth)`,
    );
  }
  if (!existsSync(policyFile)) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `evaluate --plans: ${dir} has no policy.json (the plans are made under the folder's full contact policy)`,
    );
  }
  const sw = stopwatch();
  const history = await loadFolderHistory(dir);
  const world = await datasetWorldFromHistory(dir, history, now);
  const policy = await loadPolicy(policyFile, {
    channels: world.channels.map((c) => c.id),
    products: world.products.map((p) => p.id),
  });
  const horizonDays = policy.horizonDays ?? 30;
  const truth = await TruthValueSource.load(dir, world.products, world.channels, 'truth');
  const P = world.products.length;
  const C = world.channels.length;
  const trueValues = new Float64Array(world.clients.length * P * C);
  await truth.score(world.clients, world.products, world.channels, trueValues);
  const clientIndex = new Map(world.clients.map((c, i) => [c.id as string, i]));
  // the decision rows at D, built once for both trained plans
  const rows = await buildDecisionRows(history, new Date(now).toISOString().slice(0, 10));
  const sources: [string, () => Promise<ActionValueSource>][] = [
    [
      'model',
      () =>
        trainedValues(
          'model',
          options.suiteDir,
          history,
          world,
          sw,
          {
            confidence: ACTION_VALUE_DEFAULTS.confidence,
            futureDecisions: ACTION_VALUE_DEFAULTS.futureDecisions,
          },
          rows,
        ),
    ],
    [
      'classic',
      () => trainedValues('classic', options.suiteDir, history, world, sw, ACTION_VALUE_DEFAULTS, rows),
    ],
    ['truth', () => Promise.resolve(truth)],
  ];
  if (hasTypeBlindTruth(dir))
    sources.push([
      'truth-blind',
      () => TruthValueSource.load(dir, world.products, world.channels, 'truth-blind'),
    ]);
  const plans: ScoredPlan[] = [];
  for (const [name, make] of sources) {
    const started = sw.seconds();
    const values = await make();
    const { problem, solution } = await solveWorldPlan(
      { world, policy, values, horizonDays, solver: options.solver },
      sw,
    );
    let contacts = 0;
    let announced = 0;
    let trueValue = 0;
    let negative = 0;
    const selected = solution.plan.selected;
    for (let j = 0; j + 1 < problem.clientStart.length; j++) {
      const i = clientIndex.get(problem.clientIds[j]!)!;
      for (let a = problem.clientStart[j]!; a < problem.clientStart[j + 1]!; a++) {
        if (!selected[a]) continue;
        const t = trueValues[(i * P + problem.actProduct[a]!) * C + problem.actChannel[a]!]!;
        contacts++;
        announced += problem.actValue[a]!;
        trueValue += t;
        if (t < 0) negative++;
      }
    }
    plans.push({
      values: name,
      contacts,
      announced,
      trueValue,
      negativeShare: contacts > 0 ? negative / contacts : 0,
      seconds: sw.seconds() - started,
    });
  }
  return {
    dir,
    evaluationDate: new Date(now).toISOString().slice(0, 10),
    horizonDays,
    clients: world.clients.length,
    plans,
  };
}

const LABEL: Record<string, string> = {
  model: 'ours (trained model)',
  classic: 'classic per-product propensity',
  truth: 'oracle (true uplift)',
  'truth-blind': 'type-blind oracle',
};

/** The plans as a table: contacts, announced and true EUR, their ratio, money-losing share, ours over each. */
export function planTable(e: PlanEvaluation): { columns: string[]; rows: string[][] } {
  const ours = e.plans.find((p) => p.values === 'model')?.trueValue ?? Number.NaN;
  const eur = (v: number): string => Math.round(v).toLocaleString('en');
  return {
    columns: [
      'plan',
      'contacts',
      'announced EUR',
      'true EUR',
      'announced / true',
      'negative share',
      'ours / this',
    ],
    rows: e.plans.map((p) => [
      LABEL[p.values] ?? p.values,
      p.contacts.toLocaleString('en'),
      eur(p.announced),
      eur(p.trueValue),
      (p.announced / p.trueValue).toFixed(2),
      p.negativeShare.toFixed(3),
      (ours / p.trueValue).toFixed(2),
    ]),
  };
}
