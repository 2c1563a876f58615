import type { Db } from './executor.js';
import { query } from './queries.js';

const nodesByLabel = query('read/count-nodes-by-label');
const relsByType = query('read/count-relationships-by-type');

export interface GraphCounts {
  readonly nodes: Readonly<Record<string, number>>;
  readonly relationships: Readonly<Record<string, number>>;
}

/** Node counts per label and relationship counts per type. */
export async function graphCounts(db: Db): Promise<GraphCounts> {
  const toMap = (rows: { name: string; count: number }[]): Record<string, number> =>
    Object.fromEntries(rows.map((r) => [r.name, r.count]));
  return {
    nodes: toMap(await db.read<{ name: string; count: number }>(nodesByLabel)),
    relationships: toMap(await db.read<{ name: string; count: number }>(relsByType)),
  };
}
