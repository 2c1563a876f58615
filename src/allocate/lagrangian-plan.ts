import { stopwatch } from '../stopwatch.js';
import { type GlobalRow, rowUse } from './global-rows.js';
import { finalRepairs, LagrangianState, searchPrices } from './lagrangian/price-search.js';
import type { PlanProblem } from './plan-problem.js';
import type { PlanSolution, ShadowPrice } from './plan-solution.js';

export interface LagrangianOptions {
  /** Most dual iterations. */
  readonly iterations?: number;
  /** Stop when (bound − best plan) / bound falls below this. */
  readonly tolerance?: number;
  /** Repair a primal plan from the current prices every this many iterations. */
  readonly repairEvery?: number;
  /** Polyak step factor at the start (halved after `patience` iterations without a better bound). */
  readonly theta?: number;
  readonly patience?: number;
  /** Called after each iteration (progress). */
  readonly onIteration?: (iteration: number, bound: number, best: number) => void;
}

const DEFAULTS = { iterations: 250, tolerance: 2e-3, repairEvery: 25, theta: 1, patience: 10 } as const;

/**
 * Batch allocation by Lagrangian relaxation of the global constraints (Fisher 1981, "The Lagrangian
 * relaxation method for solving integer programming problems"; Polyak 1969 step sizes).
 *
 * With prices λ ≥ 0 on the global rows (channel capacity, product quota, budget, segment guard),
 *   L(λ) = Σ_i max_{x_i ∈ X_i} Σ_a (v_a − Σ_k λ_k A_ka) x_a + Σ_k λ_k b_k ≥ LP optimum,
 * and the inner max splits per client: X_i = {total ≤ K_i, per channel ≤ k_ic, one per product}.
 * Greedy on the reduced values is exact for {total, one per product} (a laminar matroid); with
 * per-channel limits too, a pruned search solves it exactly when K_i ≤ 4 (otherwise greedy for the
 * primal, and the bound drops the product constraint: still laminar, still a valid upper bound).
 * With integral subproblems the bound holds for every integral plan (it can be below the LP optimum). Prices follow projected subgradient steps with the
 * Polyak size θ(L − best)/‖g‖² on rows scaled by their limits. Every `repairEvery` iterations the
 * reduced values give a priority order that repairPlan turns into a feasible integral plan; the
 * best one is returned with its gap to the best bound. Cost per iteration: O(actions).
 */
export function lagrangianPlan(problem: PlanProblem, options: LagrangianOptions = {}): PlanSolution {
  const sw = stopwatch();
  const state = new LagrangianState(problem);
  searchPrices(state, { ...DEFAULTS, ...options });
  finalRepairs(state);
  const { rows, bestBound, bestLambda } = state;
  const plan = state.best!;
  const used = rowUse(problem, rows, plan.selected);
  const shadowPrices: ShadowPrice[] = rows.map((r: GlobalRow, k) => ({
    constraint: r.name,
    kind: r.kind,
    used: used[k]!,
    limit: r.rhs,
    price: bestLambda[k]!,
    binding: bestLambda[k]! > 1e-9 && used[k]! >= r.rhs - Math.max(1, 1e-3 * Math.abs(r.rhs)),
  }));
  return {
    solver: 'lagrangian',
    plan,
    upperBound: bestBound,
    gap: bestBound > 0 ? (bestBound - plan.value) / bestBound : 0,
    shadowPrices,
    seconds: sw.seconds(),
    iterations: state.iterations,
  };
}
