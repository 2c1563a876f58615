import * as tf from '@tensorflow/tfjs';
import { checkInteger } from '../graph-error.js';
import { useTfBackend } from '../tf-backend.js';
import { nearestCentroids, sphericalKMeans } from './spherical-k-means.js';
import { resolveTopK, type TopKOptions, type TopKResult, unitRows } from './top-k.js';
import { TopKHeaps } from './top-k-heap.js';

const MODULE = 'graph/similarity/top-k-ivf';

export interface TopKIvfOptions extends TopKOptions {
  /** Inverted lists (k-means centroids); 0 = round(sqrt(candidates)). */
  readonly lists: number;
  /** Lists searched per query, nearest centroids first. */
  readonly probes: number;
  /** Lloyd iterations of the k-means. */
  readonly iterations: number;
  readonly seed: number;
  readonly backend: 'wasm' | 'cpu';
}

export const DEFAULTS: Omit<TopKIvfOptions, 'queries' | 'candidates'> = {
  k: 20,
  excludeSelf: true,
  blockSize: 4096,
  lists: 0,
  probes: 12,
  iterations: 8,
  seed: 42,
  backend: 'wasm',
};

/** Gathers rows `ix` of a row-major n x d array. */
function gather(X: Float32Array, d: number, ix: Int32Array, from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * d);
  for (let i = from; i < to; i++) out.set(X.subarray(ix[i]! * d, ix[i]! * d + d), (i - from) * d);
  return out;
}

/** CSR of `groups` values in [0, count): members of group g are items[offsets[g] .. offsets[g + 1]). */
function groupBy(groups: Int32Array, count: number): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(count + 1);
  for (const g of groups) offsets[g + 1]!++;
  for (let g = 0; g < count; g++) offsets[g + 1]! += offsets[g]!;
  const fill = offsets.slice(0, count);
  const items = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) items[fill[groups[i]!]!++] = i;
  return { offsets, items };
}

/**
 * Approximate top-k cosine by an inverted-file index (IVF, Jégou et al. 2011; Faiss IndexIVFFlat):
 * seeded spherical k-means splits the candidates into `lists`; each query is compared only with the
 * candidates of its `probes` nearest lists (the products per list are one TensorFlow.js matMul of
 * the queries that probe it by the list's rows). Cost about Q x probes x C / lists x d
 * multiply-adds instead of Q x C x d; neighbours outside the probed lists are missed, so recall
 * is below 1 (measured in docs/graph.md). Deterministic for a seed. Scores are float32 products.
 */
export async function topKCosineIvf(
  vectors: Float32Array,
  dimensions: number,
  options: Partial<TopKIvfOptions> = {},
): Promise<TopKResult> {
  const o = { ...DEFAULTS, ...options };
  const r = resolveTopK(MODULE, vectors, dimensions, o);
  const d = dimensions;
  const nc = r.candidates.length;
  const nq = r.queries.length;
  const lists = o.lists === 0 ? Math.max(1, Math.round(Math.sqrt(nc))) : o.lists;
  checkInteger(MODULE, 'lists', lists, 1, Math.max(1, nc));
  checkInteger(MODULE, 'probes', o.probes, 1, 1 << 20);
  await useTfBackend(o.backend, { caller: MODULE });
  const probes = Math.min(o.probes, lists);
  const k = Math.min(r.k, nc);
  const C = unitRows(vectors, d, r.candidates);
  const Q = unitRows(vectors, d, r.queries);
  const km = sphericalKMeans(C, d, { clusters: lists, iterations: o.iterations, seed: o.seed });
  const members = groupBy(km.assignment, lists);
  // Which queries probe each list: the query q appears once in each of its probes lists.
  const probed = nearestCentroids(Q, d, km.centroids, probes);
  const probers = groupBy(probed, lists);
  const heaps = new TopKHeaps(nq, k);
  for (let l = 0; l < lists; l++) {
    const m0 = members.offsets[l]!;
    const m1 = members.offsets[l + 1]!;
    if (m0 === m1) continue;
    const listRows = tf.tensor2d(gather(C, d, members.items, m0, m1), [m1 - m0, d]);
    try {
      const p1 = probers.offsets[l + 1]!;
      for (let p0 = probers.offsets[l]!; p0 < p1; p0 += o.blockSize) {
        const pe = Math.min(p1, p0 + o.blockSize);
        // probers.items holds positions in `probed` (query x probes): the query is position / probes.
        const qs = Int32Array.from(probers.items.subarray(p0, pe), (pos) => Math.floor(pos / probes));
        const qt = tf.tensor2d(gather(Q, d, qs, 0, qs.length), [qs.length, d]);
        const prod = tf.matMul(qt, listRows, false, true);
        const s = prod.dataSync() as Float32Array;
        qt.dispose();
        prod.dispose();
        const w = m1 - m0;
        for (let i = 0; i < qs.length; i++) {
          const q = qs[i]!;
          const self = r.queries[q]!;
          for (let j = 0; j < w; j++) {
            const id = r.candidates[members.items[m0 + j]!]!;
            if (r.excludeSelf && id === self) continue;
            heaps.offer(q, s[i * w + j]!, id);
          }
        }
      }
    } finally {
      listRows.dispose();
    }
  }
  heaps.sortRows();
  return { indices: heaps.indices, scores: heaps.scores, k, queryCount: nq };
}
