import louvainModule from 'graphology-communities-louvain';
import type { AbstractGraph, Attributes } from 'graphology-types';
import { checkNumber, GraphError } from '../graph-error.js';
import { seededRandom } from '../seeded-random.js';

const MODULE = 'graph/communities/louvain';

// The package is CommonJS with `export default` typings: under NodeNext the default import is the
// module object, whose runtime value is the function itself.
const louvainImpl = louvainModule as unknown as typeof louvainModule.default;

type Graph = AbstractGraph<Attributes, Attributes>;

export interface LouvainOptions {
  /** Resolution gamma of the modularity Q = 1/2m sum_ij (A_ij - gamma k_i k_j / 2m) delta(c_i, c_j). */
  readonly resolution: number;
  /** Edge attribute with the weight; null for an unweighted run. */
  readonly weightAttribute: string | null;
  /** Seed of the node visiting order (randomWalk); ignored when rng is given. */
  readonly seed: number;
  readonly rng?: () => number;
  /** Visit nodes in a random order (seeded) rather than insertion order. */
  readonly randomWalk: boolean;
  /** graphology's queue-based local moves, faster on large graphs. */
  readonly fastLocalMoves: boolean;
  /** Node attribute written by louvain.assign. */
  readonly communityAttribute: string;
}

export const DEFAULTS: LouvainOptions = {
  resolution: 1,
  weightAttribute: 'weight',
  seed: 42,
  randomWalk: true,
  fastLocalMoves: true,
  communityAttribute: 'community',
};

export interface LouvainDetailed {
  /** Community (0..count-1) by node key. */
  readonly communities: Record<string, number>;
  readonly count: number;
  readonly modularity: number;
  /** Nodes per community, by community id. */
  readonly sizes: Int32Array;
  readonly resolution: number;
}

function implOptions(graph: Graph, options: Partial<LouvainOptions>) {
  const o = { ...DEFAULTS, ...options };
  checkNumber(MODULE, 'resolution', o.resolution, 1e-6, 1e6);
  if (!Number.isInteger(o.seed)) throw new GraphError(MODULE, `seed must be an integer, got ${o.seed}`);
  if (graph.type === 'directed' || graph.multi)
    throw new GraphError(
      MODULE,
      `graph must be a simple undirected graph, got type '${graph.type}', multi ${graph.multi}`,
    );
  if (graph.order === 0) throw new GraphError(MODULE, 'graph has no node');
  return {
    o,
    impl: {
      resolution: o.resolution,
      getEdgeWeight: o.weightAttribute,
      rng: o.rng ?? seededRandom(o.seed),
      randomWalk: o.randomWalk,
      fastLocalMoves: o.fastLocalMoves,
      nodeCommunityAttribute: o.communityAttribute,
    },
  };
}

/**
 * Communities by Louvain (Blondel et al. 2008) through graphology-communities-louvain: greedy
 * local moves that raise the (weighted, resolution gamma) modularity, then aggregation, repeated.
 * Seeded: the same graph, options and seed give the same partition. Returns community by node key.
 * Plain Louvain may stop short of the planted structure on large graphs (no refinement phase).
 */
export function louvain(graph: Graph, options: Partial<LouvainOptions> = {}): Record<string, number> {
  const { impl } = implOptions(graph, options);
  return louvainImpl(graph, impl);
}

/** Runs louvain and writes the community id to each node's `communityAttribute`. */
louvain.assign = (graph: Graph, options: Partial<LouvainOptions> = {}): void => {
  const { impl } = implOptions(graph, options);
  louvainImpl.assign(graph, impl);
};

/** Runs louvain and returns the partition with its modularity, community count and sizes. */
louvain.detailed = (graph: Graph, options: Partial<LouvainOptions> = {}): LouvainDetailed => {
  const { impl, o } = implOptions(graph, options);
  const out = louvainImpl.detailed(graph, impl);
  const sizes = new Int32Array(out.count);
  for (const key in out.communities) sizes[out.communities[key]!]!++;
  return {
    communities: out.communities,
    count: out.count,
    modularity: out.modularity,
    sizes,
    resolution: o.resolution,
  };
};
