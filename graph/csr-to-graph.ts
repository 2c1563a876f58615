import { UndirectedGraph } from 'graphology';
import type { Csr } from './csr.js';

/**
 * An undirected weighted graphology graph from a symmetric CSR: one edge per unordered pair
 * (u < v, plus self-loops), attribute `weight`; duplicate CSR entries of a pair are summed.
 * Edge keys are '0', '1', ... in order of (u, first appearance of v). Node attributes come from
 * `nodeAttributes(u)` when given.
 */
export function csrToGraph(
  csr: Csr,
  nodeAttributes?: (u: number) => Record<string, unknown>,
): UndirectedGraph {
  const graph = new UndirectedGraph({ multi: false, allowSelfLoops: true });
  for (let u = 0; u < csr.nodeCount; u++)
    graph.addNode(csr.nodes[u]!, nodeAttributes ? nodeAttributes(u) : {});
  // Sum duplicate entries of a pair in a dense scratch row (touched entries reset after each node),
  // so that each pair is added once without looking edges up in graphology.
  const sum = new Float64Array(csr.nodeCount);
  const seen = new Uint8Array(csr.nodeCount);
  const touched = new Int32Array(csr.nodeCount);
  let edgeKey = 0;
  for (let u = 0; u < csr.nodeCount; u++) {
    const key = csr.nodes[u]!;
    let t = 0;
    for (let p = csr.offsets[u]!; p < csr.offsets[u + 1]!; p++) {
      const v = csr.targets[p]!;
      if (v < u) continue;
      if (!seen[v]) {
        seen[v] = 1;
        touched[t++] = v;
      }
      sum[v]! += csr.weights[p]!;
    }
    for (let i = 0; i < t; i++) {
      const v = touched[i]!;
      // An explicit key (the edge's rank) is about twice as fast as graphology's generated keys.
      graph.addEdgeWithKey(edgeKey++, key, csr.nodes[v]!, { weight: sum[v]! });
      sum[v] = 0;
      seen[v] = 0;
    }
  }
  return graph;
}
