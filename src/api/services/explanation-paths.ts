import type { Db } from '../../db/executor.js';
import { query } from '../../db/queries.js';
import { ReadBatcher } from '../../db/read-batcher.js';
import type { GraphNode, GraphPath, GraphRelationship } from './api-types.js';

const explanationPaths = query('read/api-explanation-paths');

/**
 * The explanation paths of served products (read/api-explanation-paths): for each product, 2 to 4
 * real paths of the graph from the client to it (a similar client holding it, a journey event or
 * verbatim about it, a community member or a client of the same advisor holding it), grouped by
 * product id. Concurrent requests leave as one query (src/db/read-batcher.ts).
 */
export class ExplanationPathReader {
  private readonly batcher: ReadBatcher;

  constructor(db: Db) {
    this.batcher = new ReadBatcher(db, explanationPaths);
  }

  async read(clientId: string, productIds: readonly string[]): Promise<Map<string, GraphPath[]>> {
    const rows = await this.batcher.load({ clientId, productIds });
    const out = new Map<string, GraphPath[]>();
    for (const r of rows) {
      const list = out.get(String(r.productId)) ?? [];
      list.push({
        kind: String(r.kind),
        nodes: r.nodes as GraphNode[],
        relationships: r.rels as GraphRelationship[],
      });
      out.set(String(r.productId), list);
    }
    return out;
  }
}
