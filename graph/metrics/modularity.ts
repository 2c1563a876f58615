import type { Csr } from '../csr.js';
import { checkNumber, GraphError } from '../graph-error.js';

const MODULE = 'graph/metrics/modularity';

/**
 * Weighted modularity of a partition on a symmetric CSR (Newman 2006, with resolution gamma):
 *   Q = sum_c [ W_c / 2m - gamma (K_c / 2m)^2 ],
 * W_c the sum of CSR weights inside c (each undirected edge counted twice), K_c the sum of
 * weighted degrees in c, 2m the total CSR weight. Shapes: partition Int32Array(n) of ids >= 0.
 */
export function modularity(csr: Csr, partition: ArrayLike<number>, resolution = 1): number {
  checkNumber(MODULE, 'resolution', resolution, 0, 1e6);
  if (partition.length !== csr.nodeCount)
    throw new GraphError(
      MODULE,
      `partition must have one entry per node (${csr.nodeCount}), got ${partition.length}`,
    );
  const inside = new Map<number, number>();
  const total = new Map<number, number>();
  let twoM = 0;
  for (let u = 0; u < csr.nodeCount; u++) {
    const cu = partition[u]!;
    for (let p = csr.offsets[u]!; p < csr.offsets[u + 1]!; p++) {
      const w = csr.weights[p]!;
      twoM += w;
      total.set(cu, (total.get(cu) ?? 0) + w);
      if (partition[csr.targets[p]!] === cu) inside.set(cu, (inside.get(cu) ?? 0) + w);
    }
  }
  if (twoM === 0) throw new GraphError(MODULE, 'graph has no edge weight');
  let q = 0;
  for (const [c, k] of total) q += (inside.get(c) ?? 0) / twoM - resolution * (k / twoM) ** 2;
  return q;
}
