import type { Policy } from '../domain/policy.js';
import { checkPlanFeasible } from './check-plan-feasible.js';
import { type ExactOptions, exactPlan } from './exact-plan.js';
import { type LagrangianOptions, lagrangianPlan } from './lagrangian-plan.js';
import type { PlanProblem } from './plan-problem.js';
import type { PlanSolution, SolverName } from './plan-solution.js';

export interface SolvePlanOptions {
  readonly solver?: SolverName | 'auto';
  /** With 'auto': the exact LP up to this many candidate actions, the Lagrangian method above. */
  readonly exactMaxActions?: number;
  readonly exact?: ExactOptions;
  readonly lagrangian?: LagrangianOptions;
}

const DEFAULTS = { solver: 'auto', exactMaxActions: 250_000 } as const;

/**
 * Checks that the policy leaves some contact possible (checkPlanFeasible), then solves the plan
 * with HiGHS ('exact') or the Lagrangian method; 'auto' picks HiGHS for problems up to
 * `exactMaxActions` candidate actions (about 20,000 clients; HiGHS took 10 s on 135,000).
 */
export async function solvePlan(
  problem: PlanProblem,
  policy: Policy,
  options: SolvePlanOptions = {},
): Promise<PlanSolution> {
  checkPlanFeasible(problem, policy);
  const solver = options.solver ?? DEFAULTS.solver;
  const exactMax = options.exactMaxActions ?? DEFAULTS.exactMaxActions;
  const useExact = solver === 'exact' || (solver === 'auto' && problem.actValue.length <= exactMax);
  return useExact ? exactPlan(problem, options.exact) : lagrangianPlan(problem, options.lagrangian);
}
