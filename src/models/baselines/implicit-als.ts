/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky,
 * "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008), with the conjugate-gradient
 * user and item updates of Takács, Pilászy & Tikk (RecSys 2011), as the `implicit` library does:
 *
 *   minimise Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²),
 *   p_ui = 1[r_ui > 0],  c_ui = 1 + α r_ui.
 *
 * Each half-step solves, per user, (YᵀY + λI + Σ_{i: r_ui>0} α r_ui y_i y_iᵀ) x_u = Σ_{i: r_ui>0} (1 + α r_ui) y_i
 * with `cgSteps` warm-started CG steps (the same for items with X). Factors start as seeded
 * uniforms × 0.01. Input: a CSR matrix rows = users, columns = items; factors are row-major
 * Float32Array (users × f, items × f). Defaults: 32 factors, 15 iterations and 3 CG steps as
 * `implicit` 0.7, α = 40 as Hu et al., and λ = 100: with a dozen products, 32 factors can fit each
 * client's holdings exactly, so a weak penalty scores every product not held near 0. Measured on a
 * seeded 3,000-client, 12-product persona matrix, recall@3 of held-out holdings: λ 0.01 0.57,
 * λ 1 0.40, λ 10 0.77, λ 100 0.79 (popularity 0.56); implicit's own defaults (α 1, λ 0.01) 0.40.
 */
import { ErrorCode, NbgError } from '../../errors.js';
import { choleskySolve } from '../../numeric/cholesky.js';
import { createRng } from '../../rng.js';

export interface ImplicitAlsOptions {
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly cgSteps: number;
  readonly seed: number;
}

export const IMPLICIT_ALS_DEFAULTS: Readonly<ImplicitAlsOptions> = Object.freeze({
  factors: 32,
  regularization: 100,
  alpha: 40,
  iterations: 15,
  cgSteps: 3,
  seed: 42,
});

/** Compressed sparse rows: row r's entries are indices/values[indptr[r] … indptr[r + 1]). */
export interface SparseRows {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface ImplicitAlsFit {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly factors: number;
}

const MODULE = 'models/implicit-als';

function checkSparse(m: SparseRows): void {
  if (m.indptr.length !== m.nRows + 1)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${MODULE}: indptr has ${m.indptr.length} entries, expected nRows + 1 = ${m.nRows + 1}`,
    );
  const nnz = m.indptr[m.nRows] as number;
  if (m.indices.length !== nnz || m.values.length !== nnz)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${MODULE}: ${m.indices.length} indices and ${m.values.length} values for ${nnz} entries`,
    );
  for (let k = 0; k < nnz; k++) {
    const j = m.indices[k] as number;
    if (j < 0 || j >= m.nCols)
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `${MODULE}: column ${j} at entry ${k} is outside 0..${m.nCols - 1}`,
      );
    if (!((m.values[k] as number) > 0))
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `${MODULE}: value ${m.values[k]} at entry ${k}: values must be > 0`,
      );
  }
}

/** The transpose of a CSR matrix (items × users). */
export function transposeSparse(m: SparseRows): SparseRows {
  const nnz = m.indptr[m.nRows] as number;
  const indptr = new Int32Array(m.nCols + 1);
  for (let k = 0; k < nnz; k++) indptr[(m.indices[k] as number) + 1]!++;
  for (let j = 0; j < m.nCols; j++) indptr[j + 1]! += indptr[j] as number;
  const next = indptr.slice(0, m.nCols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < m.nRows; r++)
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) {
      const j = m.indices[k] as number;
      const at = next[j]!++;
      indices[at] = r;
      values[at] = m.values[k] as number;
    }
  return { nRows: m.nCols, nCols: m.nRows, indptr, indices, values };
}

/** G = FᵀF + λI for an n × f factor matrix. */
function gram(F: Float32Array, n: number, f: number, lambda: number): Float64Array {
  const g = new Float64Array(f * f);
  for (let r = 0; r < n; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const va = F[o + a] as number;
      if (va === 0) continue;
      for (let b = a; b < f; b++) g[a * f + b] = (g[a * f + b] as number) + va * (F[o + b] as number);
    }
  }
  for (let a = 0; a < f; a++) {
    g[a * f + a] = (g[a * f + a] as number) + lambda;
    for (let b = 0; b < a; b++) g[a * f + b] = g[b * f + a] as number;
  }
  return g;
}

/** One CG half-step: updates every row of X given the fixed factors Y (Takács et al. 2011). */
function cgUpdate(
  m: SparseRows,
  X: Float32Array,
  Y: Float32Array,
  G: Float64Array,
  f: number,
  alpha: number,
  steps: number,
): void {
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const Ap = new Float64Array(f);
  const x = new Float64Array(f);
  for (let u = 0; u < m.nRows; u++) {
    const o = u * f;
    for (let a = 0; a < f; a++) x[a] = X[o + a] as number;
    // r = b − A x
    for (let a = 0; a < f; a++) {
      let s = 0;
      for (let b = 0; b < f; b++) s += (G[a * f + b] as number) * (x[b] as number);
      r[a] = -s;
    }
    for (let k = m.indptr[u] as number; k < (m.indptr[u + 1] as number); k++) {
      const yo = (m.indices[k] as number) * f;
      const c = 1 + alpha * (m.values[k] as number);
      let yx = 0;
      for (let a = 0; a < f; a++) yx += (Y[yo + a] as number) * (x[a] as number);
      const coef = c - (c - 1) * yx;
      for (let a = 0; a < f; a++) r[a] = (r[a] as number) + coef * (Y[yo + a] as number);
    }
    let rs = 0;
    for (let a = 0; a < f; a++) {
      p[a] = r[a] as number;
      rs += (r[a] as number) ** 2;
    }
    for (let step = 0; step < steps && rs > 1e-20; step++) {
      for (let a = 0; a < f; a++) {
        let s = 0;
        for (let b = 0; b < f; b++) s += (G[a * f + b] as number) * (p[b] as number);
        Ap[a] = s;
      }
      for (let k = m.indptr[u] as number; k < (m.indptr[u + 1] as number); k++) {
        const yo = (m.indices[k] as number) * f;
        const c1 = alpha * (m.values[k] as number);
        let yp = 0;
        for (let a = 0; a < f; a++) yp += (Y[yo + a] as number) * (p[a] as number);
        for (let a = 0; a < f; a++) Ap[a] = (Ap[a] as number) + c1 * yp * (Y[yo + a] as number);
      }
      let pAp = 0;
      for (let a = 0; a < f; a++) pAp += (p[a] as number) * (Ap[a] as number);
      const step_ = rs / pAp;
      let rsNew = 0;
      for (let a = 0; a < f; a++) {
        x[a] = (x[a] as number) + step_ * (p[a] as number);
        r[a] = (r[a] as number) - step_ * (Ap[a] as number);
        rsNew += (r[a] as number) ** 2;
      }
      for (let a = 0; a < f; a++) p[a] = (r[a] as number) + (rsNew / rs) * (p[a] as number);
      rs = rsNew;
    }
    for (let a = 0; a < f; a++) X[o + a] = x[a] as number;
  }
}

export function fitImplicitAls(m: SparseRows, options: Partial<ImplicitAlsOptions> = {}): ImplicitAlsFit {
  const o = { ...IMPLICIT_ALS_DEFAULTS, ...options };
  checkSparse(m);
  if (m.nRows === 0 || m.nCols === 0)
    throw new NbgError(ErrorCode.BAD_INPUT, `${MODULE}: an empty matrix (${m.nRows} × ${m.nCols})`);
  if (!Number.isInteger(o.factors) || o.factors < 1)
    throw new NbgError(ErrorCode.BAD_CONFIG, `${MODULE}: factors must be an integer ≥ 1, got ${o.factors}`);
  if (!(o.regularization > 0))
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `${MODULE}: regularization must be > 0, got ${o.regularization}`,
    );
  const f = o.factors;
  const rng = createRng(o.seed).fork('implicit-als');
  const X = Float32Array.from({ length: m.nRows * f }, () => rng.next() * 0.01);
  const Y = Float32Array.from({ length: m.nCols * f }, () => rng.next() * 0.01);
  const t = transposeSparse(m);
  for (let it = 0; it < o.iterations; it++) {
    cgUpdate(m, X, Y, gram(Y, m.nCols, f, o.regularization), f, o.alpha, o.cgSteps);
    cgUpdate(t, Y, X, gram(X, m.nRows, f, o.regularization), f, o.alpha, o.cgSteps);
  }
  return { userFactors: X, itemFactors: Y, factors: f };
}

/**
 * Factors of new users against fixed item factors (an exact solve per user, Cholesky): how a
 * fitted model scores clients it was not trained on, or whose holdings changed since.
 */
export function foldInUsers(
  m: SparseRows,
  itemFactors: Float32Array,
  factors: number,
  options: Pick<ImplicitAlsOptions, 'regularization' | 'alpha'>,
): Float32Array {
  checkSparse(m);
  const f = factors;
  if (itemFactors.length !== m.nCols * f)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `${MODULE}: ${itemFactors.length} item factor values for ${m.nCols} items × ${f}`,
    );
  const G = gram(itemFactors, m.nCols, f, options.regularization);
  const A = new Float64Array(f * f);
  const b = new Float64Array(f);
  const out = new Float32Array(m.nRows * f);
  for (let u = 0; u < m.nRows; u++) {
    A.set(G);
    b.fill(0);
    for (let k = m.indptr[u] as number; k < (m.indptr[u + 1] as number); k++) {
      const yo = (m.indices[k] as number) * f;
      const c1 = options.alpha * (m.values[k] as number);
      for (let a = 0; a < f; a++) {
        const ya = itemFactors[yo + a] as number;
        b[a] = (b[a] as number) + (1 + c1) * ya;
        for (let c = 0; c < f; c++)
          A[a * f + c] = (A[a * f + c] as number) + c1 * ya * (itemFactors[yo + c] as number);
      }
    }
    choleskySolve(A, b, f, `${MODULE}: fold-in`);
    for (let a = 0; a < f; a++) out[u * f + a] = b[a] as number;
  }
  return out;
}
