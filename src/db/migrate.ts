import type { Db } from './executor.js';

/**
 * Applies every statement of cypher/schema/ (constraints, then indexes, in name order). Each is
 * `CREATE … IF NOT EXISTS`, so migrating twice changes nothing. Returns the names applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  const names = db.registry.namesUnder('schema/');
  for (const name of names) await db.schema(name);
  return names;
}
