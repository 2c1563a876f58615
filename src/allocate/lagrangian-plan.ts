import { type GlobalRow, globalRows, rowUse } from './global-rows.js';
import { orderByKeyDesc } from './order-by-key.js';
import type { PlanProblem } from './plan-problem.js';
import type { PlanSolution, ShadowPrice } from './plan-solution.js';
import { type IntegralPlan, repairPlan } from './repair-plan.js';

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

/** Largest per-client contact limit solved exactly by search when channels are limited too. */
const EXACT_MAX_K = 4;

/** Scalings of the best-bound prices tried by the final repairs. */
const FINAL_PRICE_SCALES = [1, 1.03, 1.1, 1.25];

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
  const t0 = performance.now();
  const o = { ...DEFAULTS, ...options };
  const { clientStart, actProduct, actChannel, actValue, clientSegment, limits } = problem;
  const n = clientStart.length - 1;
  const A = actValue.length;
  const P = problem.products.length;
  const C = problem.channels.length;
  const S = problem.segments.length;
  const rows = globalRows(problem);
  const R = rows.length;
  const cost = Float64Array.from(problem.channels, (c) => c.costPerContact);
  const ratio = limits.segmentRatio ?? 0;
  const maxPerChannel = problem.clientMaxPerChannel;

  const lambda = new Float64Array(R);
  const scale = new Float64Array(R);
  const chanPen = new Float64Array(C);
  const prodPen = new Float64Array(P);
  const segAdj = new Float64Array(S);
  const reduced = new Float64Array(A);
  const clientOf = new Uint32Array(A);
  const positive = new Uint8Array(A);
  for (let i = 0; i < n; i++) clientOf.fill(i, clientStart[i]!, clientStart[i + 1]!);
  const x = new Uint8Array(A);
  const sums = new Float64Array(2);
  const picked = new Int32Array(A);
  let pickedCount = 0;
  let greedySkipped = false;

  // per-client scratch
  let maxActs = 0;
  for (let i = 0; i < n; i++) maxActs = Math.max(maxActs, clientStart[i + 1]! - clientStart[i]!);
  const order = new Int32Array(maxActs);
  const chanCount = new Int32Array(C);
  const prodUsed = new Uint8Array(P);

  const setPenalties = (): void => {
    chanPen.fill(0);
    prodPen.fill(0);
    segAdj.fill(0);
    let segShift = 0;
    for (let k = 0; k < R; k++) {
      const r = rows[k]!;
      const l = lambda[k]!;
      if (r.kind === 'channel-capacity') chanPen[r.index]! += l;
      else if (r.kind === 'product-quota') prodPen[r.index]! += l;
      else if (r.kind === 'budget') for (let c = 0; c < C; c++) chanPen[c]! += l * cost[c]!;
      else {
        segAdj[r.index]! -= l;
        segShift += l * ratio * limits.segmentClientShare[r.index]!;
      }
    }
    for (let s = 0; s < S; s++) segAdj[s]! += segShift;
  };

  const cum = new Float64Array(maxActs + 1);
  const picks = new Int32Array(maxActs);
  const bestPicks = new Int32Array(maxActs);
  let bestCount = 0;
  let bestSum = 0;

  /** Sorts the client's actions with a positive reduced value into order[0..m), decreasing. */
  const sortPositive = (i: number): number => {
    let m = 0;
    for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
      const r = reduced[a]!;
      if (r <= 0) continue;
      let j = m++;
      while (j > 0 && reduced[order[j - 1]!]! < r) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = a;
    }
    return m;
  };

  /**
   * Greedy in decreasing reduced value: take while positive and allowed. `withProduct` applies
   * one-per-product; `mark` writes the picks into x. Returns the sum taken.
   */
  const greedy = (i: number, m: number, withProduct: boolean, mark: boolean): number => {
    const K = problem.clientMaxTotal[i]!;
    chanCount.fill(0);
    if (withProduct) prodUsed.fill(0);
    let taken = 0;
    let sum = 0;
    greedySkipped = false;
    for (let t = 0; t < m && taken < K; t++) {
      const a = order[t]!;
      const c = actChannel[a]!;
      if (maxPerChannel && chanCount[c]! >= maxPerChannel[i * C + c]!) {
        greedySkipped = true;
        continue;
      }
      if (withProduct) {
        const p = actProduct[a]!;
        if (prodUsed[p]) {
          greedySkipped = true;
          continue;
        }
        prodUsed[p] = 1;
      }
      chanCount[c]!++;
      taken++;
      sum += reduced[a]!;
      if (mark) {
        x[a] = 1;
        picked[pickedCount++] = a;
      }
    }
    return sum;
  };

  /**
   * Exact best subset for a client with per-channel limits and one contact per product (a small
   * bipartite b-matching): depth-first over the sorted actions, pruned by the sum of the next
   * K − taken reduced values. Used when K ≤ EXACT_MAX_K, where it takes a few dozen steps.
   */
  let dfsClient = 0;
  let dfsK = 0;
  let dfsM = 0;
  /** Depth-first search over order[t..m) for client dfsClient, `taken` picked so far summing `cur`. */
  const dfs = (t: number, taken: number, cur: number): void => {
    if (cur > bestSum) {
      bestSum = cur;
      bestCount = taken;
      for (let q = 0; q < taken; q++) bestPicks[q] = picks[q]!;
    }
    if (taken === dfsK) return;
    const need = dfsK - taken;
    for (let u = t; u < dfsM; u++) {
      if (cur + cum[Math.min(dfsM, u + need)]! - cum[u]! <= bestSum) return;
      const a = order[u]!;
      const c = actChannel[a]!;
      const p = actProduct[a]!;
      if (prodUsed[p] || (maxPerChannel && chanCount[c]! >= maxPerChannel[dfsClient * C + c]!)) continue;
      prodUsed[p] = 1;
      chanCount[c]!++;
      picks[taken] = a;
      dfs(u + 1, taken + 1, cur + reduced[a]!);
      prodUsed[p] = 0;
      chanCount[c]!--;
    }
  };
  const exactSubset = (i: number, m: number): number => {
    dfsClient = i;
    dfsM = m;
    dfsK = Math.min(problem.clientMaxTotal[i]!, m);
    cum[0] = 0;
    for (let t = 0; t < m; t++) cum[t + 1] = cum[t]! + reduced[order[t]!]!;
    chanCount.fill(0);
    prodUsed.fill(0);
    bestSum = 0;
    bestCount = 0;
    dfs(0, 0, 0);
    for (let t = 0; t < bestCount; t++) {
      x[bestPicks[t]!] = 1;
      picked[pickedCount++] = bestPicks[t]!;
    }
    return bestSum;
  };

  /** Best subset of client i at the current prices, written into x; returns [primal sum, bound sum]. */
  const solveClient = (i: number, out: Float64Array): void => {
    const m = sortPositive(i);
    if (m === 0) {
      out[0] = 0;
      out[1] = 0;
      return;
    }
    if (!maxPerChannel) {
      out[0] = greedy(i, m, true, true);
      out[1] = out[0]!;
    } else if (problem.clientMaxTotal[i]! <= EXACT_MAX_K) {
      // greedy is optimal when it took the top items without skipping any; search otherwise
      const start = pickedCount;
      out[0] = greedy(i, m, true, true);
      if (greedySkipped) {
        for (let t = start; t < pickedCount; t++) x[picked[t]!] = 0;
        pickedCount = start;
        out[0] = exactSubset(i, m);
      }
      out[1] = out[0]!;
    } else {
      out[0] = greedy(i, m, true, true);
      out[1] = greedy(i, m, false, false);
    }
  };

  const computeReduced = (): void => {
    setPenalties();
    for (let i = 0; i < n; i++) {
      const adj = segAdj[clientSegment[i]!]!;
      for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
        reduced[a] = actValue[a]! - chanPen[actChannel[a]!]! - prodPen[actProduct[a]!]! + adj;
      }
    }
  };

  const chanUse = new Float64Array(C);
  const prodUse = new Float64Array(P);
  const segUse = new Float64Array(S);
  /** Use of each global row by the current subproblem picks (O(picks), not O(actions)). */
  const pickedUse = (): Float64Array => {
    chanUse.fill(0);
    prodUse.fill(0);
    segUse.fill(0);
    let budget = 0;
    for (let t = 0; t < pickedCount; t++) {
      const a = picked[t]!;
      chanUse[actChannel[a]!]!++;
      prodUse[actProduct[a]!]!++;
      budget += cost[actChannel[a]!]!;
      segUse[clientSegment[clientOf[a]!]!]!++;
    }
    return Float64Array.from(rows, (r) => {
      if (r.kind === 'channel-capacity') return chanUse[r.index]!;
      if (r.kind === 'product-quota') return prodUse[r.index]!;
      if (r.kind === 'budget') return budget;
      return segUse[r.index]! - ratio * limits.segmentClientShare[r.index]! * pickedCount;
    });
  };

  let best: IntegralPlan | undefined;
  let bestBound = Infinity;
  let bestLambda = new Float64Array(R);
  let theta = o.theta;
  let sinceBetter = 0;
  let restarted = false;
  let iterations = 0;
  const repair = (): void => {
    // priority: actions worth their prices, best first; then the others, in index order (they only
    // fill slack capacity, where their order matters little, and sorting them too doubles the cost)
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
    const plan = repairPlan(problem, order, clientOf);
    if (best === undefined || plan.value > best.value) best = plan;
  };

  for (let it = 0; it < o.iterations; it++) {
    iterations = it + 1;
    computeReduced();
    for (let t = 0; t < pickedCount; t++) x[picked[t]!] = 0;
    pickedCount = 0;
    let bound = 0;
    for (let i = 0; i < n; i++) {
      solveClient(i, sums);
      bound += sums[1]!;
    }
    for (let k = 0; k < R; k++) bound += lambda[k]! * rows[k]!.rhs;
    if (it === 0) {
      // scales: limits, and for segment rows the contacts the unconstrained plan would give the segment
      const contacts = pickedCount;
      for (let k = 0; k < R; k++) {
        const r = rows[k]!;
        scale[k] =
          r.kind === 'segment-share'
            ? Math.max(1, ratio * limits.segmentClientShare[r.index]! * contacts)
            : Math.max(1, r.rhs);
      }
    }
    if (!Number.isFinite(bestBound) || bound < bestBound - 1e-9 * Math.abs(bestBound)) {
      bestBound = bound;
      bestLambda = lambda.slice();
      sinceBetter = 0;
    } else if (++sinceBetter >= o.patience) {
      // no progress: smaller steps, from the best prices so far
      theta /= 2;
      sinceBetter = 0;
      lambda.set(bestLambda);
      restarted = true;
    }
    // repairs give the Polyak target: often at first, while it is still far off
    if (it % o.repairEvery === 0 || (it < 4 * o.repairEvery && it % 5 === 0)) repair();
    const lower = best?.value ?? 0;
    o.onIteration?.(it, bestBound, lower);
    if (bestBound - lower <= o.tolerance * Math.abs(bestBound) || theta < 1e-6) break;
    if (restarted) {
      restarted = false;
      continue;
    }
    // projected subgradient step on the scaled rows
    const use = pickedUse();
    let norm = 0;
    const g = new Float64Array(R);
    for (let k = 0; k < R; k++) {
      g[k] = (use[k]! - rows[k]!.rhs) / scale[k]!;
      // a row at price 0 that is not used up cannot move
      if (lambda[k] === 0 && g[k]! < 0) g[k] = 0;
      norm += g[k]! * g[k]!;
    }
    if (norm === 0) break;
    const step = (theta * Math.max(bound - lower, 1e-9 * Math.abs(bound))) / norm;
    for (let k = 0; k < R; k++) {
      const scaled = lambda[k]! * scale[k]! + step * g[k]!;
      lambda[k] = Math.max(0, scaled) / scale[k]!;
    }
  }
  // final repairs: at the last prices, then at the prices of the best bound scaled up a little
  // (prices a shade too low let costly actions crowd out the budget or a capacity early on)
  computeReduced();
  repair();
  for (const f of FINAL_PRICE_SCALES) {
    for (let k = 0; k < R; k++) lambda[k] = bestLambda[k]! * f;
    computeReduced();
    repair();
  }
  const plan = best!;
  const planX = plan.selected;
  const used = rowUse(problem, rows, planX);
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
    seconds: (performance.now() - t0) / 1000,
    iterations,
  };
}
