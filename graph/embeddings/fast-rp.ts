import type { AbstractGraph, Attributes } from 'graphology-types';
import { type Csr, csrFromGraph } from '../csr.js';
import { checkInteger, checkNumber, GraphError } from '../graph-error.js';
import { seededRandom } from '../seeded-random.js';

const MODULE = 'graph/embeddings/fast-rp';

export interface FastRpOptions {
  /** Embedding dimension d. */
  readonly dimensions: number;
  /** Weights alpha_1..alpha_k of the propagated matrices N_1..N_k (k = length, 1..10). */
  readonly iterationWeights: readonly number[];
  /** Weight alpha_0 of the random projection N_0 itself (the node's own signature). */
  readonly selfWeight: number;
  /** The paper's beta: node j's random vector is scaled by deg(j)^beta (beta < 0 damps hubs). */
  readonly normalizationStrength: number;
  /** Non-zero density of the random matrix; default 1 / sqrt(d). */
  readonly density?: number;
  readonly seed: number;
  /** Overrides the seeded generator (e.g. the application's rng). */
  readonly rng?: () => number;
}

/**
 * Defaults: d = 128; weights (0, 1, 1) on N_1..N_3 (as Neo4j GDS; on the simulated bank worlds the
 * 2- and 3-hop mix finds the personas better than adding the 1-hop term) and none on N_0, so that
 * two nodes with the same neighbourhood get the same vector; beta = -0.5 damps products held by everyone (the paper searches
 * beta in [-1, 0]). Density 1/sqrt(d) follows Li et al. (2006) very sparse projections.
 */
export const DEFAULTS: FastRpOptions = {
  dimensions: 128,
  iterationWeights: [0, 1, 1],
  selfWeight: 0,
  normalizationStrength: -0.5,
  seed: 42,
};

export interface FastRpResult {
  /** Row-major n x d, each row L2-normalised (a zero row for an isolated node without self weight). */
  readonly embeddings: Float32Array;
  readonly dimensions: number;
  readonly nodeCount: number;
  readonly nodes: readonly string[];
}

function resolve(options: Partial<FastRpOptions>): FastRpOptions {
  const o = { ...DEFAULTS, ...options };
  checkInteger(MODULE, 'dimensions', o.dimensions, 1, 4096);
  if (!Array.isArray(o.iterationWeights) || o.iterationWeights.length < 1 || o.iterationWeights.length > 10)
    throw new GraphError(
      MODULE,
      `iterationWeights must hold 1 to 10 numbers, got ${JSON.stringify(o.iterationWeights)}`,
    );
  o.iterationWeights.forEach((w, i) => {
    checkNumber(MODULE, `iterationWeights[${i}]`, w, -1e6, 1e6);
  });
  checkNumber(MODULE, 'selfWeight', o.selfWeight, -1e6, 1e6);
  checkNumber(MODULE, 'normalizationStrength', o.normalizationStrength, -4, 4);
  if (o.density !== undefined) checkNumber(MODULE, 'density', o.density, 1e-9, 1);
  checkInteger(MODULE, 'seed', o.seed, -(2 ** 31), 2 ** 32 - 1);
  return o;
}

function normaliseRows(m: Float32Array, n: number, d: number): void {
  for (let u = 0; u < n; u++) {
    const o = u * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += m[o + k]! * m[o + k]!;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) m[o + k]! *= inv;
    }
  }
}

/**
 * FastRP node embeddings (Chen et al. 2019, "Fast and Accurate Network Embeddings via Very Sparse
 * Random Projection"):
 *   R (n x d) very sparse: entries sqrt(s) * (+1 w.p. 1/2s, 0 w.p. 1 - 1/s, -1 w.p. 1/2s), s = 1/density;
 *   N_0 = L R with L = diag(deg^beta);  N_i = D^-1 A N_{i-1} (the weighted random-walk transition);
 *   E = alpha_0 N_0 + sum_i alpha_i normalise(N_i), rows L2-normalised.
 * Each N_i is row-normalised before weighting (as in Neo4j GDS) so the weights compare like with like.
 * Cost O(k m d) time, 3 n d floats of memory. Input: a symmetric CSR with non-negative weights.
 */
export function fastRp(csr: Csr, options: Partial<FastRpOptions> = {}): Float32Array {
  return fastRp.detailed(csr, options).embeddings;
}

fastRp.detailed = (csr: Csr, options: Partial<FastRpOptions> = {}): FastRpResult => {
  const o = resolve(options);
  const n = csr.nodeCount;
  const d = o.dimensions;
  if (n * d > 2 ** 31 - 1) throw new GraphError(MODULE, `n * dimensions must be below 2^31, got ${n} x ${d}`);
  const { offsets, targets, weights } = csr;
  const degree = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let s = 0;
    for (let p = offsets[u]!; p < offsets[u + 1]!; p++) {
      const w = weights[p]!;
      if (!(w >= 0))
        throw new GraphError(MODULE, `edge weights must be >= 0, got ${w} at node ${csr.nodes[u]}`);
      s += w;
    }
    degree[u] = s;
  }
  const rng = o.rng ?? seededRandom(o.seed);
  const density = o.density ?? 1 / Math.sqrt(d);
  const scale = Math.sqrt(1 / density);
  const half = density / 2;
  // N_0 = L R, drawn one entry at a time so the result depends only on (seed, n, d).
  let prev = new Float32Array(n * d);
  for (let u = 0; u < n; u++) {
    const l = degree[u]! > 0 ? degree[u]! ** o.normalizationStrength : 0;
    const o0 = u * d;
    for (let k = 0; k < d; k++) {
      const r = rng();
      if (r < half) prev[o0 + k] = scale * l;
      else if (r < density) prev[o0 + k] = -scale * l;
    }
  }
  const out = new Float32Array(n * d);
  if (o.selfWeight !== 0) {
    const n0 = prev.slice();
    normaliseRows(n0, n, d);
    for (let i = 0; i < n0.length; i++) out[i] = o.selfWeight * n0[i]!;
  }
  let next = new Float32Array(n * d);
  for (const alpha of o.iterationWeights) {
    next.fill(0);
    for (let u = 0; u < n; u++) {
      const du = degree[u]!;
      if (du === 0) continue;
      const ou = u * d;
      for (let p = offsets[u]!; p < offsets[u + 1]!; p++) {
        const f = weights[p]! / du;
        if (f === 0) continue;
        const ov = targets[p]! * d;
        for (let k = 0; k < d; k++) next[ou + k]! += f * prev[ov + k]!;
      }
    }
    normaliseRows(next, n, d);
    if (alpha !== 0) for (let i = 0; i < out.length; i++) out[i]! += alpha * next[i]!;
    [prev, next] = [next, prev];
  }
  normaliseRows(out, n, d);
  return { embeddings: out, dimensions: d, nodeCount: n, nodes: csr.nodes };
};

/** Computes FastRP on a graphology graph and writes each row as a number[] node attribute. */
fastRp.assign = (
  graph: AbstractGraph<Attributes, Attributes>,
  options: Partial<FastRpOptions> & { readonly attribute?: string; readonly weightAttribute?: string } = {},
): void => {
  const csr = csrFromGraph(graph, { weightAttribute: options.weightAttribute ?? 'weight' });
  const { embeddings, dimensions } = fastRp.detailed(csr, options);
  const attribute = options.attribute ?? 'fastRp';
  csr.nodes.forEach((key, u) => {
    graph.setNodeAttribute(
      key,
      attribute,
      Array.from(embeddings.subarray(u * dimensions, (u + 1) * dimensions)),
    );
  });
};
