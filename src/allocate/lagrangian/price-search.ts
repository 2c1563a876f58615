import { type GlobalRow, globalRows } from '../global-rows.js';
import type { PlanProblem } from '../plan-problem.js';
import type { IntegralPlan } from '../repair-plan.js';
import { ClientSubproblems } from './client-subproblems.js';
import { Prices } from './prices.js';
import { repairAtPrices } from './repair-at-prices.js';
import { pickedRowUse, rowScales, subgradientStep } from './subgradient.js';

/** How the prices are searched (see LagrangianOptions in lagrangian-plan.ts). */
export interface PriceSearchOptions {
  readonly iterations: number;
  readonly tolerance: number;
  readonly repairEvery: number;
  readonly theta: number;
  readonly patience: number;
  readonly onIteration?: (iteration: number, bound: number, best: number) => void;
}

/** Scalings of the best-bound prices tried by the final repairs. */
const FINAL_PRICE_SCALES = [1, 1.03, 1.1, 1.25];

/**
 * The state of a Lagrangian solve: the global rows, their prices and the reduced values, the
 * per-client subproblems, and the best bound and best integral plan found so far.
 */
export class LagrangianState {
  readonly rows: GlobalRow[];
  readonly prices: Prices;
  readonly subproblems: ClientSubproblems;
  /** Client index of each action. */
  readonly clientOf: Uint32Array;
  /** Scratch for the repairs: 1 where the reduced value is positive. */
  private readonly positive: Uint8Array;
  /** Lowest dual bound L(λ) so far, and its prices. */
  bestBound = Infinity;
  bestLambda: Float64Array;
  /** Best feasible plan so far. */
  best: IntegralPlan | undefined;
  iterations = 0;

  constructor(readonly problem: PlanProblem) {
    const { clientStart } = problem;
    const n = clientStart.length - 1;
    const A = problem.actValue.length;
    this.rows = globalRows(problem);
    this.prices = new Prices(problem, this.rows);
    this.subproblems = new ClientSubproblems(problem, this.prices.reduced);
    this.clientOf = new Uint32Array(A);
    for (let i = 0; i < n; i++) this.clientOf.fill(i, clientStart[i]!, clientStart[i + 1]!);
    this.positive = new Uint8Array(A);
    this.bestLambda = new Float64Array(this.rows.length);
  }

  /** L(λ) = Σ_i max_{x_i ∈ X_i} Σ_a r_a x_a + Σ_k λ_k b_k at the current prices (the picks stay in `subproblems`). */
  dualBound(): number {
    this.prices.reprice();
    let bound = this.subproblems.solveAll();
    const { lambda } = this.prices;
    for (let k = 0; k < this.rows.length; k++) bound += lambda[k]! * this.rows[k]!.rhs;
    return bound;
  }

  /** Repairs a plan from the current reduced values; keeps it when it beats the best. */
  repair(): void {
    const plan = repairAtPrices(this.problem, this.prices.reduced, this.positive, this.clientOf);
    if (this.best === undefined || plan.value > this.best.value) this.best = plan;
  }
}

/**
 * Projected subgradient search for the prices minimising L(λ) (Polyak 1969 step sizes, halved after
 * `patience` iterations without a better bound, restarting from the best prices). Repairs give the
 * Polyak target: often at first, while it is still far off, then every `repairEvery` iterations.
 * Stops at `iterations`, or when (bound − best plan) / bound ≤ `tolerance`.
 */
export function searchPrices(s: LagrangianState, o: PriceSearchOptions): void {
  const { rows, prices, subproblems } = s;
  const { lambda } = prices;
  let scale: Float64Array = new Float64Array(rows.length);
  let theta = o.theta;
  let sinceBetter = 0;
  let restarted = false;
  for (let it = 0; it < o.iterations; it++) {
    s.iterations = it + 1;
    const bound = s.dualBound();
    if (it === 0) scale = rowScales(s.problem, rows, subproblems.pickedCount);
    if (!Number.isFinite(s.bestBound) || bound < s.bestBound - 1e-9 * Math.abs(s.bestBound)) {
      s.bestBound = bound;
      s.bestLambda = lambda.slice();
      sinceBetter = 0;
    } else if (++sinceBetter >= o.patience) {
      // no progress: smaller steps, from the best prices so far
      theta /= 2;
      sinceBetter = 0;
      lambda.set(s.bestLambda);
      restarted = true;
    }
    if (it % o.repairEvery === 0 || (it < 4 * o.repairEvery && it % 5 === 0)) s.repair();
    const lower = s.best?.value ?? 0;
    o.onIteration?.(it, s.bestBound, lower);
    if (s.bestBound - lower <= o.tolerance * Math.abs(s.bestBound) || theta < 1e-6) break;
    if (restarted) {
      restarted = false;
      continue;
    }
    const use = pickedRowUse(s.problem, rows, s.clientOf, subproblems.picked, subproblems.pickedCount);
    if (!subgradientStep(lambda, scale, rows, use, theta, bound, lower)) break;
  }
}

/**
 * The final repairs: at the last prices, then at the prices of the best bound scaled up a little
 * (prices a shade too low let costly actions crowd out the budget or a capacity early on).
 */
export function finalRepairs(s: LagrangianState): void {
  const { lambda } = s.prices;
  s.prices.reprice();
  s.repair();
  for (const f of FINAL_PRICE_SCALES) {
    for (let k = 0; k < lambda.length; k++) lambda[k] = s.bestLambda[k]! * f;
    s.prices.reprice();
    s.repair();
  }
}
