/**
 * Popularity baseline: the weighted conversion rate of each product over all training rows,
 *
 *   rate(p) = Σ_{i: product p} w_i y_i / Σ_{i: product p} w_i,
 *
 * the same for every client and channel, with and without a contact (uplift 0). Its policy ranks
 * by rate × margin − channel cost (baseline-action-value.ts): the best sellers to everyone.
 */
import type { UpliftExamples } from '../../features/examples.js';
import { stopwatch } from '../../stopwatch.js';
import { checkExamples, checkSameTable, tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import { type ModelFiles, readModelFiles, weightArray } from '../model-files.js';
import { Baseline } from './baseline.js';

const KIND = 'popularity';

export class Popularity extends Baseline<Record<string, never>> {
  readonly kind = KIND;
  private rate: Float64Array = new Float64Array(0);

  constructor() {
    super({});
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    checkExamples(train, 'models/popularity: fit', true);
    const P = train.productIds.length;
    const num = new Float64Array(P);
    const den = new Float64Array(P);
    for (let i = 0; i < train.n; i++) {
      const p = train.product[i] as number;
      const w = train.weight[i] as number;
      num[p] = (num[p] as number) + w * (train.outcome[i] as number);
      den[p] = (den[p] as number) + w;
    }
    this.rate = Float64Array.from(num, (v, p) => ((den[p] as number) > 0 ? v / (den[p] as number) : 0));
    this.signature = tableSignature(train);
    this.metrics = { rows: train.n, seconds: sw.seconds() };
    train.productIds.forEach((id, p) => {
      this.metrics[`rate.${id}`] = this.rate[p] as number;
    });
  }

  async predict(rows: UpliftExamples): Promise<ActionScores> {
    checkExamples(rows, 'models/popularity: predict', false);
    checkSameTable(this.fitted(), rows, 'models/popularity: predict');
    const C = rows.channelIds.length;
    const pContact = new Float32Array(rows.n * C);
    const pNoContact = new Float32Array(rows.n);
    for (let i = 0; i < rows.n; i++) {
      const r = this.rate[rows.product[i] as number] as number;
      pContact.fill(r, i * C, i * C + C);
      pNoContact[i] = r;
    }
    return { pContact, pNoContact };
  }

  async save(dir: string): Promise<void> {
    await this.saveWith(dir, { rate: this.rate });
  }

  static fromFiles(files: ModelFiles): Popularity {
    const m = new Popularity();
    m.restore(files);
    m.rate = weightArray(files, 'rate', Float64Array);
    return m;
  }

  static async load(dir: string): Promise<Popularity> {
    return Popularity.fromFiles(await readModelFiles(dir));
  }
}
