import { join } from 'node:path';
import { inject } from 'vitest';
import type { Db } from '../../src/db/executor.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';
import { deleteEverything } from '../../src/db/reset.js';
import { ingest } from '../../src/ingest/index.js';
import { type TrainOnGraphResult, trainOnGraph } from '../../src/models/suite/train-on-graph.js';
import { simulate } from '../../src/simulate/index.js';

/** Environment that makes nbg (in this process or a child) use the test Neo4j. */
export function testEnv(): Record<string, string> {
  const n = inject('neo4j');
  return { NEO4J_URI: n.uri, NEO4J_USER: n.user, NEO4J_PASSWORD: n.password, NBG_PROGRESS: '0' };
}

/** A Db on the test Neo4j with the schema applied and no data. */
export async function freshDb(): Promise<Db> {
  const n = inject('neo4j');
  const db = await openDb({ uri: n.uri, user: n.user, password: n.password, database: 'neo4j' });
  await deleteEverything(db);
  await migrate(db);
  return db;
}

/**
 * The small trained world of the API's tests: 300 simulated clients (seed 12) ingested into `db` and
 * the suite trained on them (the uplift learner and the classic propensity model, seed 5) at nbg
 * train's default date, the day after the latest record; files under `work`.
 */
export async function smallTrainedWorld(db: Db, work: string): Promise<TrainOnGraphResult> {
  await simulate({ clients: 300, seed: 12, out: join(work, 'w') });
  await ingest(db, join(work, 'w'), { reportDir: join(work, 'r') });
  return trainOnGraph(db, {
    dataDir: join(work, 'data'),
    suite: { baselines: ['classic-propensity'], seed: 5 },
  });
}
