import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { writeExamplesCsv } from '../../../src/features/write-examples-csv.js';
import { createRng } from '../../../src/rng.js';

/**
 * The uplift comparison task, the same for nbg and the Python peers (docs/evaluation.md, "Peers"):
 * one channel c, binary treatment = contacted through c vs not contacted.
 * - `train`: the training decision rows whose logged treatment is c or none (rows contacted through
 *   another channel are dropped), optionally a seeded uniform subsample;
 * - `test`: the decision rows at the evaluation date D, their `treatment` and `outcome` set to the
 *   logged round at D (the channel contacted about the pair in [D, D + h), −1 for none; converted
 *   or not), with per row the true uplift of a contact through c (p_contact − p_no_contact from
 *   truth/response.csv), whether c is contactable, and for the observed-round metrics: `observed`
 *   = 1 where the logged action was c or none, then its treatment (1 = contacted through c) and
 *   outcome.
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

/**
 * Writes the exchange files the Python peers read (bench/peers/uplift/uplift_peers.py) with the
 * features' CSV dump (src/features writeExamplesCsv): train.csv (the binary training rows),
 * test.csv (the decision rows at D, their treatment and outcome being the logged round at D) and
 * task.json (the channel, the feature columns, the product ids for the one-hot).
 */
export async function writeExchange(task: UpliftTask, dir: string): Promise<void> {
  await writeExamplesCsv(task.train, join(dir, 'train.csv'));
  await writeExamplesCsv(task.test, join(dir, 'test.csv'));
  const json = {
    channel: task.channel,
    channelIndex: task.train.channelIds.indexOf(task.channel),
    pairFeatures: task.train.schema.pair,
    productIds: task.train.productIds,
  };
  writeFileSync(join(dir, 'task.json'), `${JSON.stringify(json, null, 2)}\n`);
}
