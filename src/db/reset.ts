import neo4j from 'neo4j-driver';
import type { Db } from './executor.js';
import { query } from './queries.js';

const deleteRelationships = query('admin/delete-relationships-batch');
const deleteNodes = query('admin/delete-everything-batch');

/**
 * Deletes every relationship, then every node (the schema stays), in bounded transactions of
 * `batch` items: relationships first, so no transaction has to delete a dense node's thousands of
 * relationships at once. Returns the number of nodes deleted.
 */
export async function deleteEverything(db: Db, batch = 50_000): Promise<number> {
  const drain = async (ref: typeof deleteNodes): Promise<number> => {
    let total = 0;
    for (;;) {
      const { rows } = await db.write<{ deleted: number }>(ref, { limit: neo4j.int(batch) });
      const n = rows[0]?.deleted ?? 0;
      total += n;
      if (n < batch) return total;
    }
  };
  await drain(deleteRelationships);
  return drain(deleteNodes);
}
