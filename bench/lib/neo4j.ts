import { createServer } from 'node:net';
import { type RestartableInstance, startRestartable } from '../../src/db/embedded/restartable.js';
import { type EmbeddedInstance, startEmbedded } from '../../src/db/embedded/start.js';
import type { Db } from '../../src/db/executor.js';
import { openDb } from '../../src/db/open-db.js';
import type { QueryRegistry } from '../../src/db/queries.js';

/** A benchmark's own embedded Neo4j (attached: it stops with the bench), user neo4j. */
export interface BenchNeo4jOptions {
  readonly home: string;
  /** Bolt port; default a free one. */
  readonly port?: number;
  readonly password: string;
  readonly heap: string;
  readonly pagecache: string;
  /** Start-up limit; the bench machine is shared, so a generous one. */
  readonly timeoutSeconds: number;
}

export function startBenchNeo4j(o: BenchNeo4jOptions): Promise<EmbeddedInstance> {
  return startEmbedded({ ...o, mode: 'attached' });
}

/** The same, stoppable and restartable on its port (the ingest's bulk path stops it). */
export function startRestartableBenchNeo4j(o: BenchNeo4jOptions): Promise<RestartableInstance> {
  return startRestartable({ ...o, mode: 'attached' });
}

/** A Db on a bench's Neo4j (user neo4j, database neo4j). */
export function benchDb(uri: string, password: string, registry?: QueryRegistry): Promise<Db> {
  return openDb({ uri, user: 'neo4j', password, database: 'neo4j', ...(registry ? { registry } : {}) });
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
