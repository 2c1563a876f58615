/**
 * Spherical k-means on unit-norm rows (cosine similarity = dot product): k-means++ seeding
 * (Arthur & Vassilvitskii 2007) with distance 1 − cos, then Lloyd iterations assigning each row to
 * the centroid of highest dot product and re-normalising centroids (Dhillon & Modha 2001). Seeded,
 * deterministic. Shapes: n rows of d floats; returns assignment[n] and k centroids of d.
 *
 * Not a twin of graph/similarity/spherical-k-means.ts, though both are spherical k-means: graph's
 * is the IVF index's coarse quantiser for millions of rows (distinct random rows as seeds, a fixed
 * number of iterations on a sample, float32 TensorFlow.js products); this one, for a few thousand
 * verbatims, seeds with k-means++ and iterates to convergence on every row in float64 dot
 * products. On the 60 fixture verbatims the two partitions disagree on 14–39% of the pairs (k 3,
 * 5, 8; seeds 1, 42), so the topics keep this one (docs/text.md).
 */
import { ErrorCode, NbgError } from '../errors.js';
import { createRng } from '../rng.js';

export interface KmeansOptions {
  seed: number;
  maxIterations: number;
}

export const KMEANS_DEFAULTS: Readonly<KmeansOptions> = Object.freeze({ seed: 42, maxIterations: 50 });

export interface KMeansResult {
  readonly assignment: Uint32Array;
  readonly centroids: Float32Array[];
  readonly iterations: number;
}

/** Documented rule for k: round(√(n/2)) clamped to [2, 12] (Mardia et al. 1979 rule of thumb, capped for readability). */
export function chooseK(n: number): number {
  return Math.max(2, Math.min(12, Math.round(Math.sqrt(n / 2))));
}

const dot = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

export function kmeans(
  rows: readonly Float32Array[],
  k: number,
  options: Partial<KmeansOptions> = {},
): KMeansResult {
  const o = { ...KMEANS_DEFAULTS, ...options };
  const n = rows.length;
  if (!Number.isInteger(k) || k < 1)
    throw new NbgError(ErrorCode.BAD_INPUT, `kmeans: k must be a positive integer, got ${k}`);
  if (n < k) throw new NbgError(ErrorCode.BAD_INPUT, `kmeans: ${n} rows cannot make ${k} clusters`);
  const d = (rows[0] as Float32Array).length;
  rows.forEach((r, i) => {
    if (r.length !== d)
      throw new NbgError(ErrorCode.BAD_INPUT, `kmeans: row ${i} has ${r.length} dims, expected ${d}`);
  });
  const rng = createRng(o.seed);
  const centroids: Float32Array[] = [Float32Array.from(rows[rng.int(n)] as Float32Array)];
  const dist = new Float64Array(n);
  while (centroids.length < k) {
    for (let i = 0; i < n; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (const c of centroids) best = Math.min(best, Math.max(0, 1 - dot(rows[i] as Float32Array, c)));
      dist[i] = best * best;
    }
    const total = dist.reduce((s, x) => s + x, 0);
    const pick = total > 0 ? rng.weighted(dist) : rng.int(n);
    centroids.push(Float32Array.from(rows[pick] as Float32Array));
  }
  const assignment = new Uint32Array(n);
  let it = 0;
  for (; it < o.maxIterations; it++) {
    let changed = it === 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const s = dot(rows[i] as Float32Array, centroids[c] as Float32Array);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      if (assignment[i] !== best) changed = true;
      assignment[i] = best;
    }
    if (!changed) break;
    for (let c = 0; c < k; c++) {
      const m = new Float32Array(d);
      let count = 0;
      for (let i = 0; i < n; i++)
        if (assignment[i] === c) {
          count++;
          const r = rows[i] as Float32Array;
          for (let j = 0; j < d; j++) m[j] = (m[j] as number) + (r[j] as number);
        }
      if (count === 0) continue; // keep the old centroid for an empty cluster
      const norm = Math.sqrt(dot(m, m)) || 1;
      for (let j = 0; j < d; j++) m[j] = (m[j] as number) / norm;
      centroids[c] = m;
    }
  }
  return { assignment, centroids, iterations: it };
}

/**
 * Subtracts the mean row and re-normalises each row to unit length. E5 vectors share a large
 * common component (all cosines sit in about 0.75..1.0), which drowns the topic signal; centring
 * on the corpus mean removes it before clustering (as in Ethayarajh 2019 on anisotropy).
 */
export function centerRows(rows: readonly Float32Array[]): Float32Array[] {
  const first = rows[0];
  if (!first) return [];
  const d = first.length;
  const mean = new Float64Array(d);
  for (const r of rows)
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / rows.length;
  return rows.map((r) => {
    const c = new Float32Array(d);
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = (r[j] as number) - (mean[j] as number);
      c[j] = v;
      s += v * v;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) c[j] = (c[j] as number) * inv;
    return c;
  });
}
