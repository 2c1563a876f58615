import {
  explanationPathsQuery,
  type PathRow,
  pathsByProduct,
} from '../../allocate/precomputed/explanation-paths.js';
import type { Db } from '../../db/executor.js';
import { ReadBatcher } from '../../db/read-batcher.js';
import type { GraphPath } from './api-types.js';

/**
 * The live read of served products' explanation paths (read/explanation-paths): for each product, 2
 * to 4 real paths of the graph from the client to it (a similar client holding it, a journey event
 * or verbatim about it, a community member or a client of the same advisor holding it), grouped by
 * product id. Concurrent requests leave as one query (src/db/read-batcher.ts). The fallback of the
 * paths `nbg score` precomputed (a product missing from them, a client rescored live, a stand-in
 * model).
 */
export class ExplanationPathReader {
  private readonly batcher: ReadBatcher;
  /** Products whose paths were read live, for tests and diagnostics. */
  readonly counts = { products: 0 };

  constructor(db: Db) {
    this.batcher = new ReadBatcher(db, explanationPathsQuery);
  }

  async read(clientId: string, productIds: readonly string[]): Promise<Map<string, GraphPath[]>> {
    this.counts.products += productIds.length;
    return pathsByProduct((await this.batcher.load({ clientId, productIds })) as unknown as PathRow[]);
  }
}
