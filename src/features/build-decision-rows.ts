import { ErrorCode, InputError, type InputIssue, NbgError } from '../errors.js';
import type { UpliftExamples } from './examples.js';
import { fillExamples } from './fill-examples.js';
import { i32 } from './growable-column.js';
import { heldAt } from './held-at.js';
import { type FeatureHistory, loadHistory } from './record-store.js';
import { dayOfDate, type FeatureSource } from './records.js';

/**
 * (client, product) pairs to score, e.g. an EvaluationDataset's: `{ clientIds: ds.clientIds,
 * productIds: ds.productIds, client: ds.pairClient, product: ds.pairProduct }`. Indices point into
 * the given id lists; the rows keep this order and these client indices.
 */
export interface DecisionPairs {
  readonly clientIds: readonly string[];
  readonly productIds: readonly string[];
  readonly client: Int32Array;
  readonly product: Int32Array;
}

const clientIndexes = new WeakMap<FeatureHistory, ReadonlyMap<string, number>>();

/** Client id → index into h.clientIds, built once per history: the API scores one client a call. */
function clientIndexOf(h: FeatureHistory): ReadonlyMap<string, number> {
  let index = clientIndexes.get(h);
  if (index === undefined) {
    index = new Map(h.clientIds.map((id, i) => [id, i]));
    clientIndexes.set(h, index);
  }
  return index;
}

/**
 * Decision rows (kind 'decide') at a date D, features from records strictly before D: for the
 * given pairs in their order, or by default every pair of a client (customer since before D) and
 * a product it does not hold at D, by client id then product. treatment −1, outcome 0, weight 1,
 * loggedPropensity NaN. `product` indexes the table's `productIds` (the catalog sorted by id),
 * whatever the pairs' own product order.
 */
export async function buildDecisionRows(
  source: FeatureSource | FeatureHistory,
  decisionDate: string,
  pairs?: DecisionPairs,
): Promise<UpliftExamples> {
  const D = dayOfDate(decisionDate);
  if (!Number.isFinite(D)) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `features/build-decision-rows: the decision date must be YYYY-MM-DD, got "${decisionDate}"`,
    );
  }
  const h = 'read' in source ? await loadHistory(source) : source;
  const P = h.catalog.products.length;
  let historyClient: Int32Array;
  let product: Int32Array;
  let clientIds: readonly string[];
  let client: Int32Array;
  if (pairs) {
    if (pairs.client.length !== pairs.product.length) {
      throw new NbgError(
        ErrorCode.BAD_CONFIG,
        `features/build-decision-rows: pairs.client has ${pairs.client.length} entries, pairs.product ${pairs.product.length}`,
      );
    }
    const clientIndex = clientIndexOf(h);
    const productIndex = new Map(h.catalog.products.map((p, i) => [p.id, i]));
    const toHistory = pairs.clientIds.map((id) => clientIndex.get(id) ?? -1);
    const toCatalog = pairs.productIds.map((id) => productIndex.get(id) ?? -1);
    const issues: InputIssue[] = [];
    pairs.clientIds.forEach((id, k) => {
      if (toHistory[k]! < 0 && issues.length < 50)
        issues.push({ id, reason: `client ${id} of the pairs is not in ${h.source}` });
    });
    pairs.productIds.forEach((id, k) => {
      if (toCatalog[k]! < 0 && issues.length < 50)
        issues.push({ id, reason: `product ${id} of the pairs is not in the catalogue of ${h.source}` });
    });
    if (issues.length > 0) throw new InputError(issues);
    const n = pairs.client.length;
    historyClient = new Int32Array(n);
    product = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      historyClient[k] = toHistory[pairs.client[k]!]!;
      product[k] = toCatalog[pairs.product[k]!]!;
    }
    clientIds = pairs.clientIds;
    client = Int32Array.from(pairs.client);
  } else {
    const rowsClient = i32();
    const rowsProduct = i32();
    const held = new Uint8Array(P);
    for (let i = 0; i < h.clientIds.length; i++) {
      if (!(h.customerSince[i]! < D)) continue;
      heldAt(h, i, D, held);
      for (let p = 0; p < P; p++) {
        if (held[p]) continue;
        rowsClient.push(i);
        rowsProduct.push(p);
      }
    }
    historyClient = rowsClient.values().slice();
    product = rowsProduct.values().slice();
    clientIds = h.clientIds;
    client = historyClient;
  }
  const n = historyClient.length;
  // Visit each client once: rows sorted by history client, stable.
  const order = Int32Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => historyClient[a]! - historyClient[b]! || a - b,
  );
  return fillExamples(h, {
    kind: 'decide',
    n,
    historyClient,
    day: new Int32Array(n).fill(D),
    product,
    order,
    clientIds,
    client,
    treatment: new Int8Array(n).fill(-1),
    outcome: new Uint8Array(n),
    loggedPropensity: new Float32Array(n).fill(Number.NaN),
    weight: new Float32Array(n).fill(1),
  });
}
