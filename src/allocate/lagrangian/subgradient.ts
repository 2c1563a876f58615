import type { GlobalRow } from '../global-rows.js';
import type { PlanProblem } from '../plan-problem.js';

/**
 * The scale of each row, for the subgradient steps: its limit, and for a segment row the contacts
 * the unconstrained plan (`contacts`, the picks at zero prices) would give the segment; at least 1.
 */
export function rowScales(problem: PlanProblem, rows: readonly GlobalRow[], contacts: number): Float64Array {
  const { limits } = problem;
  const ratio = limits.segmentRatio ?? 0;
  return Float64Array.from(rows, (r) =>
    r.kind === 'segment-share'
      ? Math.max(1, ratio * limits.segmentClientShare[r.index]! * contacts)
      : Math.max(1, r.rhs),
  );
}

/**
 * Use of each global row by the subproblem picks `picked[0..count)` (O(picks), not O(actions));
 * segment rows: contacts of s − ratio·share_s·all contacts. `clientOf[a]` is the client of action a.
 */
export function pickedRowUse(
  problem: PlanProblem,
  rows: readonly GlobalRow[],
  clientOf: Uint32Array,
  picked: Int32Array,
  count: number,
): Float64Array {
  const { actProduct, actChannel, clientSegment, limits } = problem;
  const ratio = limits.segmentRatio ?? 0;
  const chanUse = new Float64Array(problem.channels.length);
  const prodUse = new Float64Array(problem.products.length);
  const segUse = new Float64Array(problem.segments.length);
  let budget = 0;
  for (let t = 0; t < count; t++) {
    const a = picked[t]!;
    chanUse[actChannel[a]!]!++;
    prodUse[actProduct[a]!]!++;
    budget += problem.channels[actChannel[a]!]!.costPerContact;
    segUse[clientSegment[clientOf[a]!]!]!++;
  }
  return Float64Array.from(rows, (r) => {
    if (r.kind === 'channel-capacity') return chanUse[r.index]!;
    if (r.kind === 'product-quota') return prodUse[r.index]!;
    if (r.kind === 'budget') return budget;
    return segUse[r.index]! - ratio * limits.segmentClientShare[r.index]! * count;
  });
}

/**
 * One projected subgradient step on the rows scaled by `scale`: g_k = (use_k − b_k) / scale_k (0 for
 * a row at price 0 that is not used up: it cannot move), Polyak size θ·max(L − lower, 1e-9·|L|)/‖g‖²,
 * λ_k ← max(0, λ_k·scale_k + step·g_k) / scale_k. Returns false, leaving λ alone, when g = 0.
 */
export function subgradientStep(
  lambda: Float64Array,
  scale: Float64Array,
  rows: readonly GlobalRow[],
  use: Float64Array,
  theta: number,
  bound: number,
  lower: number,
): boolean {
  const R = rows.length;
  let norm = 0;
  const g = new Float64Array(R);
  for (let k = 0; k < R; k++) {
    g[k] = (use[k]! - rows[k]!.rhs) / scale[k]!;
    if (lambda[k] === 0 && g[k]! < 0) g[k] = 0;
    norm += g[k]! * g[k]!;
  }
  if (norm === 0) return false;
  const step = (theta * Math.max(bound - lower, 1e-9 * Math.abs(bound))) / norm;
  for (let k = 0; k < R; k++) {
    const scaled = lambda[k]! * scale[k]! + step * g[k]!;
    lambda[k] = Math.max(0, scaled) / scale[k]!;
  }
  return true;
}
