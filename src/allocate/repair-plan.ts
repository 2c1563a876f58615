import { guardedSegments } from './global-limits.js';
import type { PlanProblem } from './plan-problem.js';

const EPS = 1e-9;

/** An integral plan: selected[a] = 1 when action a is in the plan. */
export interface IntegralPlan {
  readonly selected: Uint8Array;
  readonly value: number;
  readonly contacts: number;
}

/**
 * Turns a priority order of actions into an integral plan that breaks no constraint, greedily:
 * 1. walk the order, keep an action when its client (total, channel, one contact per product) and
 *    the global channel capacity, product quota and budget still allow it;
 * 2. the segment guard is a ratio (contacts of s ≤ ratio·share_s·all contacts), which an empty plan
 *    meets but a greedy start cannot: while a guarded segment is over its share, drop its
 *    lowest-priority contact (each drop lowers its excess, so this ends, at worst at the empty plan);
 * 3. walk the order again and add what still fits, the guard included (adding to s is allowed when
 *    c_s + 1 ≤ ratio·share_s·(T + 1); it only loosens the other segments' guards).
 * Used by the exact solver (order: LP values) and the Lagrangian one (order: reduced values).
 * `clientOfAction` (the client index of each action) saves rebuilding it on repeated calls.
 */
export function repairPlan(
  problem: PlanProblem,
  order: Uint32Array,
  clientOfAction?: Uint32Array,
): IntegralPlan {
  const { clientStart, actProduct, actChannel, actValue, clientSegment, limits } = problem;
  const P = problem.products.length;
  const C = problem.channels.length;
  const n = clientStart.length - 1;
  const A = actValue.length;
  // client of each action (4 bytes per action), unless the caller has it
  const clientOf = clientOfAction ?? new Uint32Array(A);
  if (clientOfAction === undefined)
    for (let i = 0; i < n; i++) clientOf.fill(i, clientStart[i]!, clientStart[i + 1]!);
  const selected = new Uint8Array(A);
  const clientTotal = new Int32Array(n);
  const clientChannel = problem.clientMaxPerChannel ? new Uint8Array(n * C) : undefined;
  const clientProduct = new Uint8Array(n * P);
  const chanUse = new Float64Array(C);
  const prodUse = new Float64Array(P);
  let budget = 0;
  const S = problem.segments.length;
  const segUse = new Float64Array(S);
  let total = 0;
  let value = 0;
  const guarded = guardedSegments(limits);
  const isGuarded = new Uint8Array(S);
  for (const s of guarded) isGuarded[s] = 1;
  const ratio = limits.segmentRatio ?? Infinity;
  const cost = problem.channels.map((ch) => ch.costPerContact);

  const fits = (a: number): boolean => {
    const i = clientOf[a]!;
    const p = actProduct[a]!;
    const c = actChannel[a]!;
    if (clientTotal[i]! >= problem.clientMaxTotal[i]!) return false;
    if (clientProduct[i * P + p]) return false;
    if (clientChannel && clientChannel[i * C + c]! >= problem.clientMaxPerChannel![i * C + c]!) return false;
    if (chanUse[c]! + 1 > limits.channelCapacity[c]! + EPS) return false;
    if (prodUse[p]! + 1 > limits.productQuota[p]! + EPS) return false;
    if (budget + cost[c]! > limits.budgetEUR + EPS) return false;
    return true;
  };
  const add = (a: number): void => {
    const i = clientOf[a]!;
    const c = actChannel[a]!;
    const p = actProduct[a]!;
    selected[a] = 1;
    clientTotal[i]!++;
    clientProduct[i * P + p] = 1;
    if (clientChannel) clientChannel[i * C + c]!++;
    chanUse[c]!++;
    prodUse[p]!++;
    budget += cost[c]!;
    segUse[clientSegment[i]!]!++;
    total++;
    value += actValue[a]!;
  };
  const remove = (a: number): void => {
    const i = clientOf[a]!;
    const c = actChannel[a]!;
    const p = actProduct[a]!;
    selected[a] = 0;
    clientTotal[i]!--;
    clientProduct[i * P + p] = 0;
    if (clientChannel) clientChannel[i * C + c]!--;
    chanUse[c]!--;
    prodUse[p]!--;
    budget -= cost[c]!;
    segUse[clientSegment[i]!]!--;
    total--;
    value -= actValue[a]!;
  };

  // 1. greedy without the segment guard; remember each guarded segment's picks in priority order
  const picks: number[][] = Array.from({ length: S }, () => []);
  for (let t = 0; t < order.length; t++) {
    const a = order[t]!;
    if (!fits(a)) continue;
    add(a);
    const s = clientSegment[clientOf[a]!]!;
    if (isGuarded[s]) picks[s]!.push(a);
  }
  // 2. drop the lowest-priority contacts of segments over their share
  if (guarded.length > 0) {
    for (;;) {
      let worst = -1;
      let worstExcess = EPS;
      for (const s of guarded) {
        const excess = segUse[s]! - ratio * limits.segmentClientShare[s]! * total;
        if (excess > worstExcess) {
          worstExcess = excess;
          worst = s;
        }
      }
      if (worst < 0) break;
      const a = picks[worst]!.pop();
      if (a === undefined) break;
      remove(a);
    }
    // 3. fill what still fits, the guard included
    for (let t = 0; t < order.length; t++) {
      const a = order[t]!;
      if (selected[a] || !fits(a)) continue;
      const s = clientSegment[clientOf[a]!]!;
      if (isGuarded[s] && segUse[s]! + 1 > ratio * limits.segmentClientShare[s]! * (total + 1) + EPS)
        continue;
      add(a);
    }
  }
  return { selected, value, contacts: total };
}
