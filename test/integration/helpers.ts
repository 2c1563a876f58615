import { inject } from 'vitest';
import { openDriver } from '../../src/db/driver.js';
import { Db } from '../../src/db/executor.js';
import { migrate } from '../../src/db/migrate.js';
import { QueryRegistry } from '../../src/db/queries.js';
import { deleteEverything } from '../../src/db/reset.js';

/** Environment that makes nbg (in this process or a child) use the test Neo4j. */
export function testEnv(): Record<string, string> {
  const n = inject('neo4j');
  return { NEO4J_URI: n.uri, NEO4J_USER: n.user, NEO4J_PASSWORD: n.password, NBG_PROGRESS: '0' };
}

/** A Db on the test Neo4j with the schema applied and no data. */
export async function freshDb(): Promise<Db> {
  const n = inject('neo4j');
  const db = new Db(await openDriver(n.uri, n.user, n.password), QueryRegistry.load(), 'neo4j');
  await deleteEverything(db);
  await migrate(db);
  return db;
}
