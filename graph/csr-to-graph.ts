import { UndirectedGraph } from 'graphology';
import type { Csr } from './csr.js';

/**
 * An undirected weighted graphology graph from a symmetric CSR: one edge per unordered pair
 * (u < v, plus self-loops), attribute `weight`; duplicate CSR entries of a pair are summed.
 * Node attributes come from `nodeAttributes(u)` when given.
 */
export function csrToGraph(
  csr: Csr,
  nodeAttributes?: (u: number) => Record<string, unknown>,
): UndirectedGraph {
  const graph = new UndirectedGraph({ multi: false, allowSelfLoops: true });
  for (let u = 0; u < csr.nodeCount; u++)
    graph.addNode(csr.nodes[u]!, nodeAttributes ? nodeAttributes(u) : {});
  for (let u = 0; u < csr.nodeCount; u++) {
    const key = csr.nodes[u]!;
    for (let p = csr.offsets[u]!; p < csr.offsets[u + 1]!; p++) {
      const v = csr.targets[p]!;
      if (v < u) continue;
      const other = csr.nodes[v]!;
      const w = csr.weights[p]!;
      const existing = graph.edge(key, other);
      if (existing === undefined) graph.addEdge(key, other, { weight: w });
      else graph.updateEdgeAttribute(existing, 'weight', (x: unknown) => (x as number) + w);
    }
  }
  return graph;
}
