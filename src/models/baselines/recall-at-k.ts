/**
 * Recall@k of held-out items, the measure `implicit`'s ranking_metrics_at_k reports as precision
 * (Hu et al. 2008 evaluate the same way): hide a share of each user's items, score every item the
 * user does not keep in training, and count
 *
 *   recall@k = (1/|U|) Σ_u |top_k(u) ∩ test(u)| / min(k, |test(u)|)
 *
 * over the users U with at least one hidden item; items kept in training are never ranked.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import { createRng } from '../../rng.js';
import type { SparseRows } from './implicit-als.js';

function fromLists(nCols: number, lists: number[][], values: number[][]): SparseRows {
  const indptr = new Int32Array(lists.length + 1);
  lists.forEach((l, r) => {
    indptr[r + 1] = (indptr[r] as number) + l.length;
  });
  return {
    nRows: lists.length,
    nCols,
    indptr,
    indices: Int32Array.from(lists.flat()),
    values: Float32Array.from(values.flat()),
  };
}

/**
 * Hides each entry with probability `share` (seeded), but never a user's last one: a user keeps at
 * least one item to be scored from.
 */
export function splitHeldOut(
  m: SparseRows,
  share: number,
  seed: number,
): { train: SparseRows; test: SparseRows } {
  if (!(share > 0 && share < 1))
    throw new NbgError(ErrorCode.BAD_CONFIG, `models/recall-at-k: share must be in (0, 1), got ${share}`);
  const rng = createRng(seed).fork('held-out-split');
  const trainL: number[][] = [];
  const trainV: number[][] = [];
  const testL: number[][] = [];
  const testV: number[][] = [];
  for (let u = 0; u < m.nRows; u++) {
    const a: number[] = [];
    const av: number[] = [];
    const b: number[] = [];
    const bv: number[] = [];
    for (let k = m.indptr[u] as number; k < (m.indptr[u + 1] as number); k++) {
      const hide = rng.next() < share;
      (hide ? b : a).push(m.indices[k] as number);
      (hide ? bv : av).push(m.values[k] as number);
    }
    if (a.length === 0 && b.length > 0) {
      a.push(b.pop() as number);
      av.push(bv.pop() as number);
    }
    trainL.push(a);
    trainV.push(av);
    testL.push(b);
    testV.push(bv);
  }
  return { train: fromLists(m.nCols, trainL, trainV), test: fromLists(m.nCols, testL, testV) };
}

/** recall@k (see above); `score(u, out)` fills out (length nCols) with user u's item scores. */
export function recallAtK(
  train: SparseRows,
  test: SparseRows,
  score: (user: number, out: Float32Array) => void,
  k = 10,
): number {
  if (train.nRows !== test.nRows || train.nCols !== test.nCols)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `models/recall-at-k: train is ${train.nRows} × ${train.nCols}, test ${test.nRows} × ${test.nCols}: shapes must agree`,
    );
  const s = new Float32Array(train.nCols);
  const kept = new Uint8Array(train.nCols);
  let total = 0;
  let users = 0;
  for (let u = 0; u < test.nRows; u++) {
    const t0 = test.indptr[u] as number;
    const t1 = test.indptr[u + 1] as number;
    if (t1 === t0) continue;
    score(u, s);
    kept.fill(0);
    for (let q = train.indptr[u] as number; q < (train.indptr[u + 1] as number); q++)
      kept[train.indices[q] as number] = 1;
    const ranked: number[] = [];
    for (let j = 0; j < train.nCols; j++) if (kept[j] === 0) ranked.push(j);
    // ties break by the lower item index, so the figure is deterministic
    ranked.sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
    const top = new Set(ranked.slice(0, k));
    let hits = 0;
    for (let q = t0; q < t1; q++) if (top.has(test.indices[q] as number)) hits++;
    total += hits / Math.min(k, t1 - t0);
    users++;
  }
  return users > 0 ? total / users : Number.NaN;
}
