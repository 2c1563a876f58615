/**
 * An ActionValueSource backed by a trained uplift model, for `nbg plan` and the API: the value of
 * contacting a client about a product through a channel is the action value of action-value.ts,
 * uplift × margin − cost − fatigue (EUR), from the model's predictions on the client's decision
 * rows (src/features). Scoring is plain TypeScript (the networks' weights as Float32Arrays), no
 * TensorFlow.js: a client's actions cost microseconds once its rows exist.
 *
 * Rows come from a table given up front (`fromRows`: a batch plan at one date) and, for clients it
 * does not hold, from an optional `rowsFor(clientIds)` provider (live features, e.g. from Neo4j),
 * scored on first use and cached. A (client, product, channel) the rows do not cover (a product
 * held, an unknown client without a provider) is NaN, as in the other value sources.
 *
 * With `valuation: 'baseline'` the values are a baseline's own (its actionValue: pContact × margin −
 * cost), for planning the classic approach under the same rules (`nbg plan --values classic`).
 */

import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { UpliftExamples } from '../../features/examples.js';
import type { ActionScores, OutcomeModel } from '../../models/model.js';
import { type ActionValueOptions, actionValues } from '../../models/value/action-value.js';
import type { BaselineModel } from '../../models/value/baseline-action-value.js';
import type { ActionValueSource, ValueParts } from './action-value-source.js';

export interface ModelValueSourceOptions {
  /** Written on every recommendation. */
  readonly modelVersion: string;
  /** Builds decision rows for clients the initial table lacks; none = those clients are NaN. */
  readonly rowsFor?: (clientIds: readonly string[]) => Promise<UpliftExamples>;
  /**
   * Options of the action value. The moment (`waitDays`) is not computed unless asked for here: the
   * values do not depend on it and it costs one scoring pass per day considered; when asked for,
   * `suggestedWait` tells it.
   */
  readonly actionValue?: Partial<ActionValueOptions>;
  /**
   * The suite's classic per-product propensity model, for the score decomposition only (parts():
   * what the classic approach would rank by, and how far the debiased model moves from it). It does
   * not change any value.
   */
  readonly classic?: OutcomeModel;
  /**
   * What the values are: 'action-value' (default), the debiased action value of action-value.ts;
   * or 'baseline', what a baseline model (e.g. the suite's classic-propensity) ranks by, its
   * actionValue (pContact × margin − cost, no fatigue, baseline-action-value.ts), so the classic
   * approach can be planned under the same rules. parts() then shows uplift = pContact − pNoContact.
   */
  readonly valuation?: 'action-value' | 'baseline';
}

/** The values of a table and the probabilities behind them, n × C each. */
interface RowValues {
  readonly value: Float64Array;
  readonly uplift: Float32Array;
  readonly fatigue: Float64Array;
  readonly scores: ActionScores;
  readonly waitDays: Int16Array;
}

const isBaseline = (m: OutcomeModel): m is BaselineModel =>
  typeof (m as Partial<BaselineModel>).actionValue === 'function';

/** One client's scored actions: P × C per array, in the table's product and channel order. */
interface ClientValues {
  readonly value: Float64Array;
  readonly uplift: Float64Array;
  readonly fatigue: Float64Array;
  readonly pContact: Float64Array;
  /** The classic model's P(convert | contacted), NaN without one. */
  readonly classic: Float64Array;
  /** P: the suggested wait in days of each product's row (0 = now), −1 where there is no row. */
  readonly waitDays: Int16Array;
}

export class ModelValueSource implements ActionValueSource {
  readonly name: string;
  readonly modelVersion: string;
  private readonly cache = new Map<string, ClientValues>();
  private productIndex = new Map<string, number>();
  private channelIndex = new Map<string, number>();
  private P = 0;
  private C = 0;

  private constructor(
    private readonly model: OutcomeModel,
    private readonly options: ModelValueSourceOptions,
  ) {
    this.name = `model:${model.kind}`;
    this.modelVersion = options.modelVersion;
  }

  /** Scores every row of `rows` (kind 'decide') at once and keeps the values by client. */
  static async fromRows(
    model: OutcomeModel,
    rows: UpliftExamples,
    options: ModelValueSourceOptions,
  ): Promise<ModelValueSource> {
    const source = new ModelValueSource(model, options);
    await source.add(rows);
    return source;
  }

  /** A source that builds every client's rows on demand through `options.rowsFor`. */
  static live(model: OutcomeModel, options: ModelValueSourceOptions): ModelValueSource {
    if (!options.rowsFor)
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        'models/model-value-source: live() needs a rowsFor(clientIds) provider',
      );
    return new ModelValueSource(model, options);
  }

  private async add(rows: UpliftExamples): Promise<void> {
    if (rows.n === 0) return;
    if (this.P === 0) {
      this.P = rows.productIds.length;
      this.C = rows.channelIds.length;
      this.productIndex = new Map(rows.productIds.map((id, p) => [id, p]));
      this.channelIndex = new Map(rows.channelIds.map((id, c) => [id, c]));
    } else if (rows.productIds.length !== this.P || rows.channelIds.length !== this.C) {
      throw new NbgError(
        ErrorCode.BAD_INPUT,
        `models/model-value-source: rows have ${rows.productIds.length} products and ${rows.channelIds.length} channels, expected ${this.P} and ${this.C}`,
      );
    }
    const av = await this.rowValues(rows);
    const classic = this.options.classic ? (await this.options.classic.predict(rows)).pContact : undefined;
    const { P, C } = this;
    for (let i = 0; i < rows.n; i++) {
      const id = rows.clientIds[rows.client[i]!]!;
      let cv = this.cache.get(id);
      if (!cv) {
        cv = {
          value: new Float64Array(P * C).fill(Number.NaN),
          uplift: new Float64Array(P * C).fill(Number.NaN),
          fatigue: new Float64Array(P * C).fill(Number.NaN),
          pContact: new Float64Array(P * C).fill(Number.NaN),
          classic: new Float64Array(P * C).fill(Number.NaN),
          waitDays: new Int16Array(P).fill(-1),
        };
        this.cache.set(id, cv);
      }
      const p = rows.product[i]!;
      cv.waitDays[p] = av.waitDays[i]!;
      for (let c = 0; c < C; c++) {
        const k = i * C + c;
        const v = av.value[k]!;
        cv.value[p * C + c] = Number.isFinite(v) ? v : Number.NaN;
        cv.uplift[p * C + c] = av.uplift[k]!;
        cv.fatigue[p * C + c] = av.fatigue[k]!;
        cv.pContact[p * C + c] = av.scores.pContact[k]!;
        if (classic) cv.classic[p * C + c] = classic[k]!;
      }
    }
  }

  private async rowValues(rows: UpliftExamples): Promise<RowValues> {
    if (this.options.valuation !== 'baseline')
      return actionValues(this.model, rows, { waitDays: [], ...this.options.actionValue });
    const model = this.model;
    if (!isBaseline(model))
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `models/model-value-source: valuation 'baseline' needs a baseline model (with actionValue), got ${model.kind}`,
      );
    const C = rows.channelIds.length;
    const scores = await model.predict(rows);
    const uplift = new Float32Array(rows.n * C);
    for (let i = 0; i < rows.n; i++)
      for (let c = 0; c < C; c++) uplift[i * C + c] = scores.pContact[i * C + c]! - scores.pNoContact[i]!;
    return {
      value: await model.actionValue(rows),
      uplift,
      fatigue: new Float64Array(rows.n * C),
      scores,
      waitDays: new Int16Array(rows.n),
    };
  }

  async score(
    clients: readonly ClientState[],
    products: readonly ProductInfo[],
    channels: readonly ChannelInfo[],
    out: Float64Array,
  ): Promise<void> {
    const P = products.length;
    const C = channels.length;
    if (out.length < clients.length * P * C)
      throw new NbgError(
        ErrorCode.INTERNAL,
        `models/model-value-source: out has ${out.length} cells, needs ${clients.length} × ${P} × ${C}`,
      );
    const missing = clients.filter((cl) => !this.cache.has(cl.id)).map((cl) => cl.id as string);
    if (missing.length > 0 && this.options.rowsFor) await this.add(await this.options.rowsFor(missing));
    const pIdx = products.map((p) => this.productIndex.get(p.id) ?? -1);
    const cIdx = channels.map((c) => this.channelIndex.get(c.id) ?? -1);
    for (let i = 0; i < clients.length; i++) {
      const cv = this.cache.get(clients[i]!.id);
      for (let p = 0; p < P; p++)
        for (let c = 0; c < C; c++) {
          const tp = pIdx[p]!;
          const tc = cIdx[c]!;
          out[(i * P + p) * C + c] = cv && tp >= 0 && tc >= 0 ? cv.value[tp * this.C + tc]! : Number.NaN;
        }
    }
  }

  /**
   * The moment of the action value (action-value.ts) for a client and product: days to wait for a
   * better value, 0 for now; undefined without a scored row or when `actionValue.waitDays` was not given.
   */
  suggestedWait(client: ClientState, product: ProductInfo): number | undefined {
    const p = this.productIndex.get(product.id);
    const w = p === undefined ? undefined : this.cache.get(client.id)?.waitDays[p];
    return w === undefined || w < 0 || !this.options.actionValue?.waitDays?.length ? undefined : w;
  }

  parts(client: ClientState, product: ProductInfo, channel: ChannelInfo): ValueParts | undefined {
    const cv = this.cache.get(client.id);
    const p = this.productIndex.get(product.id);
    const c = this.channelIndex.get(channel.id);
    if (!cv || p === undefined || c === undefined) return undefined;
    const k = p * this.C + c;
    if (Number.isNaN(cv.uplift[k]!)) return undefined;
    const debiased = cv.pContact[k]!;
    const classic = cv.classic[k]!;
    // without a classic model the decomposition shows the debiased probability, uncorrected
    const hasClassic = Number.isFinite(classic) && classic > 0;
    return {
      uplift: cv.uplift[k]!,
      margin: product.unitValue,
      cost: channel.costPerContact,
      fatigue: cv.fatigue[k]!,
      propensity: hasClassic ? classic : debiased,
      exposureCorrection: hasClassic ? debiased / classic : 1,
    };
  }
}
