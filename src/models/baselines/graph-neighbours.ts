/**
 * Graph-neighbour baseline: what similar clients hold. Each client is a vector of its holdings
 * (`holds_<product>`, 0/1 times the product's idf log(1/holding rate)) and profile (`segment_*`, `age`, `income_band` where present,
 * z-scored), statistics taken over a seeded sample of reference clients from the training table;
 * holdings are not centred, so a product not held adds nothing to a similarity and clients who
 * hold it stay near. Its k nearest references by cosine (graph/'s exact topKCosine) vote with
 * their similarity, with product p's own dimension left out of the similarity (cos_p): with a
 * dozen products, plain cosine would pick the client's exact look-alikes, who by construction lack
 * the product too:
 *
 *   share(i, p) = Σ_{j ∈ kNN_p(i)} s_ij · holds_jp / Σ_{j ∈ kNN_p(i)} s_ij,   s_ij = max(0, cos_p(v_i, v_j))
 *
 * kNN_p(i) are the k best by cos_p among the poolFactor × k nearest by plain cosine; the product's
 * holding rate among the references stands in when no neighbour is similar. The k-nearest-client
 * graph is the one `nbg analyze` builds in Neo4j; this model rebuilds it from the table so
 * it needs no database. pContact = share for every channel; pNoContact NaN. Its policy ranks by
 * share × margin − cost (baseline-action-value.ts).
 */
import { topKCosine } from '../../../graph/index.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import { createRng } from '../../rng.js';
import { stopwatch } from '../../stopwatch.js';
import { checkExamples, checkSameTable, tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import { type ModelFiles, readModelFiles, weightArray } from '../model-files.js';
import { Baseline } from './baseline.js';
import { clientHoldings, holdingColumns } from './client-holdings.js';

export interface GraphNeighboursOptions {
  /** Neighbours per client. */
  readonly k: number;
  /** Reference clients kept from the training table at most (a seeded sample). */
  readonly maxReferences: number;
  /** The plain-cosine pool re-ranked per product holds poolFactor × k references. */
  readonly poolFactor: number;
  readonly seed: number;
}

export const GRAPH_NEIGHBOURS_DEFAULTS: Readonly<GraphNeighboursOptions> = Object.freeze({
  k: 20,
  maxReferences: 3_000,
  poolFactor: 5,
  seed: 42,
});

const KIND = 'graph-neighbours';

/** Pair-feature columns of a client's vector: holdings, then profile columns present in the schema. */
function vectorColumns(rows: UpliftExamples, where: string): Int32Array {
  const profile: number[] = [];
  rows.schema.pair.forEach((name, j) => {
    if (name.startsWith('segment_') || name === 'age' || name === 'income_band') profile.push(j);
  });
  return Int32Array.from([...holdingColumns(rows, where), ...profile]);
}

interface Fitted {
  /** Per column: v ↦ (v − mean) / sd (holdings: mean 0, sd 1/idf). */
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** nRef × d z-scored vectors; nRef × P holdings (0/1). */
  readonly refVectors: Float32Array;
  readonly refHoldings: Float32Array;
  readonly refClientIds: readonly string[];
  /** P: holding rate among references (the fallback). */
  readonly rate: Float64Array;
}

export class GraphNeighbours extends Baseline<GraphNeighboursOptions> {
  readonly kind = KIND;
  private state: Fitted | undefined;

  constructor(options: Partial<GraphNeighboursOptions> = {}) {
    super({ ...GRAPH_NEIGHBOURS_DEFAULTS, ...options });
    if (!Number.isInteger(this.options.k) || this.options.k < 1)
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `models/graph-neighbours: k must be an integer ≥ 1, got ${this.options.k}`,
      );
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    const where = 'models/graph-neighbours: fit';
    checkExamples(train, where, true);
    const cols = vectorColumns(train, where);
    const h = clientHoldings(train, where);
    const F = train.schema.pair.length;
    const P = train.productIds.length;
    const d = cols.length;
    // seeded sample of reference clients (a partial Fisher–Yates shuffle of positions)
    const nc = h.clients.length;
    const nRef = Math.min(nc, this.options.maxReferences);
    const order = Int32Array.from({ length: nc }, (_, u) => u);
    const rng = createRng(this.options.seed).fork('graph-neighbours-references');
    for (let a = 0; a < nRef; a++) {
      const b = a + rng.int(nc - a);
      const t = order[a] as number;
      order[a] = order[b] as number;
      order[b] = t;
    }
    const refs = order.subarray(0, nRef);
    const raw = new Float32Array(nRef * d);
    refs.forEach((u, r) => {
      const i = h.latestRow[u] as number;
      cols.forEach((j, q) => {
        raw[r * d + q] = train.x[i * F + j] as number;
      });
    });
    const mean = new Float64Array(d);
    const sd = new Float64Array(d);
    for (let q = 0; q < d; q++) {
      let s = 0;
      let s2 = 0;
      for (let r = 0; r < nRef; r++) {
        const v = raw[r * d + q] as number;
        s += v;
        s2 += v * v;
      }
      const m = s / nRef;
      if (q < P) {
        // holdings stay 0/1 (not held adds nothing to a dot product), scaled by idf = log(1/rate)
        mean[q] = 0;
        sd[q] = 1 / Math.log(1 / Math.min(1 - 1e-3, Math.max(1e-3, m)));
        continue;
      }
      mean[q] = m;
      const v = s2 / nRef - m * m;
      sd[q] = v > 1e-12 ? Math.sqrt(v) : 1;
    }
    for (let r = 0; r < nRef; r++)
      for (let q = 0; q < d; q++)
        raw[r * d + q] = ((raw[r * d + q] as number) - (mean[q] as number)) / (sd[q] as number);
    const refHoldings = new Float32Array(nRef * P);
    const rate = new Float64Array(P);
    refs.forEach((u, r) => {
      for (let q = h.holdings.indptr[u] as number; q < (h.holdings.indptr[u + 1] as number); q++) {
        const p = h.holdings.indices[q] as number;
        refHoldings[r * P + p] = 1;
        rate[p] = (rate[p] as number) + 1 / nRef;
      }
    });
    this.signature = tableSignature(train);
    this.state = {
      mean,
      sd,
      refVectors: raw,
      refHoldings,
      refClientIds: Array.from(refs, (u) => train.clientIds[h.clients[u] as number] as string),
      rate,
    };
    this.metrics = {
      rows: train.n,
      clients: nc,
      references: nRef,
      dimensions: d,
      seconds: sw.seconds(),
    };
  }

  private fittedState(): Fitted {
    this.fitted();
    return this.state as Fitted;
  }

  /** share(i, p) of each row's own product, n. */
  shares(rows: UpliftExamples): Float32Array {
    const st = this.fittedState();
    const where = 'models/graph-neighbours: predict';
    checkExamples(rows, where, false);
    checkSameTable(this.fitted(), rows, where);
    const cols = vectorColumns(rows, where);
    const h = clientHoldings(rows, where);
    const F = rows.schema.pair.length;
    const P = rows.productIds.length;
    const d = cols.length;
    const nq = h.clients.length;
    const nRef = st.refClientIds.length;
    const vectors = new Float32Array((nq + nRef) * d);
    for (let u = 0; u < nq; u++) {
      const i = h.latestRow[u] as number;
      for (let q = 0; q < d; q++)
        vectors[u * d + q] =
          ((rows.x[i * F + (cols[q] as number)] as number) - (st.mean[q] as number)) / (st.sd[q] as number);
    }
    vectors.set(st.refVectors, nq * d);
    const norm2 = new Float64Array(nq + nRef);
    for (let v = 0; v < nq + nRef; v++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += (vectors[v * d + q] as number) ** 2;
      norm2[v] = s;
    }
    // a pool of the nearest references by plain cosine, then per product the k nearest by cos_p
    const k = this.options.k;
    const kPool = Math.min(nRef, Math.max(this.options.poolFactor * k, k + 1));
    const top = topKCosine(vectors, d, {
      k: kPool,
      queries: Int32Array.from({ length: nq }, (_, u) => u),
      candidates: Int32Array.from({ length: nRef }, (_, r) => nq + r),
      excludeSelf: false,
    });
    const refIndex = new Map(st.refClientIds.map((id, r) => [id, r]));
    const share = new Float64Array(nq * P);
    const dot = new Float64Array(kPool);
    const ref = new Int32Array(kPool);
    const sims = new Float64Array(kPool);
    const sorted = new Float64Array(kPool);
    for (let u = 0; u < nq; u++) {
      const self = refIndex.get(rows.clientIds[h.clients[u] as number] as string) ?? -1;
      const qn = Math.sqrt(norm2[u] as number);
      let m = 0;
      for (let t = 0; t < kPool; t++) {
        const c = top.indices[u * kPool + t] as number;
        if (c < 0) break;
        if (c - nq === self) continue;
        ref[m] = c - nq;
        dot[m] = (top.scores[u * kPool + t] as number) * qn * Math.sqrt(norm2[c] as number);
        m++;
      }
      for (let p = 0; p < P; p++) {
        // leave product p's own dimension out of both norms (the query's dot product has none of it
        // when it does not hold p): holders of p are then as near as the query's exact look-alikes
        const qp = (vectors[u * d + p] as number) ** 2;
        const qNorm = Math.sqrt(Math.max(0, (norm2[u] as number) - qp));
        for (let t = 0; t < m; t++) {
          const r = ref[t] as number;
          const rp = (st.refVectors[r * d + p] as number) ** 2;
          const rNorm = Math.sqrt(Math.max(0, (norm2[nq + r] as number) - rp));
          const num = (dot[t] as number) - Math.sqrt(qp * rp);
          const c = qNorm > 0 && rNorm > 0 ? num / (qNorm * rNorm) : 0;
          sims[t] = c;
          sorted[t] = c;
        }
        const view = sorted.subarray(0, m).sort();
        const threshold = m > k ? (view[m - k] as number) : Number.NEGATIVE_INFINITY;
        let total = 0;
        let held = 0;
        let used = 0;
        for (let t = 0; t < m && used < k; t++) {
          const c = sims[t] as number;
          if (c < threshold || c <= 0) continue;
          used++;
          total += c;
          held += c * (st.refHoldings[(ref[t] as number) * P + p] as number);
        }
        share[u * P + p] = total > 0 ? held / total : (st.rate[p] as number);
      }
    }
    const out = new Float32Array(rows.n);
    for (let i = 0; i < rows.n; i++)
      out[i] = share[
        (h.position[rows.client[i] as number] as number) * P + (rows.product[i] as number)
      ] as number;
    return out;
  }

  async predict(rows: UpliftExamples): Promise<ActionScores> {
    const s = this.shares(rows);
    const C = rows.channelIds.length;
    const pContact = new Float32Array(rows.n * C);
    for (let i = 0; i < rows.n; i++) pContact.fill(s[i] as number, i * C, i * C + C);
    return { pContact, pNoContact: new Float32Array(rows.n).fill(Number.NaN) };
  }

  async save(dir: string): Promise<void> {
    const st = this.fittedState();
    await this.saveWith(
      dir,
      { mean: st.mean, sd: st.sd, refVectors: st.refVectors, refHoldings: st.refHoldings, rate: st.rate },
      { refClientIds: st.refClientIds },
    );
  }

  static fromFiles(files: ModelFiles): GraphNeighbours {
    const m = new GraphNeighbours(files.description.options as Partial<GraphNeighboursOptions>);
    m.restore(files);
    m.state = {
      refClientIds: files.state.refClientIds as string[],
      mean: weightArray(files, 'mean', Float64Array),
      sd: weightArray(files, 'sd', Float64Array),
      refVectors: weightArray(files, 'refVectors', Float32Array),
      refHoldings: weightArray(files, 'refHoldings', Float32Array),
      rate: weightArray(files, 'rate', Float64Array),
    };
    return m;
  }

  static async load(dir: string): Promise<GraphNeighbours> {
    return GraphNeighbours.fromFiles(await readModelFiles(dir));
  }
}
