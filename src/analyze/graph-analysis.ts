import { availableParallelism } from 'node:os';
import {
  createProjectionBuilder,
  csrToGraph,
  fastRp,
  knnGraph,
  louvain,
  type ProjectionRow,
  projectedModularity,
  type TopKResult,
  topKCosineIvf,
  topKCosineTf,
} from '../../graph/index.js';
import { runtimeSettings } from '../config.js';
import { ErrorCode, NbgError } from '../errors.js';
import { stopwatch } from '../stopwatch.js';

export interface GraphAnalysisOptions {
  /** FastRP dimension. Default 128 (the vector index is built for 128). */
  readonly dimensions: number;
  /** Neighbours kept per client (SIMILAR_TO and the kNN graph). Default 20. */
  readonly k: number;
  /**
   * Louvain resolution on the client kNN graph. Default 0.5: at 1 Louvain over-splits the personas
   * (docs/graph.md, chosen on one world and confirmed on another).
   */
  readonly resolution: number;
  readonly seed: number;
  /**
   * 'exact' (default): every pair compared (pruned by a principal-axes bound, same result);
   * 'ivf': an inverted-file index probing `probes` lists, approximate (docs/graph.md).
   */
  readonly similarity: 'exact' | 'ivf';
  /** Lists searched per client with similarity 'ivf'. */
  readonly probes: number;
  /** Threads of the exact search. Default: the cores available, at most 4. */
  readonly threads: number;
}

export const DEFAULTS: GraphAnalysisOptions = {
  dimensions: 128,
  k: 20,
  resolution: 0.5,
  seed: 42,
  similarity: 'exact',
  probes: 12,
  threads: Math.max(1, Math.min(4, availableParallelism())),
};

export interface GraphAnalysis {
  /** Client ids, in the order of every per-client array below. */
  readonly clientIds: readonly string[];
  /** Row-major clients x dimensions, L2-normalised. */
  readonly embeddings: Float32Array;
  readonly dimensions: number;
  /** Community index per client (Louvain on the client kNN graph of the embeddings). */
  readonly community: Int32Array;
  readonly communityCount: number;
  /** Modularity of that partition on the kNN graph it was found on. */
  readonly modularity: number;
  /**
   * Modularity of the same partition on the one-mode client projection of the client–product
   * graph (clients joined through shared products, channels and profile values, weight
   * 1 / (n_p - 1) per shared node: graph/metrics/projected-modularity.ts), for comparison.
   */
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
 * most similar clients by cosine, and communities by Louvain on that kNN graph, the one-mode client
 * projection nbg's communities live on (why not the bipartite graph or the raw co-holding
 * projection: docs/graph.md, "Which modularity"). Deterministic for a seed.
 * NbgError(NOT_FOUND) when the rows name no client (an empty graph: nothing to embed or cluster).
 */
export async function analyzeGraph(
  pages: AsyncIterable<ProjectionRow[]> | Iterable<ProjectionRow[]>,
  catalog: { readonly products: readonly string[]; readonly channels: readonly string[] },
  options: Partial<GraphAnalysisOptions> = {},
): Promise<GraphAnalysis> {
  const o = { ...DEFAULTS, ...options };
  const sw = stopwatch();
  const builder = createProjectionBuilder({ sources: ['holdings', 'journeys', 'solicitations', 'profile'] });
  // Node order decides which random vector each node gets: fix it (products and channels first).
  builder.addNodes('product', catalog.products);
  builder.addNodes('channel', catalog.channels);
  for await (const rows of pages) builder.add(rows);
  const projection = builder.build();
  sw.lap('projection');

  const clientRows = projection.nodesOf('client');
  if (clientRows.length === 0) {
    throw new NbgError(ErrorCode.NOT_FOUND, 'analyze: the graph has no clients', {
      hint: 'run `nbg ingest DIR` first',
    });
  }
  const clientIds = Array.from(clientRows, (i) =>
    (projection.csr.nodes[i] as string).slice('client:'.length),
  );
  const all = fastRp(projection.csr, { dimensions: o.dimensions, seed: o.seed });
  const d = o.dimensions;
  const embeddings = new Float32Array(clientRows.length * d);
  for (let i = 0; i < clientRows.length; i++)
    embeddings.set(all.subarray(clientRows[i]! * d, clientRows[i]! * d + d), i * d);
  sw.lap('fastRP');

  // NBG_TF_BACKEND (config) reaches the similarity search as it reaches the models.
  const backend = runtimeSettings().tfBackend;
  const similar =
    o.similarity === 'ivf'
      ? await topKCosineIvf(embeddings, d, { k: o.k, probes: o.probes, seed: o.seed, backend })
      : await topKCosineTf(embeddings, d, { k: o.k, threads: o.threads, seed: o.seed, backend });
  sw.lap('top-k similarity');

  // Keyed by client position: short keys build the graphology graph faster than client ids.
  const keys = clientIds.map((_, i) => String(i));
  const knn = knnGraph(similar, { nodes: keys, minSimilarity: 0 });
  const detailed = louvain.detailed(csrToGraph(knn), { seed: o.seed, resolution: o.resolution });
  const community = Int32Array.from(keys, (key) => detailed.communities[key] ?? 0);
  sw.lap('louvain (kNN)');
  const projectionModularity = projectedModularity(projection.csr, clientRows, community);
  sw.lap('modularity (projection)');
  return {
    clientIds,
    embeddings,
    dimensions: d,
    community,
    communityCount: detailed.count,
    modularity: detailed.modularity,
    projectionModularity,
    similar,
    nodes: projection.csr.nodeCount,
    edges: projection.edgeCount,
    timings: sw.laps,
  };
}
