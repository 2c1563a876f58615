import type { IntegralPlan } from './repair-plan.js';

export type GlobalConstraintKind = 'channel-capacity' | 'product-quota' | 'budget' | 'segment-share';

/** A global constraint of the plan with its use, limit and shadow price (EUR per unit of limit). */
export interface ShadowPrice {
  readonly constraint: string;
  readonly kind: GlobalConstraintKind;
  /** Use by the integral plan. */
  readonly used: number;
  readonly limit: number;
  /** Marginal value of one more unit of the limit: LP dual (exact) or Lagrange multiplier. */
  readonly price: number;
  /** Tight at the relaxed optimum with a positive price. */
  readonly binding: boolean;
}

export type SolverName = 'exact' | 'lagrangian';

/** The result of a batch allocation. */
export interface PlanSolution {
  readonly solver: SolverName;
  readonly plan: IntegralPlan;
  /** An upper bound on the value of any feasible plan: the LP optimum (exact) or the best dual bound. */
  readonly upperBound: number;
  /** (upperBound − plan.value) / upperBound; 0 when the bound is 0. */
  readonly gap: number;
  readonly shadowPrices: readonly ShadowPrice[];
  readonly seconds: number;
  readonly iterations: number;
}
