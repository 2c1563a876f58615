import type { Db, Row } from '../db/executor.js';
import { query } from '../db/queries.js';
import type { GraphAnalysis } from './graph-analysis.js';
import type { ClientProfile } from './read-projection.js';

const Q = {
  clients: query('write/analyze-clients'),
  communities: query('write/analyze-communities'),
  inCommunity: query('write/analyze-in-community'),
  similarTo: query('write/analyze-similar-to'),
  deleteStale: query('admin/delete-stale-communities'),
  vectorIndex: query('vector/client-embedding-index'),
};

/** Community id as stored: stable text ids, `K0`, `K1`, … in order of size (largest first). */
function communityIds(a: GraphAnalysis): string[] {
  const sizes = new Int32Array(a.communityCount);
  for (const c of a.community) sizes[c]!++;
  const order = Array.from(sizes.keys()).sort((x, y) => sizes[y]! - sizes[x]! || x - y);
  const ids: string[] = new Array(a.communityCount);
  order.forEach((c, rank) => {
    ids[c] = `K${rank}`;
  });
  return ids;
}

/** Size, the three products most held and the two most common segments of each community. */
function communityRows(
  a: GraphAnalysis,
  ids: readonly string[],
  profiles: ReadonlyMap<string, ClientProfile>,
  analyzedAt: string,
): Row[] {
  const stats = ids.map(() => ({
    size: 0,
    products: new Map<string, number>(),
    segments: new Map<string, number>(),
  }));
  a.clientIds.forEach((id, i) => {
    const s = stats[a.community[i]!]!;
    s.size++;
    const p = profiles.get(id);
    if (!p) return;
    s.segments.set(p.segment, (s.segments.get(p.segment) ?? 0) + 1);
    for (const h of p.holdings) s.products.set(h, (s.products.get(h) ?? 0) + 1);
  });
  const top = (m: Map<string, number>, n: number): string[] =>
    [...m]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, n)
      .map(([k]) => k);
  return stats.map((s, c) => ({
    id: ids[c],
    size: s.size,
    topProducts: top(s.products, 3),
    topSegments: top(s.segments, 2),
    analyzedAt,
  }));
}

/**
 * Writes an analysis back into the graph, in batches: `Client.community` and `Client.embedding`,
 * `(:Community)` nodes with their profile, `IN_COMMUNITY` and the top-k `SIMILAR_TO {score}` (both
 * replacing an earlier analysis's), then the vector index on client embeddings. Idempotent.
 */
export async function writeGraphAnalysis(
  db: Db,
  a: GraphAnalysis,
  profiles: ReadonlyMap<string, ClientProfile>,
  options: { batchSize?: number; onRows?: (n: number) => void } = {},
): Promise<{ communities: number; similarTo: number; vectorIndex: boolean }> {
  const batchSize = options.batchSize ?? 2_000;
  const ids = communityIds(a);
  const analyzedAt = new Date().toISOString();
  const d = a.dimensions;
  const n = a.clientIds.length;

  function* clientRows(): Generator<Row[]> {
    for (let start = 0; start < n; start += batchSize) {
      const rows: Row[] = [];
      for (let i = start; i < Math.min(n, start + batchSize); i++) {
        rows.push({
          id: a.clientIds[i],
          community: ids[a.community[i]!],
          embedding: Array.from(a.embeddings.subarray(i * d, i * d + d)),
        });
      }
      yield rows;
    }
  }
  await db.writeBatches(Q.communities, [communityRows(a, ids, profiles, analyzedAt)], { batchSize });
  await db.writeBatches(Q.clients, clientRows(), { batchSize, onBatch: options.onRows });
  await db.writeBatches(
    Q.inCommunity,
    (function* () {
      for (const rows of clientRows()) yield rows.map((r) => ({ id: r.id, community: r.community }));
    })(),
    { batchSize },
  );
  await db.write(Q.deleteStale);

  let similarTo = 0;
  function* similarRows(): Generator<Row[]> {
    const { k, indices, scores } = a.similar;
    for (let start = 0; start < n; start += batchSize) {
      const rows: Row[] = [];
      for (let i = start; i < Math.min(n, start + batchSize); i++) {
        const neighbours: { id: string; score: number }[] = [];
        for (let j = 0; j < k; j++) {
          const v = indices[i * k + j]!;
          if (v < 0 || v === i) continue;
          neighbours.push({ id: a.clientIds[v] as string, score: scores[i * k + j]! });
        }
        similarTo += neighbours.length;
        rows.push({ id: a.clientIds[i], neighbours });
      }
      yield rows;
    }
  }
  await db.writeBatches(Q.similarTo, similarRows(), { batchSize, concurrency: 1 });

  const vectorIndex = d === 128;
  if (vectorIndex) await db.schema(Q.vectorIndex);
  return { communities: ids.length, similarTo, vectorIndex };
}
