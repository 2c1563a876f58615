import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * Simulates, ingests, analyses and trains (the suite `nbg serve` then ranks with, as `npm start`
 * does) the world once; later runs find ingested.json / ready.json and skip what is done. `skipAnalyze` marks the world ready without the analysis (no SIMILAR_TO or
 * communities: explanation paths then come from journeys, verbatims and same-advisor clients only).
 */
export async function prepare(neo4j: EmbeddedInstance, w: ApiWorld): Promise<void> {
  const readyFile = join(w.store, 'ready.json');
  const ingestedFile = join(w.store, 'ingested.json');
  const { log } = w;
  if (existsSync(readyFile)) return;
  await simulatedWorld(
    { clients: w.clients, months: 4, seed: 1, out: w.world },
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
    log(
      `trained ${trained.manifest.version} in ${Object.values(trained.seconds)
        .reduce((a, b) => a + b, 0)
        .toFixed(0)} s`,
    );
    const ingested = JSON.parse(readFileSync(ingestedFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      readyFile,
      `${JSON.stringify({ ...ingested, ...analysis, model: trained.manifest.version }, null, 2)}\n`,
    );
  } finally {
    await db.close();
  }
}
