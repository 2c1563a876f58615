import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEvaluationDataset } from '../../../src/evaluate/evaluation-dataset.js';
import type { UpliftExamples } from '../../../src/features/examples.js';
import { simulate } from '../../../src/simulate/index.js';
import { binaryTrainRows, type UpliftTask } from './uplift-task.js';

export interface WorldTaskOptions {
  /** The simulated world; made with `clients`, `seed` and `loggingPolicy` when missing. */
  readonly dir: string;
  readonly clients: number;
  readonly seed: number;
  readonly loggingPolicy: 'biased' | 'random';
  readonly channel: string;
  /** Subsample the binary training rows to this many (0: all). */
  readonly maxTrainRows: number;
}

/** nbg's training table before D and the decision rows at D, from src/features. */
async function buildTables(dir: string): Promise<{ train: UpliftExamples; test: UpliftExamples }> {
  throw new Error(`peers-uplift: the feature builder of src/features has not landed yet (world ${dir})`);
}

/**
 * The comparison task on a simulated world: the training table and the decision rows of
 * src/features, the true uplift of each decision row from truth/response.csv, and the observed
 * round at D from the evaluation dataset (src/evaluate), joined by (client, product).
 */
export async function loadWorldTask(o: WorldTaskOptions): Promise<UpliftTask> {
  const meta = join(o.dir, 'truth', 'meta.json');
  if (!existsSync(meta)) {
    process.stderr.write(
      `simulating ${o.clients} clients (seed ${o.seed}, ${o.loggingPolicy} logging) into ${o.dir}...\n`,
    );
    await simulate({ out: o.dir, clients: o.clients, seed: o.seed, loggingPolicy: o.loggingPolicy });
  }
  const m = JSON.parse(readFileSync(meta, 'utf8')) as {
    clients: number;
    seed: number;
    loggingPolicy: string;
  };
  const { train, test } = await buildTables(o.dir);
  const data = await buildEvaluationDataset(o.dir);
  const c = test.channelIds.indexOf(o.channel);
  if (c < 0)
    throw new Error(`peers-uplift: channel ${o.channel} is not one of ${test.channelIds.join(', ')}`);
  const ec = data.channelIds.indexOf(o.channel);
  const EC = data.nChannels;
  const C = test.channelIds.length;
  const P = data.productIds.length;
  const clientOf = new Map(data.clientIds.map((id, k) => [id, k]));
  const productOf = new Map(data.productIds.map((id, k) => [id, k]));
  const pairOf = new Map<number, number>();
  for (let k = 0; k < data.nPairs; k++)
    pairOf.set((data.pairClient[k] as number) * P + (data.pairProduct[k] as number), k);
  const n = test.n;
  const trueUplift = new Float64Array(n);
  const eligible = new Uint8Array(n);
  const observed = new Uint8Array(n);
  const observedTreatment = new Uint8Array(n);
  const observedOutcome = new Uint8Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const client = clientOf.get(test.clientIds[test.client[i] as number] as string);
    const product = productOf.get(test.productIds[test.product[i] as number] as string);
    const k = client === undefined || product === undefined ? undefined : pairOf.get(client * P + product);
    if (k === undefined) {
      missing++;
      continue;
    }
    trueUplift[i] = (data.truth.p1[k * EC + ec] as number) - (data.truth.p0[k] as number);
    eligible[i] = test.contactable[i * C + c] as number;
    const a = data.logged.action[k] as number;
    observed[i] = a === ec || a === EC ? 1 : 0;
    observedTreatment[i] = a === ec ? 1 : 0;
    observedOutcome[i] = data.converted[k] as number;
  }
  if (missing > 0)
    throw new Error(
      `peers-uplift: ${missing} of ${n} decision rows at D have no pair in truth/response.csv (${o.dir})`,
    );
  return {
    description: `world ${o.dir} (${m.clients.toLocaleString('en')} clients, seed ${m.seed}, ${m.loggingPolicy} logging), D = ${data.evaluationDate}`,
    channel: o.channel,
    train: binaryTrainRows(train, c, o.maxTrainRows, o.seed),
    test,
    trueUplift,
    eligible,
    observed,
    observedTreatment,
    observedOutcome,
  };
}
