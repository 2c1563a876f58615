import type { GlobalRow } from '../global-rows.js';
import type { PlanProblem } from '../plan-problem.js';

/**
 * The prices λ ≥ 0 on the global rows and the reduced value they leave each action:
 *   r_a = v_a − Σ_k λ_k A_ka = v_a − chanPen[c] − prodPen[p] + segAdj[s],
 * where a channel pays its capacity price plus budget price × cost per contact, a product its quota
 * price, and segment s gets Σ_k λ_k ratio·share_k (every contact loosens each guard) − λ_s.
 */
export class Prices {
  /** λ_k, one per global row (indexed like `rows`). */
  readonly lambda: Float64Array;
  /** r_a, one per action, after `reprice()`. */
  readonly reduced: Float64Array;
  private readonly chanPen: Float64Array;
  private readonly prodPen: Float64Array;
  private readonly segAdj: Float64Array;
  private readonly cost: Float64Array;

  constructor(
    private readonly problem: PlanProblem,
    private readonly rows: readonly GlobalRow[],
  ) {
    this.lambda = new Float64Array(rows.length);
    this.reduced = new Float64Array(problem.actValue.length);
    this.chanPen = new Float64Array(problem.channels.length);
    this.prodPen = new Float64Array(problem.products.length);
    this.segAdj = new Float64Array(problem.segments.length);
    this.cost = Float64Array.from(problem.channels, (c) => c.costPerContact);
  }

  /** Recomputes every reduced value from the current λ. O(actions). */
  reprice(): void {
    this.setPenalties();
    const { clientStart, actProduct, actChannel, actValue, clientSegment } = this.problem;
    const { reduced, chanPen, prodPen, segAdj } = this;
    const n = clientStart.length - 1;
    for (let i = 0; i < n; i++) {
      const adj = segAdj[clientSegment[i]!]!;
      for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
        reduced[a] = actValue[a]! - chanPen[actChannel[a]!]! - prodPen[actProduct[a]!]! + adj;
      }
    }
  }

  private setPenalties(): void {
    const { rows, lambda, chanPen, prodPen, segAdj, cost } = this;
    const { limits } = this.problem;
    const ratio = limits.segmentRatio ?? 0;
    const C = chanPen.length;
    chanPen.fill(0);
    prodPen.fill(0);
    segAdj.fill(0);
    let segShift = 0;
    for (let k = 0; k < rows.length; k++) {
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
    for (let s = 0; s < segAdj.length; s++) segAdj[s]! += segShift;
  }
}
