import { orderByKeyDesc } from '../order-by-key.js';
import type { PlanProblem } from '../plan-problem.js';
import { type IntegralPlan, repairPlan } from '../repair-plan.js';

/**
 * A feasible integral plan from reduced values: repairPlan over the actions worth their prices
 * (r_a > 0), best first, then the others in index order (they only fill slack capacity, where their
 * order matters little, and sorting them too doubles the cost). `positive` is scratch of one byte per
 * action; `clientOf[a]` is the client of action a.
 */
export function repairAtPrices(
  problem: PlanProblem,
  reduced: Float64Array,
  positive: Uint8Array,
  clientOf: Uint32Array,
): IntegralPlan {
  const A = reduced.length;
  let worth = 0;
  for (let a = 0; a < A; a++) {
    const w = reduced[a]! > 0 ? 1 : 0;
    positive[a] = w;
    worth += w;
  }
  const order = new Uint32Array(A);
  order.set(orderByKeyDesc(reduced, positive));
  let k = worth;
  for (let a = 0; a < A; a++) if (!positive[a]) order[k++] = a;
  return repairPlan(problem, order, clientOf);
}
