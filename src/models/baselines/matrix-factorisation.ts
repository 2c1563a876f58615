/**
 * Matrix-factorisation baseline: implicit ALS (src/models/baselines/implicit-als.ts; Hu, Koren & Volinsky
 * 2008) on the client × product holdings as of each client's latest training row (the
 * `holds_<product>` features, client-holdings.ts). Fit learns the product factors; scoring folds
 * the scored clients in from their current holdings (an exact least-squares solve per client), so
 * clients unseen in training and holdings that changed since are handled alike.
 *
 *   score(i, p) = x_client(i) · y_p,   pContact(i, c) = clamp(score, 0, 1) for every channel
 *
 * pNoContact is NaN (the model says nothing about a contact's effect). Its policy ranks by
 * score × margin − cost (baseline-action-value.ts): "clients like you hold this".
 */
import type { UpliftExamples } from '../../features/examples.js';
import { stopwatch } from '../../stopwatch.js';
import { checkExamples, checkSameTable, tableSignature } from '../check-examples.js';
import type { ActionScores } from '../model.js';
import { type ModelFiles, readModelFiles, weightArray } from '../model-files.js';
import { Baseline } from './baseline.js';
import { clientHoldings } from './client-holdings.js';
import {
  fitImplicitAls,
  foldInUsers,
  IMPLICIT_ALS_DEFAULTS,
  type ImplicitAlsOptions,
} from './implicit-als.js';

const KIND = 'matrix-factorisation';

export class MatrixFactorisation extends Baseline<ImplicitAlsOptions> {
  readonly kind = KIND;
  private itemFactors: Float32Array = new Float32Array(0);

  constructor(options: Partial<ImplicitAlsOptions> = {}) {
    super({ ...IMPLICIT_ALS_DEFAULTS, ...options });
  }

  async fit(train: UpliftExamples): Promise<void> {
    const sw = stopwatch();
    checkExamples(train, 'models/matrix-factorisation: fit', true);
    const h = clientHoldings(train, 'models/matrix-factorisation: fit');
    const fit = fitImplicitAls(h.holdings, this.options);
    this.itemFactors = fit.itemFactors;
    this.signature = tableSignature(train);
    this.metrics = {
      rows: train.n,
      clients: h.clients.length,
      holdings: h.holdings.indices.length,
      seconds: sw.seconds(),
    };
  }

  /** score(i, p) for each row's own product, n. */
  scores(rows: UpliftExamples): Float32Array {
    const where = 'models/matrix-factorisation: predict';
    checkExamples(rows, where, false);
    checkSameTable(this.fitted(), rows, where);
    const h = clientHoldings(rows, where);
    const f = this.options.factors;
    const users = foldInUsers(h.holdings, this.itemFactors, f, this.options);
    const out = new Float32Array(rows.n);
    for (let i = 0; i < rows.n; i++) {
      const u = h.position[rows.client[i] as number] as number;
      const p = rows.product[i] as number;
      let s = 0;
      for (let a = 0; a < f; a++) s += (users[u * f + a] as number) * (this.itemFactors[p * f + a] as number);
      out[i] = s;
    }
    return out;
  }

  async predict(rows: UpliftExamples): Promise<ActionScores> {
    const s = this.scores(rows);
    const C = rows.channelIds.length;
    const pContact = new Float32Array(rows.n * C);
    for (let i = 0; i < rows.n; i++)
      pContact.fill(Math.min(1, Math.max(0, s[i] as number)), i * C, i * C + C);
    return { pContact, pNoContact: new Float32Array(rows.n).fill(Number.NaN) };
  }

  async save(dir: string): Promise<void> {
    await this.saveWith(dir, { itemFactors: this.itemFactors });
  }

  static fromFiles(files: ModelFiles): MatrixFactorisation {
    const m = new MatrixFactorisation(files.description.options as Partial<ImplicitAlsOptions>);
    m.restore(files);
    m.itemFactors = weightArray(files, 'itemFactors', Float32Array);
    return m;
  }

  static async load(dir: string): Promise<MatrixFactorisation> {
    return MatrixFactorisation.fromFiles(await readModelFiles(dir));
  }
}
