import type { Csr } from '../csr.js';
import { checkNumber, GraphError } from '../graph-error.js';

const MODULE = 'graph/metrics/projected-modularity';

export interface ProjectedModularityOptions {
  /** Resolution gamma of the null model. */
  readonly resolution: number;
  /**
   * Weight w_p of a hub p (product, attribute value...) in the projection: 'inverse-degree' is
   * 1 / (n_p - 1), n_p the members joined to p (Newman 2001: each hub spreads one unit per member,
   * so a current account held by everyone does not swamp a rare product); 'none' is 1.
   */
  readonly weighting: 'inverse-degree' | 'none';
}

export const DEFAULTS: ProjectedModularityOptions = { resolution: 1, weighting: 'inverse-degree' };

/**
 * Modularity of a partition of the `members` (e.g. the clients) on the one-mode projection of a
 * bipartite CSR onto them, without building it:
 *   A_ij = sum_p w_p b_ip b_jp (i != j), p over the other nodes (hubs), b the CSR weights;
 *   k_i = sum_p w_p b_ip (S_p - b_ip), S_p = sum_i b_ip;  2m = sum_p w_p (S_p^2 - sum_i b_ip^2);
 *   Q = sum_c [ (sum_p w_p (S_pc^2 - sum_{i in c} b_ip^2)) / 2m - gamma (K_c / 2m)^2 ],
 * S_pc the part of S_p inside community c. Exact, in O(edges): the projection itself would have
 * about sum_p n_p^2 / 2 pairs (billions for a dozen products held by tens of thousands each).
 * Assumes every edge joins a member to a hub (a bipartite graph). Shapes: members Int32Array of
 * CSR rows; partition[i] >= 0 is the community of members[i].
 */
export function projectedModularity(
  csr: Csr,
  members: Int32Array,
  partition: ArrayLike<number>,
  options: Partial<ProjectedModularityOptions> = {},
): number {
  const o = { ...DEFAULTS, ...options };
  checkNumber(MODULE, 'resolution', o.resolution, 0, 1e6);
  if (partition.length !== members.length)
    throw new GraphError(
      MODULE,
      `partition must have one entry per member (${members.length}), got ${partition.length}`,
    );
  const community = new Int32Array(csr.nodeCount).fill(-1);
  let communities = 0;
  for (let i = 0; i < members.length; i++) {
    const u = members[i]!;
    const c = partition[i]!;
    if (!Number.isInteger(u) || u < 0 || u >= csr.nodeCount)
      throw new GraphError(MODULE, `member ${i} is row ${u}, outside the ${csr.nodeCount} nodes`);
    if (!Number.isInteger(c) || c < 0)
      throw new GraphError(MODULE, `partition[${i}] must be a non-negative integer, got ${c}`);
    if (community[u] !== -1) throw new GraphError(MODULE, `member row ${u} is listed twice`);
    community[u] = c;
    if (c >= communities) communities = c + 1;
  }
  const inside = new Float64Array(communities);
  const degree = new Float64Array(communities);
  const sum = new Float64Array(communities);
  const squares = new Float64Array(communities);
  const touched = new Int32Array(communities);
  const seen = new Uint8Array(communities);
  let twoM = 0;
  for (let p = 0; p < csr.nodeCount; p++) {
    if (community[p] !== -1) continue;
    const from = csr.offsets[p]!;
    const to = csr.offsets[p + 1]!;
    let s = 0;
    let q = 0;
    for (let e = from; e < to; e++) {
      const v = csr.targets[e]!;
      if (community[v] === -1)
        throw new GraphError(MODULE, `edge ${csr.nodes[p]} – ${csr.nodes[v]} joins two hubs: not bipartite`);
      const b = csr.weights[e]!;
      s += b;
      q += b * b;
    }
    const n = to - from;
    const w = o.weighting === 'none' ? 1 : n > 1 ? 1 / (n - 1) : 0;
    if (w === 0) continue;
    twoM += w * (s * s - q);
    let t = 0;
    for (let e = from; e < to; e++) {
      const c = community[csr.targets[e]!]!;
      const b = csr.weights[e]!;
      if (!seen[c]) {
        seen[c] = 1;
        touched[t++] = c;
      }
      sum[c]! += b;
      squares[c]! += b * b;
      degree[c]! += w * b * (s - b);
    }
    for (let j = 0; j < t; j++) {
      const c = touched[j]!;
      inside[c]! += w * (sum[c]! * sum[c]! - squares[c]!);
      sum[c] = 0;
      squares[c] = 0;
      seen[c] = 0;
    }
  }
  if (!(twoM > 0)) throw new GraphError(MODULE, 'the projection has no edge weight');
  let modularity = 0;
  for (let c = 0; c < communities; c++)
    modularity += inside[c]! / twoM - o.resolution * (degree[c]! / twoM) ** 2;
  return modularity;
}
