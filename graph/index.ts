/**
 * graph/: standalone graph analytics for nbg on graphology and typed arrays. Imports nothing from
 * src/. Flow: rows → projection builder → CSR (and graphology graph) → communities, FastRP
 * embeddings, top-k cosine similarity; metrics to judge them.
 */
export { type LouvainDetailed, type LouvainOptions, louvain } from './communities/louvain.js';
export {
  type Csr,
  type CsrFromEdgesOptions,
  csrFromEdges,
  csrFromGraph,
  csrFromPairs,
  weightedDegrees,
} from './csr.js';
export { csrToGraph } from './csr-to-graph.js';
export {
  DEFAULTS as FAST_RP_DEFAULTS,
  type FastRpOptions,
  type FastRpResult,
  fastRp,
} from './embeddings/fast-rp.js';
export { GraphError } from './graph-error.js';
export { modularity } from './metrics/modularity.js';
export { nmi } from './metrics/nmi.js';
export {
  DEFAULTS as PROJECTED_MODULARITY_DEFAULTS,
  type ProjectedModularityOptions,
  projectedModularity,
} from './metrics/projected-modularity.js';
export { rocAuc } from './metrics/roc-auc.js';
export {
  createProjectionBuilder,
  DEFAULTS as PROJECTION_DEFAULTS,
  type Projection,
  type ProjectionBuilder,
  type ProjectionOptions,
} from './projection/builder.js';
export { type KnnGraphOptions, knnGraph } from './projection/knn-graph.js';
export * from './projection/types.js';
export { seededRandom } from './seeded-random.js';
export {
  DEFAULTS as SPHERICAL_K_MEANS_DEFAULTS,
  nearestCentroids,
  type SphericalKMeans,
  type SphericalKMeansOptions,
  sphericalKMeans,
} from './similarity/spherical-k-means.js';
export {
  DEFAULTS as TOP_K_DEFAULTS,
  type TopKOptions,
  type TopKResult,
  topKCosine,
} from './similarity/top-k.js';
export {
  DEFAULTS as TOP_K_IVF_DEFAULTS,
  type TopKIvfOptions,
  topKCosineIvf,
} from './similarity/top-k-ivf.js';
export { DEFAULTS as TOP_K_TF_DEFAULTS, type TopKTfOptions, topKCosineTf } from './similarity/top-k-tf.js';
export { type TfBackendName, type TfBackendOptions, useTfBackend } from './tf-backend.js';
