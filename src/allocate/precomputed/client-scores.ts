/**
 * Clients' action values computed ahead of the request: what the API serves for one client, per
 * (product, channel), from the trained suite, and the one way they are computed, shared by the
 * batch step (`nbg score`, every client) and the API's live rescoring of one client whose records
 * are newer than its scores. Both build the decision rows `nbg plan` builds (buildDecisionRows: every
 * product not held at D of a client who was a customer before D) and score them through
 * ModelValueSource.fromRows, so a precomputed value is exactly the batch value.
 */
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState } from '../../domain/client-state.js';
import type { ClientId } from '../../domain/ids.js';
import { buildDecisionRows } from '../../features/build-decision-rows.js';
import { heldAt } from '../../features/held-at.js';
import type { FeatureHistory } from '../../features/record-store.js';
import { dayOfDate } from '../../features/records.js';
import type { OutcomeModel } from '../../models/model.js';
import { ModelValueSource } from '../value-sources/model-value-source.js';

/** The product and channel order of every ClientScores list (the history's catalogue, by id). */
export interface ScoreLayout {
  readonly productIds: readonly string[];
  readonly channelIds: readonly string[];
}

/**
 * One client's scored actions, P × C cells each, index p·C + c in the layout's order; NaN where the
 * model gives no value (a product held at the date, a channel not contactable).
 */
export interface ClientScores {
  readonly value: Float64Array;
  readonly uplift: Float64Array;
  readonly fatigue: Float64Array;
  /** ValueParts.propensity: the classic model's P(convert | contact), else the debiased one. */
  readonly propensity: Float64Array;
  readonly exposureCorrection: Float64Array;
}

/** The trained suite's models that the scores come from. */
export interface ScoringModels {
  readonly model: OutcomeModel;
  /** The suite's classic per-product propensity model (explanations only), when it has one. */
  readonly classic?: OutcomeModel | undefined;
  readonly modelVersion: string;
}

/**
 * The decision pairs of buildDecisionRows' default (a customer before D, a product not held at D)
 * restricted to the history clients `clients` (indices into h.clientIds; all when omitted).
 */
function decisionPairs(h: FeatureHistory, D: number, clients: readonly number[]) {
  const P = h.catalog.products.length;
  const held = new Uint8Array(P);
  const client: number[] = [];
  const product: number[] = [];
  const ids: string[] = [];
  for (const i of clients) {
    if (!(h.customerSince[i]! < D)) continue;
    heldAt(h, i, D, held);
    const k = ids.length;
    ids.push(h.clientIds[i]!);
    for (let p = 0; p < P; p++) {
      if (held[p]) continue;
      client.push(k);
      product.push(p);
    }
  }
  return {
    clientIds: ids,
    productIds: h.catalog.products.map((p) => p.id),
    client: Int32Array.from(client),
    product: Int32Array.from(product),
  };
}

/** The layout of a history's catalogue: what buildDecisionRows orders rows by. */
export function layoutOf(h: FeatureHistory): ScoreLayout {
  return { productIds: h.catalog.products.map((p) => p.id), channelIds: h.catalog.channels.map((c) => c.id) };
}

/**
 * Scores the history clients `clients` (indices into h.clientIds) at `date` (YYYY-MM-DD, features
 * from records strictly before it) with ModelValueSource.fromRows, and returns each client's
 * ClientScores in the history's layout. A client with no decision row (not yet a customer, every
 * product held) gets all-NaN scores. The suggested moment is not computed (the API does not serve
 * it): the values do not depend on it.
 */
export async function scoreClients(
  models: ScoringModels,
  h: FeatureHistory,
  date: string,
  clients: readonly number[],
): Promise<Map<string, ClientScores>> {
  const layout = layoutOf(h);
  const P = layout.productIds.length;
  const C = layout.channelIds.length;
  const pairs = decisionPairs(h, dayOfDate(date), clients);
  const out = new Map<string, ClientScores>();
  const empty = (): ClientScores => ({
    value: new Float64Array(P * C).fill(Number.NaN),
    uplift: new Float64Array(P * C).fill(Number.NaN),
    fatigue: new Float64Array(P * C).fill(Number.NaN),
    propensity: new Float64Array(P * C).fill(Number.NaN),
    exposureCorrection: new Float64Array(P * C).fill(Number.NaN),
  });
  for (const i of clients) out.set(h.clientIds[i]!, empty());
  if (pairs.client.length === 0) return out;
  const rows = await buildDecisionRows(h, date, pairs);
  const source = await ModelValueSource.fromRows(models.model, rows, {
    modelVersion: models.modelVersion,
    ...(models.classic === undefined ? {} : { classic: models.classic }),
    actionValue: { waitDays: [] },
  });
  const products = layout.productIds.map((id) => ({ id, unitValue: 0 }) as unknown as ProductInfo);
  const channels = layout.channelIds.map((id) => ({ id, costPerContact: 0 }) as unknown as ChannelInfo);
  for (const id of pairs.clientIds) {
    const s = out.get(id)!;
    const state = { id: id as ClientId } as ClientState;
    await source.score([state], products, channels, s.value);
    for (let p = 0; p < P; p++)
      for (let c = 0; c < C; c++) {
        const parts = source.parts(state, products[p]!, channels[c]!);
        if (parts === undefined) continue;
        const k = p * C + c;
        s.uplift[k] = parts.uplift;
        s.fatigue[k] = parts.fatigue;
        s.propensity[k] = parts.propensity ?? Number.NaN;
        s.exposureCorrection[k] = parts.exposureCorrection ?? 1;
      }
  }
  return out;
}
