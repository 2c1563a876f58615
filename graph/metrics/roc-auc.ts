import { GraphError } from '../graph-error.js';

const MODULE = 'graph/metrics/roc-auc';

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (Mann-Whitney U / (P N)), by one sort: O(n log n).
 * Shapes: scores and labels of equal length; labels 1 positive, 0 negative.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n)
    throw new GraphError(
      MODULE,
      `scores and labels must have the same length, got ${n} and ${labels.length}`,
    );
  const order = new Int32Array(n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const l = labels[i];
    if (l !== 0 && l !== 1) throw new GraphError(MODULE, `labels[${i}] must be 0 or 1, got ${l}`);
    if (!Number.isFinite(scores[i]!))
      throw new GraphError(MODULE, `scores[${i}] must be finite, got ${scores[i]}`);
    pos += l;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0)
    throw new GraphError(MODULE, `need positives and negatives, got ${pos} and ${neg}`);
  order.sort((x, y) => scores[x]! - scores[y]!);
  // Sum of the (mid-)ranks of the positives.
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (labels[order[t]!] === 1) rankSum += mid;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
