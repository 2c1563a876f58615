/**
 * The classic approach, the baseline NextBestGraph must beat: one propensity model per product,
 * trained on the rows the old campaigns contacted, as banks build them. Per product p, an
 * L2-regularised logistic regression (src/numeric/logistic-regression.ts) on the contacted rows:
 *
 *   P(convert | contacted through c, row) = σ(b_p + w_p · [x | xc_c | onehot(c)])
 *
 * pContact is that for every channel; pNoContact is 0: the approach never asks what happens without
 * a contact, so it credits a contact with every conversion, including those of clients who convert
 * anyway. Its policy ranks by pContact × margin − cost (baseline-action-value.ts). A product with no
 * contacted rows, or only one outcome among them, gets its smoothed rate (Σwy + 1) / (Σw + 2).
 */
import type { UpliftExamples } from '../../features/examples.js';
import { fitLogisticRegression } from '../../numeric/logistic-regression.js';
import { stopwatch } from '../../stopwatch.js';
import { checkExamples, checkSameTable, tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import { type ModelFiles, readModelFiles, weightArray } from '../model-files.js';
import { Baseline } from './baseline.js';

export interface ClassicPropensityOptions {
  /** L2 penalty on the standardised coefficients. */
  readonly l2: number;
  readonly maxIterations: number;
}

export const CLASSIC_PROPENSITY_DEFAULTS: Readonly<ClassicPropensityOptions> = Object.freeze({
  l2: 1e-3,
  maxIterations: 200,
});

const KIND = 'classic-propensity';

function width(rows: UpliftExamples): number {
  return rows.schema.pair.length + rows.schema.channel.length + rows.channelIds.length;
}

/** Writes [x_i | xc_{i,c} | onehot(c)] at out[o…]. */
function designRow(rows: UpliftExamples, i: number, c: number, out: Float32Array, o: number): void {
  const F = rows.schema.pair.length;
  const K = rows.schema.channel.length;
  const C = rows.channelIds.length;
  out.set(rows.x.subarray(i * F, i * F + F), o);
  out.set(rows.xc.subarray((i * C + c) * K, (i * C + c) * K + K), o + F);
  out.fill(0, o + F + K, o + F + K + C);
  out[o + F + K + c] = 1;
}

export class ClassicPropensity extends Baseline<ClassicPropensityOptions> {
  readonly kind = KIND;
  /** P × (d + 1) raw-scale coefficients, [intercept, w…] per product. */
  private coef: Float64Array = new Float64Array(0);

  constructor(options: Partial<ClassicPropensityOptions> = {}) {
    super({ ...CLASSIC_PROPENSITY_DEFAULTS, ...options });
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    checkExamples(train, 'models/classic-propensity: fit', true);
    const P = train.productIds.length;
    const d = width(train);
    const byProduct: number[][] = Array.from({ length: P }, () => []);
    for (let i = 0; i < train.n; i++)
      if ((train.treatment[i] as number) >= 0 && (train.weight[i] as number) > 0)
        byProduct[train.product[i] as number]?.push(i);
    this.coef = new Float64Array(P * (d + 1));
    const metrics: Record<string, number> = { rows: train.n };
    let contacted = 0;
    for (let p = 0; p < P; p++) {
      const idx = byProduct[p] as number[];
      contacted += idx.length;
      let sw = 0;
      let swy = 0;
      for (const i of idx) {
        sw += train.weight[i] as number;
        swy += (train.weight[i] as number) * (train.outcome[i] as number);
      }
      const id = train.productIds[p] as string;
      metrics[`contactedRows.${id}`] = idx.length;
      if (swy === 0 || swy === sw) {
        const r = (swy + 1) / (sw + 2);
        this.coef[p * (d + 1)] = Math.log(r / (1 - r));
        continue;
      }
      const x = new Float32Array(idx.length * d);
      const labels = new Int32Array(idx.length);
      const weights = new Float64Array(idx.length);
      idx.forEach((i, k) => {
        designRow(train, i, train.treatment[i] as number, x, k * d);
        labels[k] = train.outcome[i] as number;
        weights[k] = train.weight[i] as number;
      });
      const fit = fitLogisticRegression(
        { x, d, labels, classes: 2, weights },
        { l2: this.options.l2, maxIterations: this.options.maxIterations },
      );
      this.coef.set(fit.coef, p * (d + 1));
      metrics[`loss.${id}`] = fit.loss;
    }
    metrics.contactedRows = contacted;
    metrics.seconds = sw.seconds();
    this.metrics = metrics;
    this.signature = tableSignature(train);
  }

  async predict(rows: UpliftExamples): Promise<ActionScores> {
    checkExamples(rows, 'models/classic-propensity: predict', false);
    checkSameTable(this.fitted(), rows, 'models/classic-propensity: predict');
    const C = rows.channelIds.length;
    const d = width(rows);
    const pContact = new Float32Array(rows.n * C);
    const z = new Float32Array(d);
    for (let i = 0; i < rows.n; i++) {
      const o = (rows.product[i] as number) * (d + 1);
      for (let c = 0; c < C; c++) {
        designRow(rows, i, c, z, 0);
        let s = this.coef[o] as number;
        for (let j = 0; j < d; j++) s += (this.coef[o + 1 + j] as number) * (z[j] as number);
        pContact[i * C + c] = 1 / (1 + Math.exp(-s));
      }
    }
    return { pContact, pNoContact: new Float32Array(rows.n) };
  }

  async save(dir: string): Promise<void> {
    await this.saveWith(dir, { coef: this.coef });
  }

  static fromFiles(files: ModelFiles): ClassicPropensity {
    const m = new ClassicPropensity(files.description.options as Partial<ClassicPropensityOptions>);
    m.restore(files);
    m.coef = weightArray(files, 'coef', Float64Array);
    return m;
  }

  static async load(dir: string): Promise<ClassicPropensity> {
    return ClassicPropensity.fromFiles(await readModelFiles(dir));
  }
}
