import {
  createProjectionBuilder,
  csrToGraph,
  fastRp,
  knnGraph,
  louvain,
  type ProjectionRow,
  type TopKResult,
  topKCosine,
} from '../../graph/index.js';

export interface GraphAnalysisOptions {
  /** FastRP dimension. Default 128 (the vector index is built for 128). */
  readonly dimensions: number;
  /** Neighbours kept per client (SIMILAR_TO and the kNN graph). Default 20. */
  readonly k: number;
  /** Louvain resolution on the client kNN graph. Default 1. */
  readonly resolution: number;
  readonly seed: number;
}

export const DEFAULTS: GraphAnalysisOptions = { dimensions: 128, k: 20, resolution: 1, seed: 42 };

export interface GraphAnalysis {
  /** Client ids, in the order of every per-client array below. */
  readonly clientIds: readonly string[];
  /** Row-major clients x dimensions, L2-normalised. */
  readonly embeddings: Float32Array;
  readonly dimensions: number;
  /** Community index per client (Louvain on the client kNN graph of the embeddings). */
  readonly community: Int32Array;
  readonly communityCount: number;
  /** Modularity of that partition on the kNN graph. */
  readonly modularity: number;
  /** Modularity of plain Louvain on the client–product projection itself (for comparison). */
  readonly projectionModularity: number;
  /** Top-k similar clients: indices into clientIds and cosine scores. */
  readonly similar: TopKResult;
  readonly nodes: number;
  readonly edges: number;
  /** Seconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The graph half of `nbg analyze`, on in-memory rows: builds the weighted projection (clients,
 * products, channels, profile attributes), FastRP embeddings (Chen et al. 2019), each client's top-k
 * most similar clients by cosine, and communities by Louvain on the kNN graph of the embeddings (on
 * the bipartite client–product graph, a dozen products cannot separate client groups well; see
 * docs/graph.md). Deterministic for a seed.
 */
export async function analyzeGraph(
  pages: AsyncIterable<ProjectionRow[]>,
  catalog: { readonly products: readonly string[]; readonly channels: readonly string[] },
  options: Partial<GraphAnalysisOptions> = {},
): Promise<GraphAnalysis> {
  const o = { ...DEFAULTS, ...options };
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = (now - t) / 1000;
    t = now;
  };
  const builder = createProjectionBuilder({ sources: ['holdings', 'journeys', 'solicitations', 'profile'] });
  // Node order decides which random vector each node gets: fix it (products and channels first).
  builder.addNodes('product', catalog.products);
  builder.addNodes('channel', catalog.channels);
  for await (const rows of pages) builder.add(rows);
  const projection = builder.build();
  lap('projection');

  const clientRows = projection.nodesOf('client');
  const clientIds = Array.from(clientRows, (i) =>
    (projection.csr.nodes[i] as string).slice('client:'.length),
  );
  const bipartite = louvain.detailed(projection.toGraph(), { seed: o.seed, resolution: 1 });
  lap('louvain (projection)');

  const all = fastRp(projection.csr, { dimensions: o.dimensions, seed: o.seed });
  const d = o.dimensions;
  const embeddings = new Float32Array(clientRows.length * d);
  for (let i = 0; i < clientRows.length; i++)
    embeddings.set(all.subarray(clientRows[i]! * d, clientRows[i]! * d + d), i * d);
  lap('fastRP');

  const similar = topKCosine(embeddings, d, { k: o.k });
  lap('top-k similarity');

  const knn = knnGraph(similar, { nodes: clientIds, minSimilarity: 0 });
  const detailed = louvain.detailed(csrToGraph(knn), { seed: o.seed, resolution: o.resolution });
  const community = new Int32Array(clientIds.length);
  for (let i = 0; i < clientIds.length; i++) community[i] = detailed.communities[clientIds[i] as string] ?? 0;
  lap('louvain (kNN)');
  return {
    clientIds,
    embeddings,
    dimensions: d,
    community,
    communityCount: detailed.count,
    modularity: detailed.modularity,
    projectionModularity: bipartite.modularity,
    similar,
    nodes: projection.csr.nodeCount,
    edges: projection.edgeCount,
    timings,
  };
}
