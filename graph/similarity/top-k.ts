import { checkInteger, GraphError } from '../graph-error.js';
import { TopKHeaps } from './top-k-heap.js';

const MODULE = 'graph/similarity/top-k';

export interface TopKOptions {
  /** Neighbours kept per query. */
  readonly k: number;
  /** Rows used as queries (indices into the vectors); default all. */
  readonly queries?: Int32Array;
  /** Rows searched (indices into the vectors); default all. Results index into the vectors. */
  readonly candidates?: Int32Array;
  /** Skip the query itself among its candidates. */
  readonly excludeSelf: boolean;
  /** Candidate rows per block: the block of normalised candidates stays in cache while queries pass. */
  readonly blockSize: number;
}

export const DEFAULTS: TopKOptions = { k: 20, excludeSelf: true, blockSize: 512 };

export interface TopKResult {
  /** Row-major queryCount x k candidate indices (into the vectors), best first; -1 pads short rows. */
  readonly indices: Int32Array;
  /** Matching cosine similarities, -Infinity where padded. */
  readonly scores: Float32Array;
  readonly k: number;
  readonly queryCount: number;
}

export interface ResolvedTopK {
  readonly k: number;
  readonly queries: Int32Array;
  readonly candidates: Int32Array;
  readonly excludeSelf: boolean;
  readonly blockSize: number;
}

function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Checks shapes and options once for both the JS and the TensorFlow.js versions. */
export function resolveTopK(
  module: string,
  vectors: Float32Array,
  dimensions: number,
  options: Partial<TopKOptions>,
): ResolvedTopK {
  const o = { ...DEFAULTS, ...options };
  checkInteger(module, 'dimensions', dimensions, 1, 1 << 16);
  if (vectors.length % dimensions !== 0)
    throw new GraphError(
      module,
      `vectors length ${vectors.length} is not a multiple of dimensions ${dimensions}`,
    );
  const n = vectors.length / dimensions;
  checkInteger(module, 'k', o.k, 1, 10_000);
  checkInteger(module, 'blockSize', o.blockSize, 1, 1 << 20);
  const queries = o.queries ?? range(n);
  const candidates = o.candidates ?? range(n);
  for (const [name, ix] of [
    ['queries', queries],
    ['candidates', candidates],
  ] as const)
    for (let i = 0; i < ix.length; i++)
      if (ix[i]! < 0 || ix[i]! >= n)
        throw new GraphError(module, `${name}[${i}] = ${ix[i]} is outside the ${n} vectors`);
  return { k: o.k, queries, candidates, excludeSelf: o.excludeSelf, blockSize: o.blockSize };
}

/** Copies the chosen rows, each scaled to unit L2 norm (zero rows stay zero: similarity 0). */
export function unitRows(vectors: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]! * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += vectors[src + k]! * vectors[src + k]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < d; k++) out[i * d + k] = vectors[src + k]! * inv;
  }
  return out;
}

/**
 * Exact top-k cosine neighbours: sim(q, c) = q.c / (|q| |c|) for every query against every
 * candidate, O(Q C d) multiply-adds in blocks of candidates (kept hot in cache) with a register
 * tile of four queries, and a bounded heap per query. Plain JavaScript on Float32Array; see
 * topKCosineTf for the TensorFlow.js (WASM) matrix products, faster on large inputs.
 * Input: row-major vectors (n x d). Exact means no approximation; ties break by lower index.
 */
export function topKCosine(
  vectors: Float32Array,
  dimensions: number,
  options: Partial<TopKOptions> = {},
): TopKResult {
  const o = resolveTopK(MODULE, vectors, dimensions, options);
  const d = dimensions;
  const Q = unitRows(vectors, d, o.queries);
  const C = unitRows(vectors, d, o.candidates);
  const nq = o.queries.length;
  const nc = o.candidates.length;
  const k = Math.min(o.k, nc);
  const heaps = new TopKHeaps(nq, k);
  const qIds = o.queries;
  const cIds = o.candidates;
  const tile = new Float64Array(4);
  for (let c0 = 0; c0 < nc; c0 += o.blockSize) {
    const c1 = Math.min(nc, c0 + o.blockSize);
    for (let q = 0; q < nq; q += 4) {
      const rows = Math.min(4, nq - q);
      const a0 = q * d;
      const a1 = rows > 1 ? a0 + d : a0;
      const a2 = rows > 2 ? a0 + 2 * d : a0;
      const a3 = rows > 3 ? a0 + 3 * d : a0;
      for (let c = c0; c < c1; c++) {
        const b = c * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < d; j++) {
          const x = C[b + j]!;
          s0 += Q[a0 + j]! * x;
          s1 += Q[a1 + j]! * x;
          s2 += Q[a2 + j]! * x;
          s3 += Q[a3 + j]! * x;
        }
        tile[0] = s0;
        tile[1] = s1;
        tile[2] = s2;
        tile[3] = s3;
        const id = cIds[c]!;
        for (let r = 0; r < rows; r++) {
          const s = Math.fround(tile[r]!);
          if (s > heaps.threshold(q + r) && !(o.excludeSelf && qIds[q + r] === id)) heaps.push(q + r, s, id);
        }
      }
    }
  }
  heaps.sortRows();
  return { indices: heaps.indices, scores: heaps.scores, k, queryCount: nq };
}
