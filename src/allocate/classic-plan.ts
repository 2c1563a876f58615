import { orderByKeyDesc } from './order-by-key.js';
import type { PlanProblem } from './plan-problem.js';
import { type IntegralPlan, repairPlan } from './repair-plan.js';

/**
 * The classic targeting a bank runs today, for comparison: rank the allowed actions by a naive
 * propensity (P(convert | contacted), no uplift, no cost) and take them in that order while the
 * client rules, capacities, quotas and budget allow; no segment guard. `problem` must hold the
 * propensities as its action values (every allowed action, since all are positive).
 */
export function classicPlan(problem: PlanProblem): IntegralPlan {
  const unguarded: PlanProblem = { ...problem, limits: { ...problem.limits, segmentRatio: undefined } };
  return repairPlan(unguarded, orderByKeyDesc(problem.actValue));
}
