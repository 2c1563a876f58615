import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScoringModels, scoreAllClients } from '../../src/allocate/precomputed/score-all-clients.js';
import { analyze } from '../../src/analyze/index.js';
import type { EmbeddedInstance } from '../../src/db/embedded/start.js';
import { migrate } from '../../src/db/migrate.js';
import { ingest } from '../../src/ingest/index.js';
import { trainOnGraph } from '../../src/models/suite/train-on-graph.js';
import { benchDb } from '../lib/neo4j.js';
import { simulatedWorld } from '../lib/world.js';

/** The world of bench/api and where its store keeps what is done. */
export interface ApiWorld {
  readonly clients: number;
  /** The simulator's seed. */
  readonly seed: number;
  /** The simulated dataset folder (shared with bench/ingest.ts). */
  readonly world: string;
  /** The bench's data dir: Neo4j's store, the ingest report, the trained suite, the markers. */
  readonly store: string;
  readonly password: string;
  /** Mark the world ready without `nbg analyze`. */
  readonly skipAnalyze: boolean;
  readonly log: (line: string) => void;
}

/**
 * Simulates, ingests, analyses, trains and scores the world once, as a user does with `nbg ingest`,
 * `nbg analyze` and `nbg train` (its defaults: trainOnGraph, then every client scored at the
 * training date, the ScoreSets `nbg serve` ranks with); later runs find ingested.json / ready.json
 * and skip what is done. `skipAnalyze` marks the world ready without the analysis (no SIMILAR_TO or
 * communities: explanation paths then come from journeys, verbatims and same-advisor clients only).
 */
export async function prepare(neo4j: EmbeddedInstance, w: ApiWorld): Promise<void> {
  const readyFile = join(w.store, 'ready.json');
  const ingestedFile = join(w.store, 'ingested.json');
  const { log } = w;
  if (existsSync(readyFile)) return;
  await simulatedWorld(
    { clients: w.clients, months: 4, seed: w.seed, out: w.world },
    { marker: 'clients.csv', say: log },
  );
  const db = await benchDb(neo4j.uri, w.password);
  try {
    if (!existsSync(ingestedFile)) {
      await migrate(db);
      log('ingesting');
      const summary = await ingest(db, w.world, { reportDir: join(w.store, 'ingest-report') });
      log(`ingested ${summary.rowsRead} rows in ${summary.seconds.toFixed(0)} s`);
      writeFileSync(
        ingestedFile,
        `${JSON.stringify({ world: w.world, rows: summary.rowsRead, ingestSeconds: summary.seconds }, null, 2)}\n`,
      );
    }
    let analysis: Record<string, unknown> = { analyze: 'skipped (--skip-analyze)' };
    if (!w.skipAnalyze) {
      log('analysing');
      const a = await analyze(db, { seed: 42 });
      log(`analysed in ${a.seconds.toFixed(0)} s: ${a.communities} communities, ${a.similarTo} SIMILAR_TO`);
      analysis = { analyzeSeconds: a.seconds, communities: a.communities, similarTo: a.similarTo };
    }
    log('training the model suite (nbg train)');
    const trained = await trainOnGraph(db, { dataDir: w.store, onProgress: (step) => log(`train: ${step}`) });
    const trainSeconds = Object.values(trained.seconds).reduce((a, b) => a + b, 0);
    log(`trained ${trained.manifest.version} in ${trainSeconds.toFixed(0)} s; scoring every client`);
    const scored = await scoreAllClients(db, await loadScoringModels(trained.dir), {
      asOf: trained.asOf,
      onProgress: log,
    });
    const scoreSeconds = Object.values(scored.seconds).reduce((a, b) => a + b, 0);
    log(`scored ${scored.clients} clients at ${scored.asOf} in ${scoreSeconds.toFixed(0)} s`);
    const ingested = JSON.parse(readFileSync(ingestedFile, 'utf8')) as Record<string, unknown>;
    const ready = {
      ...ingested,
      ...analysis,
      model: trained.manifest.version,
      trainSeconds,
      scoredAsOf: scored.asOf,
      scoreSeconds,
    };
    writeFileSync(readyFile, `${JSON.stringify(ready, null, 2)}\n`);
  } finally {
    await db.close();
  }
}
