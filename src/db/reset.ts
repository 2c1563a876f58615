import neo4j from 'neo4j-driver';
import type { Db } from './executor.js';
import { query } from './queries.js';

const deleteBatch = query('admin/delete-everything-batch');

/** Deletes every node and relationship (the schema stays), in transactions of `batch` nodes. */
export async function deleteEverything(db: Db, batch = 20_000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await db.write<{ deleted: number }>(deleteBatch, { limit: neo4j.int(batch) });
    const n = rows[0]?.deleted ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
