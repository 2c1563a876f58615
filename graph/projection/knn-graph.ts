import { type Csr, csrFromPairs } from '../csr.js';
import { checkNumber, GraphError } from '../graph-error.js';
import type { TopKResult } from '../similarity/top-k.js';

const MODULE = 'graph/projection/knn-graph';

export interface KnnGraphOptions {
  /** Drop neighbours whose similarity is at or below this. */
  readonly minSimilarity: number;
  /** Keys of the rows the top-k indices point into. */
  readonly nodes: readonly string[];
  /** Row of the vectors each query stands for (the `queries` passed to top-k); default 0..q-1. */
  readonly queries?: Int32Array;
}

/**
 * A one-mode kNN graph from top-k neighbours: an undirected edge (q, c) for each kept neighbour,
 * weighted by its cosine similarity; a pair found from both sides keeps the larger weight. Used to
 * find client communities (Louvain on the kNN graph of FastRP embeddings) where the bipartite
 * client–product graph with a dozen products gives poor client communities. Nodes are the vector
 * rows (all of them, isolated ones included), so node u of the CSR is row u.
 */
export function knnGraph(top: TopKResult, options: KnnGraphOptions): Csr {
  const { minSimilarity = 0, nodes } = options;
  checkNumber(MODULE, 'minSimilarity', minSimilarity, -1, 1);
  const queries = options.queries;
  if (queries && queries.length !== top.queryCount)
    throw new GraphError(MODULE, `queries must have ${top.queryCount} rows, got ${queries.length}`);
  const n = nodes.length;
  const best = new Map<number, number>();
  for (let q = 0; q < top.queryCount; q++) {
    const u = queries ? queries[q]! : q;
    if (u >= n) throw new GraphError(MODULE, `query row ${u} is outside the ${n} nodes`);
    for (let j = 0; j < top.k; j++) {
      const v = top.indices[q * top.k + j]!;
      const s = top.scores[q * top.k + j]!;
      if (v < 0 || !(s > minSimilarity) || v === u) continue;
      if (v >= n) throw new GraphError(MODULE, `neighbour row ${v} is outside the ${n} nodes`);
      const key = u < v ? u * n + v : v * n + u;
      const old = best.get(key);
      if (old === undefined || s > old) best.set(key, s);
    }
  }
  return csrFromPairs(n, best, n, nodes);
}
