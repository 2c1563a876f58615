import { guardedSegments } from './global-limits.js';
import type { PlanProblem } from './plan-problem.js';
import type { GlobalConstraintKind } from './plan-solution.js';

/** One global constraint row of the plan: Σ coefficient(a)·x[a] ≤ limit. */
export interface GlobalRow {
  readonly kind: GlobalConstraintKind;
  readonly name: string;
  /** Channel, product or segment index (0 for the budget). */
  readonly index: number;
  /** Right-hand side; 0 for segment rows (their limit moves with the total). */
  readonly rhs: number;
}

/** The finite global rows of a problem, in a fixed order: channels, products, budget, segments. */
export function globalRows(problem: PlanProblem): GlobalRow[] {
  const { limits } = problem;
  const rows: GlobalRow[] = [];
  problem.channels.forEach((ch, c) => {
    const cap = limits.channelCapacity[c]!;
    if (Number.isFinite(cap))
      rows.push({ kind: 'channel-capacity', name: `channel-capacity:${ch.id}`, index: c, rhs: cap });
  });
  problem.products.forEach((pr, p) => {
    const q = limits.productQuota[p]!;
    if (Number.isFinite(q))
      rows.push({ kind: 'product-quota', name: `product-quota:${pr.id}`, index: p, rhs: q });
  });
  if (Number.isFinite(limits.budgetEUR))
    rows.push({ kind: 'budget', name: 'budget', index: 0, rhs: limits.budgetEUR });
  for (const s of guardedSegments(limits)) {
    rows.push({ kind: 'segment-share', name: `segment-share:${problem.segments[s]}`, index: s, rhs: 0 });
  }
  return rows;
}

/** Use of each row by a plan x (segment rows: contacts of s − ratio·share_s·all contacts). */
export function rowUse(problem: PlanProblem, rows: readonly GlobalRow[], x: ArrayLike<number>): Float64Array {
  const { clientStart, actChannel, actProduct, clientSegment, limits } = problem;
  const C = problem.channels.length;
  const chan = new Float64Array(C);
  const prod = new Float64Array(problem.products.length);
  const seg = new Float64Array(problem.segments.length);
  let budget = 0;
  let total = 0;
  const n = clientStart.length - 1;
  for (let i = 0; i < n; i++) {
    for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
      const v = x[a]!;
      if (v === 0) continue;
      chan[actChannel[a]!]! += v;
      prod[actProduct[a]!]! += v;
      budget += v * problem.channels[actChannel[a]!]!.costPerContact;
      seg[clientSegment[i]!]! += v;
      total += v;
    }
  }
  const ratio = limits.segmentRatio ?? 0;
  return Float64Array.from(rows, (r) => {
    switch (r.kind) {
      case 'channel-capacity':
        return chan[r.index]!;
      case 'product-quota':
        return prod[r.index]!;
      case 'budget':
        return budget;
      case 'segment-share':
        return seg[r.index]! - ratio * limits.segmentClientShare[r.index]! * total;
    }
  });
}
