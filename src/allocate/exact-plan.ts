import { ErrorCode, NbgError } from '../errors.js';
import { stopwatch } from '../stopwatch.js';
import { globalRows, rowUse } from './global-rows.js';
import { loadHighs } from './load-highs.js';
import { orderByKeyDesc } from './order-by-key.js';
import type { PlanProblem } from './plan-problem.js';
import type { PlanSolution, ShadowPrice } from './plan-solution.js';
import { repairPlan } from './repair-plan.js';

export interface ExactOptions {
  /** HiGHS time limit, seconds. */
  readonly timeLimitSeconds?: number;
  /** HiGHS LP algorithm: 'choose', 'simplex', 'ipm' or 'pdlp'. */
  readonly algorithm?: 'choose' | 'simplex' | 'ipm' | 'pdlp';
}

const DEFAULTS = { timeLimitSeconds: 600, algorithm: 'choose' } as const;

/** The LP handed to HiGHS, in column-compressed form, and what its rows mean. */
export interface PlanLp {
  readonly numCols: number;
  readonly numRows: number;
  readonly rowUpper: Float64Array;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  /** Row names (client rows first, then the global ones). */
  readonly rowNames: string[];
  /** Index of the first global row. */
  readonly firstGlobalRow: number;
}

/**
 * The LP relaxation of the plan: max Σ v_a x_a, 0 ≤ x ≤ 1, with one row per client total (when it
 * can bind), per client and channel (when limited), per client and product (when the product has
 * two channels or more), then the global rows (channel capacity, quota, budget, segment guard with
 * coefficients 1[seg = s] − ratio·share_s).
 */
export function buildPlanLp(problem: PlanProblem): PlanLp {
  const { clientStart, actProduct, actChannel, clientSegment, limits } = problem;
  const n = clientStart.length - 1;
  const A = problem.actValue.length;
  const P = problem.products.length;
  const C = problem.channels.length;
  const rowUpper: number[] = [];
  const rowNames: string[] = [];
  // per action: its client rows (total, channel, product), -1 when absent
  const rTotal = new Int32Array(A).fill(-1);
  const rChan = new Int32Array(A).fill(-1);
  const rProd = new Int32Array(A).fill(-1);
  const chanRow = new Int32Array(C);
  const prodRow = new Int32Array(P);
  const chanCount = new Int32Array(C);
  const prodCount = new Int32Array(P);
  for (let i = 0; i < n; i++) {
    const s = clientStart[i]!;
    const e = clientStart[i + 1]!;
    if (e === s) continue;
    const id = problem.clientIds[i];
    chanCount.fill(0);
    prodCount.fill(0);
    for (let a = s; a < e; a++) {
      chanCount[actChannel[a]!]!++;
      prodCount[actProduct[a]!]!++;
    }
    const K = problem.clientMaxTotal[i]!;
    let total = -1;
    if (K < e - s) {
      total = rowUpper.length;
      rowUpper.push(K);
      rowNames.push(`client-total:${id}`);
    }
    chanRow.fill(-1);
    for (let c = 0; c < C; c++) {
      const lim = problem.clientMaxPerChannel?.[i * C + c];
      if (lim !== undefined && lim < Math.min(K, chanCount[c]!)) {
        chanRow[c] = rowUpper.length;
        rowUpper.push(lim);
        rowNames.push(`client-channel:${id}:${problem.channels[c]!.id}`);
      }
    }
    prodRow.fill(-1);
    for (let p = 0; p < P; p++) {
      if (prodCount[p]! > 1 && K > 1) {
        prodRow[p] = rowUpper.length;
        rowUpper.push(1);
        rowNames.push(`client-product:${id}:${problem.products[p]!.id}`);
      }
    }
    for (let a = s; a < e; a++) {
      rTotal[a] = total;
      rChan[a] = chanRow[actChannel[a]!]!;
      rProd[a] = prodRow[actProduct[a]!]!;
    }
  }
  const firstGlobalRow = rowUpper.length;
  const rows = globalRows(problem);
  const gChan = new Int32Array(C).fill(-1);
  const gProd = new Int32Array(P).fill(-1);
  let gBudget = -1;
  const gSeg: { row: number; s: number }[] = [];
  rows.forEach((r, k) => {
    const row = firstGlobalRow + k;
    if (r.kind === 'channel-capacity') gChan[r.index] = row;
    else if (r.kind === 'product-quota') gProd[r.index] = row;
    else if (r.kind === 'budget') gBudget = row;
    else gSeg.push({ row, s: r.index });
    rowUpper.push(r.rhs);
    rowNames.push(r.name);
  });
  const ratio = limits.segmentRatio ?? 0;
  // column-compressed matrix
  const starts = new Int32Array(A + 1);
  const perCol = 6 + gSeg.length;
  const indices = new Int32Array(A * perCol);
  const values = new Float64Array(A * perCol);
  let nz = 0;
  const put = (row: number, v: number): void => {
    if (row < 0 || v === 0) return;
    indices[nz] = row;
    values[nz++] = v;
  };
  for (let i = 0; i < n; i++) {
    for (let a = clientStart[i]!; a < clientStart[i + 1]!; a++) {
      starts[a] = nz;
      put(rTotal[a]!, 1);
      put(rChan[a]!, 1);
      put(rProd[a]!, 1);
      put(gChan[actChannel[a]!]!, 1);
      put(gProd[actProduct[a]!]!, 1);
      put(gBudget, problem.channels[actChannel[a]!]!.costPerContact);
      for (const { row, s } of gSeg)
        put(row, (clientSegment[i] === s ? 1 : 0) - ratio * limits.segmentClientShare[s]!);
    }
  }
  starts[A] = nz;
  return {
    numCols: A,
    numRows: rowUpper.length,
    rowUpper: Float64Array.from(rowUpper),
    starts,
    indices: indices.slice(0, nz),
    values: values.slice(0, nz),
    rowNames,
    firstGlobalRow,
  };
}

/**
 * Exact batch allocation: solves the LP relaxation with HiGHS (Huangfu & Hall 2018, dual revised
 * simplex; or its interior point), reads the row duals of the global rows as shadow prices (EUR per
 * unit of limit), then rounds: actions in decreasing LP value x_a (ties: value v_a) feed repairPlan,
 * which keeps every x_a = 1 that still fits and fills with the fractional ones. The rounding loss is
 * LP optimum − plan value (reported as the gap); with one fractional variable per binding global
 * row at a basic optimum, it is small when there are many clients.
 */
export async function exactPlan(problem: PlanProblem, options: ExactOptions = {}): Promise<PlanSolution> {
  const sw = stopwatch();
  const o = { ...DEFAULTS, ...options };
  const highs = await loadHighs();
  const lp = buildPlanLp(problem);
  const A = lp.numCols;
  if (lp.numRows === 0 || A === 0) {
    // nothing constrains the candidates (HiGHS reports such a model as empty): take them all
    const plan = repairPlan(problem, orderByKeyDesc(problem.actValue));
    return {
      solver: 'exact',
      plan,
      upperBound: plan.value,
      gap: 0,
      shadowPrices: [],
      seconds: sw.seconds(),
      iterations: 0,
    };
  }
  const model = highs.createModel({
    numCols: A,
    numRows: lp.numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: problem.actValue,
    colLower: new Float64Array(A),
    colUpper: new Float64Array(A).fill(1),
    rowLower: new Float64Array(lp.numRows).fill(-highs.infinity),
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csc',
      numRows: lp.numRows,
      numCols: A,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
  });
  try {
    model.options.set({ output_flag: false, time_limit: o.timeLimitSeconds, solver: o.algorithm });
    model.run();
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal) {
      const names: Record<number, string> = Object.fromEntries(
        Object.entries(highs.constants.modelStatus).map(([k, v]) => [v, k]),
      );
      throw new NbgError(
        status === highs.constants.modelStatus.infeasible ? ErrorCode.INFEASIBLE : ErrorCode.INTERNAL,
        `allocate/exact-plan: HiGHS ended with status ${names[status] ?? status} on ${A} variables and ${lp.numRows} rows (time limit ${o.timeLimitSeconds} s)`,
        { hint: 'try --solver lagrangian, which scales to millions of clients' },
      );
    }
    const lpValue = model.getObjectiveValue();
    const sol = model.getSolution();
    const keys = new Float64Array(A);
    let vmax = 0;
    for (let a = 0; a < A; a++) vmax = Math.max(vmax, problem.actValue[a]!);
    for (let a = 0; a < A; a++)
      keys[a] = Math.round(sol.colValue[a]! * 1e6) / 1e6 + (1e-7 * problem.actValue[a]!) / (vmax || 1);
    const plan = repairPlan(problem, orderByKeyDesc(keys));
    const rows = globalRows(problem);
    const used = rowUse(problem, rows, plan.selected);
    const lpUse = rowUse(problem, rows, sol.colValue);
    const shadowPrices: ShadowPrice[] = rows.map((r, k) => {
      const price = Math.max(0, sol.rowDual[lp.firstGlobalRow + k]!);
      return {
        constraint: r.name,
        kind: r.kind,
        used: used[k]!,
        limit: r.rhs,
        price,
        binding: price > 1e-9 && lpUse[k]! >= r.rhs - 1e-6 * Math.max(1, Math.abs(r.rhs)),
      };
    });
    return {
      solver: 'exact',
      plan,
      upperBound: lpValue,
      gap: lpValue > 0 ? (lpValue - plan.value) / lpValue : 0,
      shadowPrices,
      seconds: sw.seconds(),
      iterations: Number(model.info.get('simplex_iteration_count')),
    };
  } finally {
    model.dispose();
  }
}
