import { join } from 'node:path';
import { CsvWriter } from '../../../src/csv/writer.js';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { createRng } from '../../../src/rng.js';

/**
 * The uplift comparison task, the same for nbg and the Python peers (docs/evaluation.md, "Peers"):
 * one channel c, binary treatment = contacted through c vs not contacted.
 * - `train`: the training decision rows whose logged treatment is c or none (rows contacted through
 *   another channel are dropped), optionally a seeded uniform subsample;
 * - `test`: the decision rows at the evaluation date D, with per row the true uplift of a contact
 *   through c (p_contact − p_no_contact from truth/response.csv), whether c is contactable, and the
 *   observed round at D: `observed` = 1 where the logged action was c or none, then its treatment
 *   (1 = contacted through c) and outcome.
 */
export interface UpliftTask {
  readonly description: string;
  readonly channel: string;
  readonly train: UpliftExamples;
  readonly test: UpliftExamples;
  readonly trueUplift: Float64Array;
  readonly eligible: Uint8Array;
  readonly observed: Uint8Array;
  readonly observedTreatment: Uint8Array;
  readonly observedOutcome: Uint8Array;
}

function pick<T extends Float32Array | Int32Array | Uint8Array | Int8Array>(
  a: T,
  rows: Uint32Array,
  width: number,
  make: (n: number) => T,
): T {
  const out = make(rows.length * width);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    out.set(a.subarray(i * width, (i + 1) * width), k * width);
  }
  return out;
}

/** The rows `rows` (indices, in that order) of a decision-row table, every per-row array copied. */
export function selectRows(e: UpliftExamples, rows: Uint32Array): UpliftExamples {
  const F = e.schema.pair.length;
  const C = e.channelIds.length;
  const K = e.schema.channel.length;
  return {
    ...e,
    n: rows.length,
    x: pick(e.x, rows, F, (n) => new Float32Array(n)),
    xc: pick(e.xc, rows, C * K, (n) => new Float32Array(n)),
    client: pick(e.client, rows, 1, (n) => new Int32Array(n)),
    product: pick(e.product, rows, 1, (n) => new Int32Array(n)),
    day: pick(e.day, rows, 1, (n) => new Int32Array(n)),
    segment: pick(e.segment, rows, 1, (n) => new Uint8Array(n)),
    contactable: pick(e.contactable, rows, C, (n) => new Uint8Array(n)),
    treatment: pick(e.treatment, rows, 1, (n) => new Int8Array(n)),
    outcome: pick(e.outcome, rows, 1, (n) => new Uint8Array(n)),
    loggedPropensity: pick(e.loggedPropensity, rows, 1, (n) => new Float32Array(n)),
    weight: pick(e.weight, rows, 1, (n) => new Float32Array(n)),
  };
}

/**
 * The training rows of the binary task: treatment c or none; when more than `maxRows` (> 0), a
 * seeded uniform subsample of that many, kept in table order.
 */
export function binaryTrainRows(
  train: UpliftExamples,
  channel: number,
  maxRows: number,
  seed: number,
): UpliftExamples {
  const keep: number[] = [];
  for (let i = 0; i < train.n; i++) {
    const t = train.treatment[i] as number;
    if (t === channel || t === -1) keep.push(i);
  }
  let rows = Uint32Array.from(keep);
  if (maxRows > 0 && rows.length > maxRows) {
    // Partial Fisher–Yates: the first maxRows positions become a uniform sample without replacement.
    const rng = createRng(seed);
    for (let k = 0; k < maxRows; k++) {
      const j = k + rng.int(rows.length - k);
      const tmp = rows[k] as number;
      rows[k] = rows[j] as number;
      rows[j] = tmp;
    }
    rows = rows.subarray(0, maxRows).sort();
  }
  return selectRows(train, rows);
}

/** Short decimal text of a float32 feature (7 significant digits; integers and NaN as they are). */
function num(v: number): string {
  return Number.isInteger(v) || Number.isNaN(v) ? String(v) : String(+v.toPrecision(7));
}

/** Feature column names: f_<pair feature>, then f_product_<id> (one-hot). */
export function featureColumns(e: UpliftExamples): string[] {
  return [...e.schema.pair.map((name) => `f_${name}`), ...e.productIds.map((id) => `f_product_${id}`)];
}

async function writeRows(
  path: string,
  e: UpliftExamples,
  extraColumns: readonly string[],
  extra: (i: number) => string,
): Promise<void> {
  const F = e.schema.pair.length;
  const P = e.productIds.length;
  const w = new CsvWriter(path, [...featureColumns(e), ...extraColumns]);
  const BATCH = 2000;
  for (let start = 0; start < e.n; start += BATCH) {
    let text = '';
    const end = Math.min(e.n, start + BATCH);
    for (let i = start; i < end; i++) {
      for (let j = 0; j < F; j++) text += `${num(e.x[i * F + j] as number)},`;
      const p = e.product[i] as number;
      for (let q = 0; q < P; q++) text += q === p ? '1,' : '0,';
      text += `${extra(i)}\n`;
    }
    await w.lines(text, end - start);
  }
  await w.close();
}

/**
 * Writes the exchange files the Python peers read (bench/peers/uplift/uplift_peers.py): train.csv
 * (features, treatment 0/1, outcome) and test.csv (features, observed, treatment, outcome).
 */
export async function writeExchange(task: UpliftTask, dir: string, channel: number): Promise<void> {
  const tr = task.train;
  await writeRows(
    join(dir, 'train.csv'),
    tr,
    ['treatment', 'outcome'],
    (i) => `${tr.treatment[i] === channel ? 1 : 0},${tr.outcome[i]}`,
  );
  await writeRows(
    join(dir, 'test.csv'),
    task.test,
    ['observed', 'treatment', 'outcome'],
    (i) => `${task.observed[i]},${task.observedTreatment[i]},${task.observedOutcome[i]}`,
  );
}
