import type { PlanProblem } from '../plan-problem.js';

/** Largest per-client contact limit solved exactly by search when channels are limited too. */
const EXACT_MAX_K = 4;

/**
 * The inner maximisation of the Lagrangian, client by client: at reduced values r,
 *   max Σ_a r_a x_a over x_i ∈ X_i = {total ≤ K_i, per channel ≤ k_ic, one per product}.
 * Greedy on the positive reduced values is exact for {total, one per product} (a laminar matroid);
 * with per-channel limits too, a pruned depth-first search solves it exactly when K_i ≤ 4. Above,
 * greedy gives the picks (the primal side) and the bound drops the product constraint (still
 * laminar, still a valid upper bound). The picks of the last `solveAll` stay in
 * `picked[0..pickedCount)`: they give the subgradient.
 */
export class ClientSubproblems {
  /** Actions picked by the last `solveAll`, client by client. */
  readonly picked: Int32Array;
  pickedCount = 0;
  // per-client scratch, sized for the client with the most actions
  private readonly order: Int32Array;
  private readonly chanCount: Int32Array;
  private readonly prodUsed: Uint8Array;
  private readonly cum: Float64Array;
  private readonly picks: Int32Array;
  private readonly bestPicks: Int32Array;
  private greedySkipped = false;
  // the search's client, its contact limit, its positive actions, and its best subset so far
  private dfsClient = 0;
  private dfsK = 0;
  private dfsM = 0;
  private bestCount = 0;
  private bestSum = 0;

  constructor(
    private readonly problem: PlanProblem,
    private readonly reduced: Float64Array,
  ) {
    const { clientStart } = problem;
    const n = clientStart.length - 1;
    let maxActs = 0;
    for (let i = 0; i < n; i++) maxActs = Math.max(maxActs, clientStart[i + 1]! - clientStart[i]!);
    this.picked = new Int32Array(problem.actValue.length);
    this.order = new Int32Array(maxActs);
    this.chanCount = new Int32Array(problem.channels.length);
    this.prodUsed = new Uint8Array(problem.products.length);
    this.cum = new Float64Array(maxActs + 1);
    this.picks = new Int32Array(maxActs);
    this.bestPicks = new Int32Array(maxActs);
  }

  /** Solves every client at the current reduced values; returns Σ_i of their optima (the bound's client part). */
  solveAll(): number {
    this.pickedCount = 0;
    const n = this.problem.clientStart.length - 1;
    let bound = 0;
    for (let i = 0; i < n; i++) bound += this.solveClient(i);
    return bound;
  }

  /** Best subset of client i at the current prices, appended to `picked`; returns its bound share. */
  private solveClient(i: number): number {
    const m = this.sortPositive(i);
    if (m === 0) return 0;
    if (!this.problem.clientMaxPerChannel) return this.greedy(i, m, true, true);
    if (this.problem.clientMaxTotal[i]! <= EXACT_MAX_K) {
      // greedy is optimal when it took the top items without skipping any; search otherwise
      const start = this.pickedCount;
      const sum = this.greedy(i, m, true, true);
      if (!this.greedySkipped) return sum;
      this.pickedCount = start;
      return this.exactSubset(i, m);
    }
    this.greedy(i, m, true, true);
    return this.greedy(i, m, false, false);
  }

  /** Sorts the client's actions with a positive reduced value into order[0..m), decreasing. */
  private sortPositive(i: number): number {
    const { clientStart } = this.problem;
    const { reduced, order } = this;
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
  }

  /**
   * Greedy in decreasing reduced value: take while positive and allowed. `withProduct` applies
   * one-per-product; `mark` appends the picks to `picked`. Returns the sum taken.
   */
  private greedy(i: number, m: number, withProduct: boolean, mark: boolean): number {
    const { actProduct, actChannel, clientMaxPerChannel: maxPerChannel } = this.problem;
    const { reduced, order, chanCount, prodUsed, picked } = this;
    const C = chanCount.length;
    const K = this.problem.clientMaxTotal[i]!;
    chanCount.fill(0);
    if (withProduct) prodUsed.fill(0);
    let taken = 0;
    let sum = 0;
    this.greedySkipped = false;
    for (let t = 0; t < m && taken < K; t++) {
      const a = order[t]!;
      const c = actChannel[a]!;
      if (maxPerChannel && chanCount[c]! >= maxPerChannel[i * C + c]!) {
        this.greedySkipped = true;
        continue;
      }
      if (withProduct) {
        const p = actProduct[a]!;
        if (prodUsed[p]) {
          this.greedySkipped = true;
          continue;
        }
        prodUsed[p] = 1;
      }
      chanCount[c]!++;
      taken++;
      sum += reduced[a]!;
      if (mark) picked[this.pickedCount++] = a;
    }
    return sum;
  }

  /**
   * Exact best subset for a client with per-channel limits and one contact per product (a small
   * bipartite b-matching): depth-first over the sorted actions, pruned by the sum of the next
   * K − taken reduced values. Used when K ≤ EXACT_MAX_K, where it takes a few dozen steps.
   */
  private exactSubset(i: number, m: number): number {
    const { cum, order, reduced } = this;
    this.dfsClient = i;
    this.dfsM = m;
    this.dfsK = Math.min(this.problem.clientMaxTotal[i]!, m);
    cum[0] = 0;
    for (let t = 0; t < m; t++) cum[t + 1] = cum[t]! + reduced[order[t]!]!;
    this.chanCount.fill(0);
    this.prodUsed.fill(0);
    this.bestSum = 0;
    this.bestCount = 0;
    this.dfs(0, 0, 0);
    for (let t = 0; t < this.bestCount; t++) this.picked[this.pickedCount++] = this.bestPicks[t]!;
    return this.bestSum;
  }

  /** Depth-first search over order[t..m) for client dfsClient, `taken` picked so far summing `cur`. */
  private dfs(t: number, taken: number, cur: number): void {
    const { actProduct, actChannel, clientMaxPerChannel: maxPerChannel } = this.problem;
    const { cum, order, reduced, chanCount, prodUsed, picks, dfsM, dfsK } = this;
    const C = chanCount.length;
    if (cur > this.bestSum) {
      this.bestSum = cur;
      this.bestCount = taken;
      for (let q = 0; q < taken; q++) this.bestPicks[q] = picks[q]!;
    }
    if (taken === dfsK) return;
    const need = dfsK - taken;
    for (let u = t; u < dfsM; u++) {
      if (cur + cum[Math.min(dfsM, u + need)]! - cum[u]! <= this.bestSum) return;
      const a = order[u]!;
      const c = actChannel[a]!;
      const p = actProduct[a]!;
      if (prodUsed[p] || (maxPerChannel && chanCount[c]! >= maxPerChannel[this.dfsClient * C + c]!)) continue;
      prodUsed[p] = 1;
      chanCount[c]!++;
      picks[taken] = a;
      this.dfs(u + 1, taken + 1, cur + reduced[a]!);
      prodUsed[p] = 0;
      chanCount[c]!--;
    }
  }
}
