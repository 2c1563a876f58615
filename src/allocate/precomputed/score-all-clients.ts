/**
 * `nbg score` (and the end of `nbg train`): every client's action values at a decision date with a
 * trained suite, written to the graph as one (:ScoreSet) per client and model version, which the API
 * then serves per request without scoring (docs/api.md, "Values: precomputed, rescored live when
 * stale"). A bank runs it as a nightly refresh job.
 */
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ErrorCode, NbgError } from '../../errors.js';
import { neo4jSource } from '../../features/neo4j-source.js';
import { loadHistory } from '../../features/record-store.js';
import { dateOfDay } from '../../features/records.js';
import { loadExposureModel, loadOutcomeModel } from '../../models/suite/load-model.js';
import { latestSuiteDir, modelsRoot, readSuiteManifest } from '../../models/suite/model-store.js';
import { latestDay } from '../../models/suite/train-on-graph.js';
import { stopwatch } from '../../stopwatch.js';
import {
  type ClientScores,
  layoutOf,
  type ScoreLayout,
  type ScoringModels,
  scoreClients,
} from './client-scores.js';
import { encodeClientPaths, readExplanationPaths } from './explanation-paths.js';

const writeScoreSets = query('write/score-sets');
const writeModelScored = query('write/model-scored');
const scoredVersions = query('read/scored-model-versions');
const deleteScoreSets = query('admin/delete-score-sets-batch');

/** The primary model and the classic propensity model of a suite folder written by `nbg train`. */
export async function loadScoringModels(dir: string): Promise<ScoringModels> {
  const manifest = readSuiteManifest(dir);
  const model = await loadOutcomeModel(join(dir, manifest.primary));
  // a calibration banded by the old targeting's propensity reads the suite's exposure model
  if (model.needsExposure?.()) model.useExposure?.(await loadExposureModel(join(dir, 'exposure')));
  const classicDir = manifest.models['classic-propensity'];
  const classic = classicDir === undefined ? undefined : await loadOutcomeModel(join(dir, classicDir));
  return { model, classic, modelVersion: manifest.version };
}

/** `--model DIR`, else the latest suite under DATA_DIR/models; an error when there is none. */
export function suiteDirFor(dataDir: string, modelDir?: string): string {
  const dir = modelDir ?? latestSuiteDir(modelsRoot(dataDir));
  if (dir === undefined) {
    throw new NbgError(ErrorCode.NOT_FOUND, `score: no trained model under ${modelsRoot(dataDir)}`, {
      hint: 'run `nbg train` first (it scores every client at its end), or give --model DIR',
    });
  }
  readSuiteManifest(dir); // a clear error for a folder without suite.json
  return dir;
}

export interface ScoreAllOptions {
  /** Decision date YYYY-MM-DD (default: the day after the latest dated record, as `nbg train`). */
  readonly asOf?: string | undefined;
  /** Clients scored (and written) per step. */
  readonly chunkClients?: number;
  /** Score sets per write transaction. */
  readonly batchSize?: number;
  /**
   * Store with each ScoreSet the explanation paths of every product the client could be served
   * (a positive value on some channel), so the API reads no paths for it. Default true.
   */
  readonly paths?: boolean;
  /** Clients per explanation-path read. */
  readonly pathBatch?: number;
  readonly onProgress?: (line: string) => void;
}

export const SCORE_ALL_DEFAULTS = {
  chunkClients: 2_000,
  batchSize: 500,
  paths: true,
  pathBatch: 250,
} as const;

/** What the stored explanation paths cost: products explained, text stored, time of their reads. */
export interface StoredPathsSummary {
  readonly products: number;
  readonly bytes: number;
  /** Seconds spent in the path reads (they overlap the scoring of the next chunk). */
  readonly readSeconds: number;
}

export interface ScoreAllResult {
  readonly modelVersion: string;
  readonly asOf: string;
  readonly clients: number;
  /** Score sets of older model versions removed (the two latest scored versions are kept). */
  readonly deleted: number;
  readonly seconds: Readonly<Record<string, number>>;
  readonly paths: StoredPathsSummary;
}

/** Neo4j float lists of a client's scores (NaN kept: Neo4j stores IEEE doubles). */
function scoreRow(clientId: string, modelVersion: string, s: ClientScores, paths: string | null) {
  return {
    key: `${clientId}|${modelVersion}`,
    paths,
    clientId,
    value: Array.from(s.value),
    uplift: Array.from(s.uplift),
    fatigue: Array.from(s.fatigue),
    propensity: Array.from(s.propensity),
    exposureCorrection: Array.from(s.exposureCorrection),
  };
}

/** The products of a client's scores with a positive value on some channel: those it could be served. */
function servableProducts(s: ClientScores, layout: ScoreLayout): string[] {
  const C = layout.channelIds.length;
  return layout.productIds.filter((_, p) => {
    for (let c = 0; c < C; c++) if (s.value[p * C + c]! > 0) return true;
    return false;
  });
}

/** The encoded explanation paths of each client's servable products (read/explanation-paths, in batches). */
async function storedPaths(
  db: Db,
  scored: readonly (readonly [string, ClientScores])[],
  layout: ScoreLayout,
  batch: number,
  tally: { products: number; bytes: number; readSeconds: number },
): Promise<string[]> {
  const out: string[] = [];
  for (let from = 0; from < scored.length; from += batch) {
    const requests = scored
      .slice(from, from + batch)
      .map(([clientId, s]) => ({ clientId, productIds: servableProducts(s, layout) }));
    const t0 = performance.now();
    const read = await readExplanationPaths(db, requests);
    tally.readSeconds += (performance.now() - t0) / 1000;
    for (const [k, r] of requests.entries()) {
      const byProduct = new Map(r.productIds.map((p) => [p, read[k]!.get(p) ?? []]));
      const text = encodeClientPaths(r.clientId, byProduct);
      tally.products += r.productIds.length;
      tally.bytes += text.length;
      out.push(text);
    }
  }
  return out;
}

/**
 * Reads every client's records from the graph, scores them in chunks of `chunkClients` at `asOf`
 * (scoring the next chunk while the last one's explanation paths are read and it is written) and
 * MERGEs their ScoreSets, each with the paths of the products it could be served; then records
 * the layout on the (:Model) node and removes the ScoreSets of model versions older than the two
 * latest scored ones. Idempotent: a re-run overwrites the same nodes.
 */
export async function scoreAllClients(
  db: Db,
  models: ScoringModels,
  options: ScoreAllOptions = {},
): Promise<ScoreAllResult> {
  const o = { ...SCORE_ALL_DEFAULTS, ...options };
  const say = o.onProgress ?? (() => {});
  const sw = stopwatch();
  say('score: reading the graph');
  const h = await loadHistory(neo4jSource(db));
  sw.lap('read');
  const lastDay = latestDay(h);
  const asOf = o.asOf ?? (Number.isFinite(lastDay) ? dateOfDay(lastDay) : undefined);
  if (asOf === undefined) {
    throw new NbgError(ErrorCode.NOT_FOUND, 'score: the graph has no dated history', {
      hint: 'give --as-of YYYY-MM-DD',
    });
  }
  const { modelVersion } = models;
  const n = h.clientIds.length;
  const layout = layoutOf(h);
  const tally = { products: 0, bytes: 0, readSeconds: 0 };
  let writing: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < n; from += o.chunkClients) {
    const clients = Array.from({ length: Math.min(o.chunkClients, n - from) }, (_, k) => from + k);
    const scores = await scoreClients(models, h, asOf, clients);
    await writing;
    const scored = [...scores];
    writing = (async () => {
      const paths = o.paths ? await storedPaths(db, scored, layout, o.pathBatch, tally) : undefined;
      const rows = scored.map(([id, s], k) => scoreRow(id, modelVersion, s, paths?.[k] ?? null));
      await db.writeBatches(writeScoreSets, [rows], {
        batchSize: o.batchSize,
        params: { modelVersion, asOf },
      });
    })();
    writing.catch(() => {}); // awaited (and thrown) before the next write; no unhandled rejection meanwhile
    say(
      `score: ${Math.min(from + o.chunkClients, n).toLocaleString('en')} / ${n.toLocaleString('en')} clients`,
    );
  }
  await writing;
  sw.lap('score');
  await db.write(writeModelScored, {
    version: modelVersion,
    asOf,
    scoredAt: new Date().toISOString(),
    clients: neo4j.int(n),
    products: [...layout.productIds],
    channels: [...layout.channelIds],
  });
  const keep = (await db.read<{ version: string }>(scoredVersions)).slice(0, 2).map((r) => r.version);
  let deleted = 0;
  for (;;) {
    const { rows } = await db.write<{ deleted: number }>(deleteScoreSets, { keep, limit: neo4j.int(10_000) });
    const d = Number(rows[0]?.deleted ?? 0);
    deleted += d;
    if (d === 0) break;
  }
  sw.lap('clean');
  return { modelVersion, asOf, clients: n, deleted, seconds: sw.laps, paths: tally };
}
