/**
 * Input checks every model of src/models/ runs on an UpliftExamples table before fitting or
 * scoring: shapes agree with n, F, C and K, features are finite, indices are in range, and a table
 * scored by a fitted model has the feature schema, products and channels it was fitted on.
 * Errors name the model, the array, the row and the limit.
 */
import { ErrorCode, NbgError } from '../errors.js';
import type { UpliftExamples } from '../features/examples.js';

/** What a fitted model remembers of its training table, to refuse a table it cannot read. */
export interface TableSignature {
  readonly schemaVersion: string;
  readonly pair: readonly string[];
  readonly channel: readonly string[];
  readonly productIds: readonly string[];
  readonly channelIds: readonly string[];
}

export function tableSignature(rows: UpliftExamples): TableSignature {
  return {
    schemaVersion: rows.schema.version,
    pair: [...rows.schema.pair],
    channel: [...rows.schema.channel],
    productIds: [...rows.productIds],
    channelIds: [...rows.channelIds],
  };
}

function bad(where: string, message: string): NbgError {
  return new NbgError(ErrorCode.BAD_INPUT, `${where}: ${message}`);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Checks a table's shapes and values. `train` also requires training rows (kind 'train') with
 * labels in range, positive total weight and at least one row.
 */
export function checkExamples(rows: UpliftExamples, where: string, train: boolean): void {
  const n = rows.n;
  if (!Number.isInteger(n) || n < 0) throw bad(where, `n must be a non-negative integer, got ${n}`);
  if (n === 0) throw bad(where, 'the table has no rows');
  if (train && rows.kind !== 'train') throw bad(where, `fit needs a 'train' table, got '${rows.kind}'`);
  const F = rows.schema.pair.length;
  const C = rows.channelIds.length;
  const K = rows.schema.channel.length;
  const P = rows.productIds.length;
  if (C === 0) throw bad(where, 'the table has no channels');
  if (P === 0) throw bad(where, 'the table has no products');
  const shapes: [string, { length: number }, number][] = [
    ['x', rows.x, n * F],
    ['xc', rows.xc, n * C * K],
    ['client', rows.client, n],
    ['product', rows.product, n],
    ['day', rows.day, n],
    ['segment', rows.segment, n],
    ['contactable', rows.contactable, n * C],
    ['treatment', rows.treatment, n],
    ['outcome', rows.outcome, n],
    ['loggedPropensity', rows.loggedPropensity, n],
    ['weight', rows.weight, n],
    ['margin', rows.margin, P],
    ['channelCost', rows.channelCost, C],
  ];
  for (const [name, a, expected] of shapes)
    if (a.length !== expected)
      throw bad(
        where,
        `${name} has length ${a.length}, expected ${expected} (n ${n}, F ${F}, C ${C}, K ${K}, P ${P})`,
      );
  for (let i = 0; i < n * F; i++)
    if (!Number.isFinite(rows.x[i] as number))
      throw bad(
        where,
        `x is ${rows.x[i]} at row ${Math.floor(i / F)}, feature ${rows.schema.pair[i % F]}: features must be finite`,
      );
  for (let i = 0; i < n * C * K; i++)
    if (!Number.isFinite(rows.xc[i] as number)) {
      const row = Math.floor(i / (C * K));
      const c = Math.floor((i % (C * K)) / K);
      throw bad(
        where,
        `xc is ${rows.xc[i]} at row ${row}, channel ${rows.channelIds[c]}, feature ${rows.schema.channel[i % K]}: features must be finite`,
      );
    }
  const nClients = rows.clientIds.length;
  for (let i = 0; i < n; i++) {
    const p = rows.product[i] as number;
    if (p < 0 || p >= P) throw bad(where, `product is ${p} at row ${i}, expected 0..${P - 1}`);
    const k = rows.client[i] as number;
    if (k < 0 || k >= nClients) throw bad(where, `client is ${k} at row ${i}, expected 0..${nClients - 1}`);
  }
  if (!train) return;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = rows.treatment[i] as number;
    if (t < -1 || t >= C) throw bad(where, `treatment is ${t} at row ${i}, expected −1..${C - 1}`);
    const y = rows.outcome[i] as number;
    if (y !== 0 && y !== 1) throw bad(where, `outcome is ${y} at row ${i}, expected 0 or 1`);
    const w = rows.weight[i] as number;
    if (!(w >= 0) || !Number.isFinite(w))
      throw bad(where, `weight is ${w} at row ${i}, expected a finite value ≥ 0`);
    total += w;
    const q = rows.loggedPropensity[i] as number;
    if (!Number.isNaN(q) && !(q > 0 && q <= 1))
      throw bad(where, `loggedPropensity is ${q} at row ${i}, expected NaN or a value in (0, 1]`);
  }
  if (!(total > 0)) throw bad(where, 'the rows have no weight (every weight is 0)');
}

/** Refuses a table whose schema, products or channels differ from the training table's. */
export function checkSameTable(sig: TableSignature, rows: UpliftExamples, where: string): void {
  if (rows.schema.version !== sig.schemaVersion)
    throw bad(
      where,
      `feature schema version ${rows.schema.version} differs from the model's ${sig.schemaVersion}: rebuild the features or retrain`,
    );
  if (!sameList(rows.schema.pair, sig.pair))
    throw bad(
      where,
      `pair features differ from the model's (${rows.schema.pair.length} vs ${sig.pair.length})`,
    );
  if (!sameList(rows.schema.channel, sig.channel))
    throw bad(
      where,
      `channel features differ from the model's (${rows.schema.channel.length} vs ${sig.channel.length})`,
    );
  if (!sameList(rows.productIds, sig.productIds))
    throw bad(
      where,
      `products differ from the model's (${rows.productIds.join(',')} vs ${sig.productIds.join(',')})`,
    );
  if (!sameList(rows.channelIds, sig.channelIds))
    throw bad(
      where,
      `channels differ from the model's (${rows.channelIds.join(',')} vs ${sig.channelIds.join(',')})`,
    );
}
