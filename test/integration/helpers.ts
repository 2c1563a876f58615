import { inject } from 'vitest';
import type { Db } from '../../src/db/executor.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';
import { deleteEverything } from '../../src/db/reset.js';

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
