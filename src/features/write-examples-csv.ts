import { CsvWriter } from '../csv/writer.js';
import { DAY_MS } from '../domain/time.js';
import type { UpliftExamples } from './examples.js';

/**
 * Writes a table of decision rows as one CSV for the Python peers (causalml, scikit-uplift): the
 * columns client_id, product_id, day (YYYY-MM-DD), segment, then the pair features by name, the
 * channel features as `<channel>__<feature>`, contactable per channel as `contactable__<channel>`,
 * then treatment (channel id, empty for none), treatment_index (−1 for none), outcome,
 * logged_propensity (empty when NaN) and weight. Floats are written as their float32 value.
 */
export async function writeExamplesCsv(examples: UpliftExamples, file: string): Promise<number> {
  const e = examples;
  const F = e.schema.pair.length;
  const C = e.channelIds.length;
  const K = e.schema.channel.length;
  const header = [
    'client_id',
    'product_id',
    'day',
    'segment',
    ...e.schema.pair,
    ...e.channelIds.flatMap((c) => e.schema.channel.map((f) => `${c}__${f}`)),
    ...e.channelIds.map((c) => `contactable__${c}`),
    'treatment',
    'treatment_index',
    'outcome',
    'logged_propensity',
    'weight',
  ];
  const out = new CsvWriter(file, header);
  const values: (string | number)[] = new Array(header.length);
  for (let k = 0; k < e.n; k++) {
    let o = 0;
    values[o++] = e.clientIds[e.client[k]!]!;
    values[o++] = e.productIds[e.product[k]!]!;
    values[o++] = new Date(e.day[k]! * DAY_MS).toISOString().slice(0, 10);
    values[o++] = e.segment[k]!;
    for (let j = 0; j < F; j++) values[o++] = e.x[k * F + j]!;
    for (let j = 0; j < C * K; j++) values[o++] = e.xc[k * C * K + j]!;
    for (let c = 0; c < C; c++) values[o++] = e.contactable[k * C + c]!;
    const a = e.treatment[k]!;
    values[o++] = a >= 0 ? e.channelIds[a]! : '';
    values[o++] = a;
    values[o++] = e.outcome[k]!;
    const m = e.loggedPropensity[k]!;
    values[o++] = Number.isNaN(m) ? '' : m;
    values[o++] = e.weight[k]!;
    await out.row(values);
  }
  await out.close();
  return e.n;
}
