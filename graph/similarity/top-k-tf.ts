import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { GraphError } from '../graph-error.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { type ResolvedTopK, resolveTopK, type TopKOptions, type TopKResult, unitRows } from './top-k.js';
import { TopKHeaps } from './top-k-heap.js';

const MODULE = 'graph/similarity/top-k-tf';

export interface TopKTfOptions extends TopKOptions {
  /** TensorFlow.js backend: 'wasm' (XNNPACK, SIMD) or 'cpu'. */
  readonly backend: 'wasm' | 'cpu';
  /** Query rows per matrix product; the product is queryBlock x blockSize floats. */
  readonly queryBlock: number;
  /**
   * When queries and candidates are the same rows, compute each block pair once and feed both
   * directions (half the products). Blocks are then blockSize x blockSize.
   */
  readonly symmetric: boolean;
  /**
   * Threads sharing the symmetric block pairs (worker threads, each with its own TensorFlow.js;
   * the WASM backend has no threads of its own under Node). 1 = this thread only.
   */
  readonly threads: number;
  /**
   * Largest norm of the part of a unit row left out when the rows are rotated onto the principal
   * basis of their Gram matrix and cut to the r dimensions they really span. A cosine then moves by
   * at most tolerance^2 (1e-6 at the default 1e-3, the rounding level of float32 sums of 128 terms),
   * so the search stays exact while its cost falls by d / r. 0 (default) turns the reduction off:
   * it pays only when the rows span few dimensions (FastRP on holdings + profile alone: r about 65
   * of 128), and with journey edges the simulated worlds need r = 125 (bench notes in docs/graph.md).
   */
  readonly subspaceTolerance: number;
}

export const DEFAULTS: Omit<TopKTfOptions, 'queries' | 'candidates'> = {
  k: 20,
  excludeSelf: true,
  blockSize: 8192,
  backend: 'wasm',
  queryBlock: 512,
  symmetric: true,
  threads: 1,
  subspaceTolerance: 0,
};

/** The rows rotated onto their principal basis and cut to r columns. */
export interface Subspace {
  readonly rows: Float32Array;
  readonly r: number;
  /** Largest left-out norm over the rows. */
  readonly maxResidual: number;
}

/**
 * Y = X V with V the eigenvectors of the Gram matrix X^T X (largest first): Y Y^T = X X^T, so
 * dot products are unchanged. Keeps the smallest r whose left-out norm sqrt(sum_{j>=r} Y_ij^2) is
 * at most `tolerance` for every row i (a bound checked row by row, not an average). Shapes: X n x d
 * unit rows; cost 2 n d^2 in matMul plus O(d^3) for the eigenvectors. Needs the TensorFlow.js
 * backend ready (topKCosineTf sets it).
 */
export function exactSubspace(X: Float32Array, n: number, d: number, tolerance: number): Subspace {
  const gram = tf.tidy(() => {
    const x = tf.tensor2d(X, [n, d]);
    return tf.matMul(x, x, true, false).dataSync() as Float32Array;
  });
  const { vectors } = symmetricEigen(gram, d);
  const Y = tf.tidy(
    () =>
      tf
        .matMul(tf.tensor2d(X, [n, d]), tf.tensor2d(Float32Array.from(vectors), [d, d]))
        .dataSync() as Float32Array,
  );
  // worst[j] = max over rows of the squared norm of columns j..d-1.
  const worst = new Float64Array(d + 1);
  for (let i = 0; i < n; i++) {
    let tail = 0;
    for (let j = d - 1; j >= 0; j--) {
      const y = Y[i * d + j]!;
      tail += y * y;
      if (tail > worst[j]!) worst[j] = tail;
    }
  }
  let r = d;
  while (r > 1 && Math.sqrt(worst[r - 1]!) <= tolerance) r--;
  const rows = new Float32Array(n * r);
  for (let i = 0; i < n; i++) rows.set(Y.subarray(i * d, i * d + r), i * r);
  return { rows, r, maxResidual: Math.sqrt(worst[r]!) };
}

const SYMMETRIC_BLOCK = 2048;

/** The job a worker of parallelSymmetric receives (arrays on SharedArrayBuffers). */
export interface SymmetricJob {
  readonly X: Float32Array;
  readonly ids: Int32Array;
  readonly d: number;
  readonly k: number;
  readonly excludeSelf: boolean;
  readonly blockSize: number;
  readonly part: number;
  readonly parts: number;
  readonly backend: 'wasm' | 'cpu';
}

/**
 * Splits the symmetric block pairs over `threads` parts: parts 1.. run in worker threads on the
 * shared unit rows, part 0 here; the workers' heaps are merged into ours. Under tsx (sources in
 * .ts) the worker registers tsx's loader first; compiled, it imports the .js file directly.
 */
async function parallelSymmetric(
  heaps: TopKHeaps,
  Q: Float32Array,
  d: number,
  o: ResolvedTopK,
  backend: 'wasm' | 'cpu',
  threads: number,
): Promise<void> {
  const X = new Float32Array(new SharedArrayBuffer(Q.byteLength));
  X.set(Q);
  const ids = new Int32Array(new SharedArrayBuffer(o.queries.byteLength));
  ids.set(o.queries);
  const source = import.meta.url.endsWith('.ts') ? './top-k-tf-worker.ts' : './top-k-tf-worker.js';
  const url = new URL(source, import.meta.url).href;
  const code = url.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`
    : `import(${JSON.stringify(url)});`;
  const results = Array.from({ length: threads - 1 }, (_, w) => {
    const job: SymmetricJob = {
      X,
      ids,
      d,
      k: heaps.k,
      excludeSelf: o.excludeSelf,
      blockSize: o.blockSize,
      part: w + 1,
      parts: threads,
      backend,
    };
    const worker = new Worker(code, { eval: true, workerData: job });
    return new Promise<{ scores: Float32Array; indices: Int32Array }>((resolve, reject) => {
      worker.once('message', (m: { scores: Float32Array; indices: Int32Array }) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (c) => {
        if (c !== 0) reject(new GraphError(MODULE, `top-k worker ${w + 1} exited with code ${c}`));
      });
    });
  });
  // Let the workers start before this thread blocks on its own share.
  await new Promise((r) => setTimeout(r, 0));
  symmetricBlocks(heaps, X, d, ids, o.excludeSelf, o.blockSize, 0, threads);
  for (const r of await Promise.all(results)) heaps.merge(r.scores, r.indices);
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Queries x candidate blocks: each score goes to its query's heap. */
function rectangularBlocks(
  heaps: TopKHeaps,
  Q: Float32Array,
  C: Float32Array,
  d: number,
  o: ResolvedTopK,
  queryBlock: number,
): void {
  const nq = o.queries.length;
  const nc = o.candidates.length;
  const qIds = o.queries;
  const cIds = o.candidates;
  const cBlocks: tf.Tensor2D[] = [];
  try {
    for (let c0 = 0; c0 < nc; c0 += o.blockSize) {
      const c1 = Math.min(nc, c0 + o.blockSize);
      cBlocks.push(tf.tidy(() => tf.transpose(tf.tensor2d(C.subarray(c0 * d, c1 * d), [c1 - c0, d]))));
    }
    for (let q0 = 0; q0 < nq; q0 += queryBlock) {
      const q1 = Math.min(nq, q0 + queryBlock);
      const qt = tf.tensor2d(Q.subarray(q0 * d, q1 * d), [q1 - q0, d]);
      try {
        for (let b = 0; b < cBlocks.length; b++) {
          const c0 = b * o.blockSize;
          const width = Math.min(o.blockSize, nc - c0);
          const prod = tf.matMul(qt, cBlocks[b]!);
          const s = prod.dataSync() as Float32Array;
          prod.dispose();
          for (let r = 0; r < q1 - q0; r++) {
            const q = q0 + r;
            const qid = qIds[q]!;
            let thr = heaps.threshold(q);
            const row = r * width;
            for (let j = 0; j < width; j++) {
              const v = s[row + j]!;
              if (v > thr) {
                const id = cIds[c0 + j]!;
                if (o.excludeSelf && id === qid) continue;
                heaps.push(q, v, id);
                thr = heaps.threshold(q);
              }
            }
          }
        }
      } finally {
        qt.dispose();
      }
    }
  } finally {
    for (const t of cBlocks) t.dispose();
  }
}

/**
 * Queries = candidates: block pairs (a, b) with b >= a only (this part's share: pair number
 * modulo parts); a score s(i, j) feeds the heap of i
 * (row scan) and, off the diagonal, the heap of j (scanned by column strips of 16 so that the
 * reads stay within cache lines).
 */
export function symmetricBlocks(
  heaps: TopKHeaps,
  X: Float32Array,
  d: number,
  ids: Int32Array,
  excludeSelf: boolean,
  requested: number,
  part = 0,
  parts = 1,
): void {
  const n = ids.length;
  const B = Math.min(requested, SYMMETRIC_BLOCK);
  const blocks: tf.Tensor2D[] = [];
  const transposed: tf.Tensor2D[] = [];
  try {
    for (let a0 = 0; a0 < n; a0 += B) {
      const a1 = Math.min(n, a0 + B);
      const t = tf.tensor2d(X.subarray(a0 * d, a1 * d), [a1 - a0, d]);
      blocks.push(t);
      transposed.push(tf.transpose(t));
    }
    let pair = -1;
    for (let a = 0; a < blocks.length; a++) {
      const a0 = a * B;
      const h = Math.min(B, n - a0);
      for (let b = a; b < blocks.length; b++) {
        pair++;
        if (pair % parts !== part) continue;
        const b0 = b * B;
        const w = Math.min(B, n - b0);
        const prod = tf.matMul(blocks[a]!, transposed[b]!);
        const s = prod.dataSync() as Float32Array;
        prod.dispose();
        for (let r = 0; r < h; r++) {
          const q = a0 + r;
          let thr = heaps.threshold(q);
          const row = r * w;
          for (let j = 0; j < w; j++) {
            const v = s[row + j]!;
            if (v > thr) {
              const c = b0 + j;
              if (c === q && excludeSelf) continue;
              heaps.push(q, v, ids[c]!);
              thr = heaps.threshold(q);
            }
          }
        }
        if (a === b) continue;
        for (let j0 = 0; j0 < w; j0 += 16) {
          const j1 = Math.min(w, j0 + 16);
          for (let r = 0; r < h; r++) {
            const row = r * w;
            const id = ids[a0 + r]!;
            for (let j = j0; j < j1; j++) {
              const v = s[row + j]!;
              if (v > heaps.threshold(b0 + j)) heaps.push(b0 + j, v, id);
            }
          }
        }
      }
    }
  } finally {
    for (const t of blocks) t.dispose();
    for (const t of transposed) t.dispose();
  }
}

/**
 * The same exact top-k cosine as topKCosine, with the block products Q_b C_b^T done by
 * TensorFlow.js matMul (the only module of graph/ that uses TensorFlow.js). On the WASM backend
 * (XNNPACK) this runs 10-15 GFLOP/s on one core against about 1 for the plain loop (bench/graph.ts).
 * Scores come back to JavaScript block by block and go through the same per-query heaps, so memory
 * is O(n d + queryBlock * blockSize). Every tensor is disposed.
 */
export async function topKCosineTf(
  vectors: Float32Array,
  dimensions: number,
  options: Partial<TopKTfOptions> = {},
): Promise<TopKResult> {
  const o = resolveTopK(MODULE, vectors, dimensions, { ...DEFAULTS, ...options });
  const backend = options.backend ?? DEFAULTS.backend;
  const queryBlock = options.queryBlock ?? DEFAULTS.queryBlock;
  if (!Number.isInteger(queryBlock) || queryBlock < 1)
    throw new GraphError(MODULE, `queryBlock must be a positive integer, got ${queryBlock}`);
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new GraphError(MODULE, `TensorFlow.js backend '${backend}' could not start`);
  }
  await tf.ready();
  const nq = o.queries.length;
  const nc = o.candidates.length;
  const k = Math.min(o.k, nc);
  const heaps = new TopKHeaps(nq, k);
  const tolerance = options.subspaceTolerance ?? DEFAULTS.subspaceTolerance;
  if (!(tolerance >= 0 && tolerance < 1))
    throw new GraphError(MODULE, `subspaceTolerance must be in [0, 1), got ${tolerance}`);
  let Q = unitRows(vectors, dimensions, o.queries);
  let C = sameRows(o.queries, o.candidates) ? Q : unitRows(vectors, dimensions, o.candidates);
  let d = dimensions;
  if (tolerance > 0 && Q === C && o.queries.length > 4 * dimensions) {
    const sub = exactSubspace(Q, o.queries.length, dimensions, tolerance);
    if (sub.r < dimensions) {
      Q = sub.rows;
      C = Q;
      d = sub.r;
    }
  }
  const symmetric = sameRows(o.queries, o.candidates) && (options.symmetric ?? DEFAULTS.symmetric);
  const threads = options.threads ?? DEFAULTS.threads;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new GraphError(MODULE, `threads must be an integer in [1, 64], got ${threads}`);
  if (symmetric && threads > 1) await parallelSymmetric(heaps, Q, d, o, backend, threads);
  else if (symmetric) symmetricBlocks(heaps, Q, d, o.queries, o.excludeSelf, o.blockSize);
  else rectangularBlocks(heaps, Q, C, d, o, queryBlock);
  heaps.sortRows();
  return { indices: heaps.indices, scores: heaps.scores, k, queryCount: nq };
}
