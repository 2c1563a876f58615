import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { GraphError } from '../graph-error.js';
import { useTfBackend } from '../tf-backend.js';
import { type PrincipalHead, principalHead } from './principal-head.js';
import { type PrunedRows, prunedSymmetricBlocks } from './pruned-symmetric-blocks.js';
import { sphericalKMeans } from './spherical-k-means.js';
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
   * Exact pruning when queries = candidates (symmetric): rows are rotated onto the leading
   * principal axes of their Gram matrix and the block products use only the first r of them; a
   * pair gets its exact d-term score only when h_i . h_j + t_i t_j (t the norm of the rest) can
   * reach a heap's threshold. 'auto' (default) picks the smallest r, a multiple of 8 up to d / 2,
   * at which the 90th-percentile tail norm is at most 0.125, and turns pruning off when there is
   * none; 0 turns it off; a number forces r. Results are the same either way, only speed differs.
   */
  readonly pruneDimensions: number | 'auto';
  /** Seed of the k-means that orders the rows when pruning (speed only: results do not depend on it). */
  readonly seed: number;
}

export const DEFAULTS: Omit<TopKTfOptions, 'queries' | 'candidates'> = {
  k: 20,
  excludeSelf: true,
  blockSize: 8192,
  backend: 'wasm',
  queryBlock: 512,
  symmetric: true,
  threads: 1,
  pruneDimensions: 'auto',
  seed: 42,
};

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
  /** The principal head for the pruned kernel; absent for full products. */
  readonly pruned?: { readonly head: Float32Array; readonly tails: Float32Array; readonly r: number };
}

/** Runs one part of the symmetric block pairs with the kernel the job asks for. */
export function runSymmetricPart(heaps: TopKHeaps, job: SymmetricJob): void {
  if (job.pruned) {
    const rows: PrunedRows = { X: job.X, d: job.d, ...job.pruned };
    prunedSymmetricBlocks(heaps, rows, job.ids, job.excludeSelf, job.blockSize, job.part, job.parts);
  } else symmetricBlocks(heaps, job.X, job.d, job.ids, job.excludeSelf, job.blockSize, job.part, job.parts);
}

function shared<T extends Float32Array | Int32Array>(a: T): T {
  const copy = (
    a instanceof Float32Array
      ? new Float32Array(new SharedArrayBuffer(a.byteLength))
      : new Int32Array(new SharedArrayBuffer(a.byteLength))
  ) as T;
  copy.set(a);
  return copy;
}

/** Everything of a SymmetricJob but the part. */
type SymmetricWork = Omit<SymmetricJob, 'part' | 'parts'>;

/**
 * Runs the symmetric block pairs on `threads` parts: parts 1.. in worker threads on shared copies
 * of the rows, part 0 here; the workers' heaps are merged into ours. Under tsx (sources in .ts) a
 * worker registers tsx's loader first; compiled, it imports the .js file directly.
 */
async function runSymmetric(heaps: TopKHeaps, work: SymmetricWork, threads: number): Promise<void> {
  if (threads === 1) {
    runSymmetricPart(heaps, { ...work, part: 0, parts: 1 });
    return;
  }
  const p = work.pruned;
  const job: SymmetricWork = {
    ...work,
    X: shared(work.X),
    ids: shared(work.ids),
    ...(p ? { pruned: { head: shared(p.head), tails: shared(p.tails), r: p.r } } : {}),
  };
  const source = import.meta.url.endsWith('.ts') ? './top-k-tf-worker.ts' : './top-k-tf-worker.js';
  const url = new URL(source, import.meta.url).href;
  const code = url.endsWith('.ts')
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`
    : `import(${JSON.stringify(url)});`;
  const results = Array.from({ length: threads - 1 }, (_, w) => {
    const workerData: SymmetricJob = { ...job, part: w + 1, parts: threads };
    const worker = new Worker(code, { eval: true, workerData });
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
  runSymmetricPart(heaps, { ...job, part: 0, parts: threads });
  for (const r of await Promise.all(results)) heaps.merge(r.scores, r.indices);
}

/** Rows of a row-major n x w array in the order `perm` (position -> row). */
function permuteRows<T extends Float32Array | Int32Array>(a: T, w: number, perm: Int32Array): T {
  const out = a.slice(0, perm.length * w) as T;
  for (let p = 0; p < perm.length; p++) out.set(a.subarray(perm[p]! * w, perm[p]! * w + w), p * w);
  return out;
}

/**
 * Rows ordered by their spherical k-means cluster on the principal head (about 1,024 rows per
 * cluster), so that a block holds similar rows and its diagonal pair fills the heaps with strong
 * candidates first. Returns position -> row.
 */
function clusterOrder(head: PrincipalHead, n: number, seed: number): Int32Array {
  const clusters = Math.max(1, Math.min(n, Math.ceil(n / 1024)));
  const { assignment } = sphericalKMeans(head.head, head.r, { clusters, iterations: 4, seed });
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  return perm.sort((x, y) => assignment[x]! - assignment[y]! || x - y);
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
  await useTfBackend(backend, { caller: MODULE });
  const nq = o.queries.length;
  const nc = o.candidates.length;
  const k = Math.min(o.k, nc);
  const heaps = new TopKHeaps(nq, k);
  const Q = unitRows(vectors, dimensions, o.queries);
  const d = dimensions;
  const symmetric = sameRows(o.queries, o.candidates) && (options.symmetric ?? DEFAULTS.symmetric);
  const threads = options.threads ?? DEFAULTS.threads;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new GraphError(MODULE, `threads must be an integer in [1, 64], got ${threads}`);
  const prune = options.pruneDimensions ?? DEFAULTS.pruneDimensions;
  if (prune !== 'auto' && (!Number.isInteger(prune) || prune < 0 || prune >= d))
    throw new GraphError(
      MODULE,
      `pruneDimensions must be 'auto' or an integer in [0, ${d - 1}], got ${prune}`,
    );
  // Pruning pays on many rows only: below 4 d rows the rotation costs about what it saves.
  const head = symmetric && prune !== 0 && nq >= 4 * d ? principalHead(Q, nq, d, prune) : null;
  if (!symmetric) {
    rectangularBlocks(heaps, Q, unitRows(vectors, dimensions, o.candidates), d, o, queryBlock);
  } else if (!head) {
    const work = { X: Q, ids: o.queries, d, k, excludeSelf: o.excludeSelf, blockSize: o.blockSize, backend };
    await runSymmetric(heaps, work, threads);
  } else {
    const perm = clusterOrder(head, nq, options.seed ?? DEFAULTS.seed);
    const ordered = new TopKHeaps(nq, k);
    const work: SymmetricWork = {
      X: permuteRows(Q, d, perm),
      ids: Int32Array.from(perm, (p) => o.queries[p]!),
      d,
      k,
      excludeSelf: o.excludeSelf,
      blockSize: o.blockSize,
      backend,
      pruned: {
        head: permuteRows(head.head, head.r, perm),
        tails: permuteRows(head.tails, 1, perm),
        r: head.r,
      },
    };
    await runSymmetric(ordered, work, threads);
    for (let p = 0; p < nq; p++) {
      heaps.scores.set(ordered.scores.subarray(p * k, p * k + k), perm[p]! * k);
      heaps.indices.set(ordered.indices.subarray(p * k, p * k + k), perm[p]! * k);
    }
  }
  heaps.sortRows();
  return { indices: heaps.indices, scores: heaps.scores, k, queryCount: nq };
}
