/**
 * The one table every model of src/models/ learns from and scores: decision rows, each a
 * (client, product) pair at a decision date t, with the features known strictly before t.
 *
 * Shapes (n rows, F pair features, C channels, K channel features):
 * - `x`        n × F   row-major, the pair's features (client, product, holdings, balances,
 *                      journeys, verbatims, solicitation history; see `schema.pair`);
 * - `xc`       n × C × K the per-channel features of the pair (consent, contacts and refusals
 *                      through that channel, …; see `schema.channel`), index (k·C + c)·K + j;
 * - `product`  n       product index into `productIds` (models one-hot or embed it);
 * - `contactable` n × C 1 where the rules allow a contact through c at t (consent, age, risk).
 *
 * Training rows (`kind: 'train'`) also carry what happened in [t, t + horizon):
 * - `treatment` channel index of the logged contact about the pair, −1 for none;
 * - `outcome`   1 if the product was taken (a `converted` solicitation or a holding opened);
 * - `loggedPropensity` μ(treatment | pair) as logged (a contacted row's `logging_propensity`),
 *               NaN where the data has none (every non-contacted row, and all rows of a folder
 *               without the column): the exposure model estimates those;
 * - `weight`    sampling weight (rows of never-contacted pairs are subsampled; weight = 1/rate).
 * Decision rows (`kind: 'decide'`, e.g. the pairs at the evaluation date) have treatment −1,
 * outcome 0, weight 1 and NaN propensities.
 */
export interface FeatureSchema {
  /** Bumped whenever a feature's meaning changes; saved with every model. */
  readonly version: string;
  readonly pair: readonly string[];
  readonly channel: readonly string[];
}

export interface UpliftExamples {
  readonly kind: 'train' | 'decide';
  readonly schema: FeatureSchema;
  readonly productIds: readonly string[];
  readonly channelIds: readonly string[];
  /** Client ids of the rows' clients (index = `client[k]`). */
  readonly clientIds: readonly string[];
  readonly n: number;
  readonly x: Float32Array;
  readonly xc: Float32Array;
  readonly client: Int32Array;
  readonly product: Int32Array;
  /** Decision date of each row, days since 1970-01-01. */
  readonly day: Int32Array;
  /** Segment index (SEGMENTS of src/domain/enums.ts) of the row's client. */
  readonly segment: Uint8Array;
  readonly contactable: Uint8Array;
  readonly treatment: Int8Array;
  readonly outcome: Uint8Array;
  readonly loggedPropensity: Float32Array;
  readonly weight: Float32Array;
  /** EUR margin of one conversion, per product. */
  readonly margin: Float64Array;
  /** EUR cost of one contact, per channel. */
  readonly channelCost: Float64Array;
}

/** The rows `idx` of a table (in that order), as a table of their own with the same catalogue. */
export function selectExamples(rows: UpliftExamples, idx: Int32Array): UpliftExamples {
  const F = rows.schema.pair.length;
  const C = rows.channelIds.length;
  const CK = C * rows.schema.channel.length;
  const n = idx.length;
  const x = new Float32Array(n * F);
  const xc = new Float32Array(n * CK);
  const contactable = new Uint8Array(n * C);
  const pick = <T extends Int32Array | Int8Array | Uint8Array | Float32Array>(a: T, out: T): T => {
    for (let e = 0; e < n; e++) out[e] = a[idx[e]!]!;
    return out;
  };
  for (let e = 0; e < n; e++) {
    const i = idx[e]!;
    x.set(rows.x.subarray(i * F, (i + 1) * F), e * F);
    xc.set(rows.xc.subarray(i * CK, (i + 1) * CK), e * CK);
    contactable.set(rows.contactable.subarray(i * C, (i + 1) * C), e * C);
  }
  return {
    ...rows,
    n,
    x,
    xc,
    contactable,
    client: pick(rows.client, new Int32Array(n)),
    product: pick(rows.product, new Int32Array(n)),
    day: pick(rows.day, new Int32Array(n)),
    segment: pick(rows.segment, new Uint8Array(n)),
    treatment: pick(rows.treatment, new Int8Array(n)),
    outcome: pick(rows.outcome, new Uint8Array(n)),
    loggedPropensity: pick(rows.loggedPropensity, new Float32Array(n)),
    weight: pick(rows.weight, new Float32Array(n)),
  };
}
