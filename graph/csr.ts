import type { AbstractGraph, Attributes } from 'graphology-types';
import { GraphError } from './graph-error.js';

const MODULE = 'graph/csr';

/**
 * Compressed sparse row neighbour index: the neighbours of node `u` are
 * `targets[offsets[u] .. offsets[u + 1])` with the matching `weights`. Undirected edges are stored
 * in both directions. Shapes: offsets Int32Array(n + 1), targets Int32Array(m), weights Float32Array(m).
 * `nodes[u]` is the key of node u (the graphology key when built from a graph).
 */
export interface Csr {
  readonly nodeCount: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float32Array;
  readonly nodes: readonly string[];
}

export interface CsrFromEdgesOptions {
  /** Store each edge (s, t) also as (t, s). Default true (undirected). */
  readonly symmetric?: boolean;
  /** Node keys, length nodeCount. Default: '0', '1', ... */
  readonly nodes?: readonly string[];
}

const EDGE_DEFAULTS = { symmetric: true } as const;

/**
 * Builds a CSR from parallel edge arrays (counting sort by source: O(n + m), no per-edge objects).
 * Self-loops are kept once. Duplicate edges are kept as separate entries (their weights add up in
 * every algorithm that sums over neighbours).
 */
export function csrFromEdges(
  nodeCount: number,
  sources: ArrayLike<number>,
  targets: ArrayLike<number>,
  weights?: ArrayLike<number>,
  options: CsrFromEdgesOptions = {},
): Csr {
  const symmetric = options.symmetric ?? EDGE_DEFAULTS.symmetric;
  if (!Number.isInteger(nodeCount) || nodeCount < 0)
    throw new GraphError(MODULE, `nodeCount must be a non-negative integer, got ${nodeCount}`);
  const m = sources.length;
  if (targets.length !== m)
    throw new GraphError(
      MODULE,
      `sources and targets must have the same length, got ${m} and ${targets.length}`,
    );
  if (weights && weights.length !== m)
    throw new GraphError(MODULE, `weights must have one entry per edge (${m}), got ${weights.length}`);
  if (options.nodes && options.nodes.length !== nodeCount)
    throw new GraphError(
      MODULE,
      `nodes must have nodeCount (${nodeCount}) keys, got ${options.nodes.length}`,
    );
  const degree = new Int32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) {
    const s = sources[e]!;
    const t = targets[e]!;
    if (
      !(s >= 0 && s < nodeCount && Number.isInteger(s)) ||
      !(t >= 0 && t < nodeCount && Number.isInteger(t))
    )
      throw new GraphError(MODULE, `edge ${e} (${s}, ${t}) has an endpoint outside [0, ${nodeCount})`);
    degree[s + 1]!++;
    if (symmetric && s !== t) degree[t + 1]!++;
  }
  const offsets = new Int32Array(nodeCount + 1);
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] = offsets[u]! + degree[u + 1]!;
  const total = offsets[nodeCount]!;
  const outTargets = new Int32Array(total);
  const outWeights = new Float32Array(total);
  const cursor = offsets.slice(0, nodeCount);
  for (let e = 0; e < m; e++) {
    const s = sources[e]!;
    const t = targets[e]!;
    const w = weights ? weights[e]! : 1;
    let p = cursor[s]!++;
    outTargets[p] = t;
    outWeights[p] = w;
    if (symmetric && s !== t) {
      p = cursor[t]!++;
      outTargets[p] = s;
      outWeights[p] = w;
    }
  }
  const nodes = options.nodes ?? Array.from({ length: nodeCount }, (_, i) => String(i));
  return { nodeCount, offsets, targets: outTargets, weights: outWeights, nodes };
}

/**
 * An undirected CSR from a Map of node pairs to weights, each pair keyed lo·base + hi with lo ≤ hi and
 * base above every node index: how the projection builder and the kNN graph collect their edges
 * without duplicates. Edges keep the Map's order; weights become Float32.
 */
export function csrFromPairs(
  nodeCount: number,
  pairs: ReadonlyMap<number, number>,
  base: number,
  nodes?: readonly string[],
): Csr {
  const m = pairs.size;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const w = new Float32Array(m);
  let e = 0;
  for (const [key, weight] of pairs) {
    const lo = Math.floor(key / base);
    src[e] = lo;
    dst[e] = key - lo * base;
    w[e] = weight;
    e++;
  }
  return csrFromEdges(nodeCount, src, dst, w, { symmetric: true, ...(nodes ? { nodes } : {}) });
}

export interface CsrFromGraphOptions {
  /** Edge attribute holding the weight; missing or non-numeric weights count as 1. Default 'weight'. */
  readonly weightAttribute?: string;
}

/**
 * Builds a CSR from a graphology graph, nodes in the graph's iteration order. Every edge is stored
 * in both directions (the graph is read as undirected).
 */
export function csrFromGraph(
  graph: AbstractGraph<Attributes, Attributes>,
  options: CsrFromGraphOptions = {},
): Csr {
  const attr = options.weightAttribute ?? 'weight';
  const nodes = graph.nodes();
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!, i);
  const m = graph.size;
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  const w = new Float32Array(m);
  let e = 0;
  graph.forEachEdge((_edge, attributes, source, target) => {
    src[e] = index.get(source)!;
    dst[e] = index.get(target)!;
    const v = attributes[attr];
    w[e] = typeof v === 'number' && Number.isFinite(v) ? v : 1;
    e++;
  });
  return csrFromEdges(nodes.length, src, dst, w, { symmetric: true, nodes });
}

/** Weighted degree of every node: sum of the weights of its CSR entries. */
export function weightedDegrees(csr: Csr): Float64Array {
  const out = new Float64Array(csr.nodeCount);
  for (let u = 0; u < csr.nodeCount; u++) {
    let s = 0;
    for (let p = csr.offsets[u]!; p < csr.offsets[u + 1]!; p++) s += csr.weights[p]!;
    out[u] = s;
  }
  return out;
}
