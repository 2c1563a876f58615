import { buildEvaluationDataset } from '../../../src/evaluate/evaluation-dataset.js';
import { readTruthMeta, type TruthMeta } from '../../../src/evaluate/truth-meta.js';
import {
  buildDecisionRows,
  buildTrainingExamples,
  folderSource,
  loadHistory,
} from '../../../src/features/index.js';
import { simulatedWorld } from '../../lib/world.js';
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

/** truth/meta.json with the simulator's extra fields the peers' tables quote. */
export interface WorldMeta extends TruthMeta {
  readonly clients?: unknown;
  readonly seed?: unknown;
  readonly loggingPolicy?: unknown;
}

/** "100,000 clients, seed 1, biased logging", from what meta.json says. */
export function describeWorld(dir: string, m: WorldMeta): string {
  const clients = typeof m.clients === 'number' ? `${m.clients.toLocaleString('en')} clients, ` : '';
  return `world ${dir} (${clients}seed ${String(m.seed)}, ${String(m.loggingPolicy)} logging), D = ${m.evaluationDate}`;
}

/**
 * The simulated world of a peers benchmark: `dir` as it is when it has truth/meta.json, else
 * simulated there with `clients`, `seed` and `loggingPolicy` (shared with other benchmarks, e.g.
 * data/models-100k-s1).
 */
export async function ensureWorld(o: {
  readonly dir: string;
  readonly clients: number;
  readonly seed: number;
  readonly loggingPolicy: 'biased' | 'random';
}): Promise<WorldMeta> {
  await simulatedWorld(
    { out: o.dir, clients: o.clients, seed: o.seed, loggingPolicy: o.loggingPolicy },
    { say: (line) => process.stderr.write(`${line} (${o.loggingPolicy} logging)...\n`) },
  );
  return readTruthMeta(o.dir);
}

/**
 * The comparison task on a simulated world: the training table and the decision rows of
 * src/features, the true uplift of each decision row from truth/response.csv, and the observed
 * round at D from the evaluation dataset (src/evaluate), joined by (client, product).
 */
export async function loadWorldTask(o: WorldTaskOptions): Promise<UpliftTask> {
  const m = await ensureWorld(o);
  const data = await buildEvaluationDataset(o.dir);
  const history = await loadHistory(folderSource(o.dir));
  const train = await buildTrainingExamples(history, {
    decisionDate: data.evaluationDate,
    horizonDays: data.horizonDays,
    seed: o.seed,
  });
  const decide = await buildDecisionRows(history, data.evaluationDate, {
    clientIds: data.clientIds,
    productIds: data.productIds,
    client: data.pairClient,
    product: data.pairProduct,
  });
  // Row k of `decide` is pair k of the evaluation dataset (buildDecisionRows keeps the pairs' order).
  const c = decide.channelIds.indexOf(o.channel);
  if (c < 0)
    throw new Error(`peers-uplift: channel ${o.channel} is not one of ${decide.channelIds.join(', ')}`);
  const ec = data.channelIds.indexOf(o.channel);
  const EC = data.nChannels;
  const C = decide.channelIds.length;
  const toFeatureChannel = data.channelIds.map((id) => decide.channelIds.indexOf(id));
  const n = decide.n;
  const trueUplift = new Float64Array(n);
  const eligible = new Uint8Array(n);
  const observed = new Uint8Array(n);
  const observedTreatment = new Uint8Array(n);
  const treatment = new Int8Array(n);
  for (let k = 0; k < n; k++) {
    trueUplift[k] = (data.truth.p1[k * EC + ec] as number) - (data.truth.p0[k] as number);
    eligible[k] = decide.contactable[k * C + c] as number;
    const a = data.logged.action[k] as number;
    treatment[k] = a === EC ? -1 : (toFeatureChannel[a] as number);
    observed[k] = a === ec || a === EC ? 1 : 0;
    observedTreatment[k] = a === ec ? 1 : 0;
  }
  const observedOutcome = Uint8Array.from(data.converted);
  const test = { ...decide, treatment, outcome: observedOutcome };
  return {
    description: describeWorld(o.dir, m),
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
