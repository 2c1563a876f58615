import { guardedSegments } from './global-limits.js';
import type { PlanProblem } from './plan-problem.js';

/** One broken constraint of a plan: its name and how far it is over. */
export interface Violation {
  readonly constraint: string;
  readonly used: number;
  readonly limit: number;
}

/**
 * Every constraint a plan (x per action, 0/1 or fractional) breaks, by more than `tolerance`:
 * per client total, per client and channel, one contact per product, channel capacity, product
 * quota, budget, segment guard. The rules themselves hold by construction (only actions that
 * passed them are variables); tests re-check those on the selected actions.
 */
export function verifyPlan(problem: PlanProblem, x: ArrayLike<number>, tolerance = 1e-6): Violation[] {
  const { clientStart, actProduct, actChannel, clientSegment, limits, clientIds } = problem;
  const P = problem.products.length;
  const C = problem.channels.length;
  const n = clientStart.length - 1;
  const out: Violation[] = [];
  const chanUse = new Float64Array(C);
  const prodUse = new Float64Array(P);
  const segUse = new Float64Array(problem.segments.length);
  let budget = 0;
  let total = 0;
  const perChannel = new Float64Array(C);
  const perProduct = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    perChannel.fill(0);
    perProduct.fill(0);
    let t = 0;
    for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
      const v = x[a]!;
      if (v === 0) continue;
      if (v < -tolerance || v > 1 + tolerance)
        out.push({ constraint: `bounds:${clientIds[i]}:${a}`, used: v, limit: 1 });
      const c = actChannel[a]!;
      const p = actProduct[a]!;
      t += v;
      perChannel[c]! += v;
      perProduct[p]! += v;
      chanUse[c]! += v;
      prodUse[p]! += v;
      budget += v * problem.channels[c]!.costPerContact;
      segUse[clientSegment[i]!]! += v;
      total += v;
    }
    if (t > problem.clientMaxTotal[i]! + tolerance) {
      out.push({ constraint: `client-total:${clientIds[i]}`, used: t, limit: problem.clientMaxTotal[i]! });
    }
    for (let c = 0; c < C; c++) {
      const lim = problem.clientMaxPerChannel?.[i * C + c];
      if (lim !== undefined && perChannel[c]! > lim + tolerance) {
        out.push({
          constraint: `client-channel:${clientIds[i]}:${problem.channels[c]!.id}`,
          used: perChannel[c]!,
          limit: lim,
        });
      }
    }
    for (let p = 0; p < P; p++) {
      if (perProduct[p]! > 1 + tolerance) {
        out.push({
          constraint: `client-product:${clientIds[i]}:${problem.products[p]!.id}`,
          used: perProduct[p]!,
          limit: 1,
        });
      }
    }
  }
  for (let c = 0; c < C; c++) {
    if (chanUse[c]! > limits.channelCapacity[c]! + tolerance) {
      out.push({
        constraint: `channel-capacity:${problem.channels[c]!.id}`,
        used: chanUse[c]!,
        limit: limits.channelCapacity[c]!,
      });
    }
  }
  for (let p = 0; p < P; p++) {
    if (prodUse[p]! > limits.productQuota[p]! + tolerance) {
      out.push({
        constraint: `product-quota:${problem.products[p]!.id}`,
        used: prodUse[p]!,
        limit: limits.productQuota[p]!,
      });
    }
  }
  if (budget > limits.budgetEUR + tolerance)
    out.push({ constraint: 'budget', used: budget, limit: limits.budgetEUR });
  for (const s of guardedSegments(limits)) {
    const lim = (limits.segmentRatio ?? Infinity) * limits.segmentClientShare[s]! * total;
    if (segUse[s]! > lim + tolerance) {
      out.push({ constraint: `segment-share:${problem.segments[s]}`, used: segUse[s]!, limit: lim });
    }
  }
  return out;
}
