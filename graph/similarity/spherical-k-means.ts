import * as tf from '@tensorflow/tfjs';
import { checkInteger, GraphError } from '../graph-error.js';
import { seededRandom } from '../seeded-random.js';
import { TopKHeaps } from './top-k-heap.js';

const MODULE = 'graph/similarity/spherical-k-means';

export interface SphericalKMeansOptions {
  /** Number of centroids. */
  readonly clusters: number;
  /** Lloyd iterations (assign, then re-centre). */
  readonly iterations: number;
  /** Rows used to fit the centroids (an evenly drawn seeded sample when there are more). */
  readonly sample: number;
  readonly seed: number;
  readonly rng?: () => number;
}

export const DEFAULTS: SphericalKMeansOptions = { clusters: 64, iterations: 8, sample: 32_768, seed: 42 };

export interface SphericalKMeans {
  /** Row-major clusters x dim unit centroids. */
  readonly centroids: Float32Array;
  readonly clusters: number;
  /** Nearest centroid of every row (highest dot product; ties to the lower id). */
  readonly assignment: Int32Array;
}

const CHUNK = 8192;

/**
 * The `probes` centroids of highest dot product for every row, best first (probes = 1: the
 * assignment). Products rows x centroids^T in TensorFlow.js chunks of 8,192 rows. Shapes: rows
 * n x dim, centroids c x dim; returns Int32Array(n x probes). Needs a TensorFlow.js backend ready.
 */
export function nearestCentroids(
  rows: Float32Array,
  dim: number,
  centroids: Float32Array,
  probes: number,
): Int32Array {
  const n = rows.length / dim;
  const c = centroids.length / dim;
  checkInteger(MODULE, 'probes', probes, 1, c);
  const heaps = new TopKHeaps(n, probes);
  const ct = tf.tensor2d(centroids, [c, dim]);
  try {
    for (let r0 = 0; r0 < n; r0 += CHUNK) {
      const r1 = Math.min(n, r0 + CHUNK);
      const x = tf.tensor2d(rows.subarray(r0 * dim, r1 * dim), [r1 - r0, dim]);
      const p = tf.matMul(x, ct, false, true);
      const s = p.dataSync() as Float32Array;
      x.dispose();
      p.dispose();
      for (let i = r0; i < r1; i++) {
        const row = (i - r0) * c;
        for (let j = 0; j < c; j++) heaps.offer(i, s[row + j]!, j);
      }
    }
  } finally {
    ct.dispose();
  }
  heaps.sortRows();
  return heaps.indices;
}

/**
 * Spherical k-means (Dhillon and Modha 2001) on unit rows: centroids start at distinct seeded
 * random rows of the sample, then each iteration assigns every sample row to the centroid of
 * highest dot product and sets each centroid to the normalised mean of its rows (an empty
 * cluster keeps its centroid). The final assignment covers all rows. Deterministic for a seed.
 * Cost: iterations x sample x clusters x dim multiply-adds in TensorFlow.js.
 */
export function sphericalKMeans(
  rows: Float32Array,
  dim: number,
  options: Partial<SphericalKMeansOptions> = {},
): SphericalKMeans {
  const o = { ...DEFAULTS, ...options };
  checkInteger(MODULE, 'dim', dim, 1, 1 << 16);
  if (rows.length % dim !== 0)
    throw new GraphError(MODULE, `rows length ${rows.length} is not a multiple of dim ${dim}`);
  const n = rows.length / dim;
  checkInteger(MODULE, 'clusters', o.clusters, 1, Math.max(1, n));
  checkInteger(MODULE, 'iterations', o.iterations, 0, 1000);
  checkInteger(MODULE, 'sample', o.sample, o.clusters, 1 << 30);
  const rng = o.rng ?? seededRandom(o.seed);
  // A seeded sample (partial Fisher–Yates), sorted so that it reads the rows in order.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const m = Math.min(n, o.sample);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const picked = order.slice(0, m);
  const centroids = new Float32Array(o.clusters * dim);
  for (let c = 0; c < o.clusters; c++)
    centroids.set(rows.subarray(picked[c]! * dim, picked[c]! * dim + dim), c * dim);
  picked.sort();
  const sample = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) sample.set(rows.subarray(picked[i]! * dim, picked[i]! * dim + dim), i * dim);
  const sums = new Float64Array(o.clusters * dim);
  for (let it = 0; it < o.iterations; it++) {
    const assign = nearestCentroids(sample, dim, centroids, 1);
    sums.fill(0);
    for (let i = 0; i < m; i++) {
      const c = assign[i]!;
      for (let t = 0; t < dim; t++) sums[c * dim + t]! += sample[i * dim + t]!;
    }
    for (let c = 0; c < o.clusters; c++) {
      let norm = 0;
      for (let t = 0; t < dim; t++) norm += sums[c * dim + t]! ** 2;
      if (!(norm > 0)) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let t = 0; t < dim; t++) centroids[c * dim + t] = sums[c * dim + t]! * inv;
    }
  }
  return { centroids, clusters: o.clusters, assignment: nearestCentroids(rows, dim, centroids, 1) };
}
