import neo4j from 'neo4j-driver';
import { DEFAULT_HORIZON_DAYS } from '../../constraints/rule.js';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { parsePolicy } from '../../domain/policy-file.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { TrainingExamplesOptions } from '../../features/build-training-examples.js';
import {
  buildTrainingExamples,
  type FeatureHistory,
  loadHistory,
  neo4jSource,
} from '../../features/index.js';
import { dateOfDay } from '../../features/records.js';
import { stopwatch } from '../../stopwatch.js';
import type { SuiteManifest } from './model-store.js';
import { modelsRoot } from './model-store.js';
import { type SuiteOptions, saveSuite, trainSuite } from './model-suite.js';

const writeModel = query('write/model-trained');
const readPolicy = query('read/api-policy');

/**
 * The outcome window of the training rows: the ingested contact policy's horizon (the window a plan
 * is valued over), else the rules' default.
 */
async function policyHorizonDays(db: Db): Promise<number> {
  const [stored] = await db.read(readPolicy);
  if (stored === undefined) return DEFAULT_HORIZON_DAYS;
  return parsePolicy(String(stored.json), 'the stored policy').horizonDays ?? DEFAULT_HORIZON_DAYS;
}

export interface TrainOnGraphOptions {
  /** The data directory; suites go to `<dataDir>/models/<version>`. */
  readonly dataDir: string;
  /** Decision date D (YYYY-MM-DD): training rows are strictly before it. Default: the day after the
   * latest dated record of the graph. */
  readonly asOf?: string;
  readonly training?: Partial<Omit<TrainingExamplesOptions, 'decisionDate'>>;
  readonly suite?: Partial<SuiteOptions>;
  readonly onProgress?: (step: string) => void;
}

export interface TrainOnGraphResult {
  readonly dir: string;
  readonly manifest: SuiteManifest;
  readonly asOf: string;
  readonly clients: number;
  readonly seconds: Readonly<Record<string, number>>;
}

/** The day after the latest solicitation, event, holding opening or verbatim of the history. */
export function latestDay(h: FeatureHistory): number {
  let last = Number.NEGATIVE_INFINITY;
  const scan = (a: Float64Array): void => {
    for (let i = 0; i < a.length; i++) if (a[i]! > last) last = a[i]!;
  };
  scan(h.solicitations.sent);
  scan(h.events.at);
  scan(h.holdings.opened);
  scan(h.verbatims.at);
  return Math.floor(last) + 1;
}

/**
 * `nbg train`: reads the knowledge graph in pages (the same records a folder gives), builds the
 * training table before D, trains the suite (exposure, debiased uplift, baselines), saves it under
 * the data directory and records it as a `:Model` node with its feature schema, window and metrics.
 */
export async function trainOnGraph(db: Db, options: TrainOnGraphOptions): Promise<TrainOnGraphResult> {
  const sw = stopwatch();
  options.onProgress?.('reading the graph');
  const history = await loadHistory(neo4jSource(db));
  sw.lap('read');
  if (history.clientIds.length === 0) {
    throw new NbgError(ErrorCode.NOT_FOUND, 'train: the graph has no clients', {
      hint: 'run `nbg ingest DIR` first',
    });
  }
  const asOfDay = latestDay(history);
  const asOf = options.asOf ?? (Number.isFinite(asOfDay) ? dateOfDay(asOfDay) : undefined);
  if (asOf === undefined) {
    throw new NbgError(
      ErrorCode.NOT_FOUND,
      'train: the graph has no dated history (no solicitation, event or holding)',
      {
        hint: 'ingest solicitations.csv and holdings.csv, or give --as-of',
      },
    );
  }
  options.onProgress?.(`building the training table before ${asOf}`);
  const train = await buildTrainingExamples(history, {
    horizonDays: await policyHorizonDays(db),
    ...options.training,
    decisionDate: asOf,
  });
  sw.lap('features');
  if (!train.treatment.some((a) => a >= 0)) {
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `train: no logged contact in the training window before ${asOf}`,
      {
        hint: 'the uplift models learn from past solicitations: check solicitations.csv, or widen the window',
      },
    );
  }
  const suite = await trainSuite(train, {
    ...options.suite,
    onProgress: (s) => options.onProgress?.(`training ${s}`),
  });
  sw.lap('training');
  const { dir, manifest } = await saveSuite(modelsRoot(options.dataDir), suite, train);
  await db.write(writeModel, {
    version: manifest.version,
    kind: manifest.models.uplift ?? 'uplift',
    createdAt: manifest.createdAt,
    featureSchemaVersion: manifest.featureSchemaVersion,
    featureSchema: JSON.stringify(manifest.featureSchema),
    windowFrom: manifest.windowFrom,
    windowTo: manifest.windowTo,
    trainingRows: neo4j.int(manifest.trainingRows),
    metrics: JSON.stringify(manifest.metrics),
    path: dir,
  });
  sw.lap('save');
  return { dir, manifest, asOf, clients: history.clientIds.length, seconds: sw.laps };
}
