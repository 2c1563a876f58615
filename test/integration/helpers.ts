import { join } from 'node:path';
import pino from 'pino';
import { expect, inject } from 'vitest';
import { signToken } from '../../src/api/auth.js';
import { createApiServer } from '../../src/api/server.js';
import type { PrecomputedValueSource } from '../../src/api/services/precomputed-values.js';
import { loadTrainedValueSource } from '../../src/api/trained-value-source.js';
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

const API_SECRET = 'test-secret-0123456789abcdef0123456789';

/**
 * `body` run against an API server on `database` with the trained suite of `suiteDir` (its stored
 * scores, as `nbg serve`), the clock at `at`; `ask` posts a GraphQL query as an admin and returns
 * its data, expecting no error. Returns what `body` returned and the server's value source.
 */
export async function withTrainedApi<T>(
  database: Db,
  suiteDir: string,
  at: Date,
  body: (ask: (query: string) => Promise<Record<string, unknown>>) => Promise<T>,
): Promise<{ out: T; values: PrecomputedValueSource }> {
  const values = await loadTrainedValueSource(suiteDir, database);
  const server = createApiServer({
    db: database,
    logger: pino({ level: 'silent' }),
    secret: API_SECRET,
    values,
    modelKind: 'trained',
    now: () => new Date(at),
  });
  const { url, close } = await server.listen(0, '127.0.0.1');
  const token = await signToken(API_SECRET, 'admin');
  try {
    const out = await body(async (query) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
      expect(json.errors).toBeUndefined();
      return json.data!;
    });
    return { out, values };
  } finally {
    await close();
  }
}
