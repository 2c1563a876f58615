import { type RestartableInstance, startRestartable } from '../../src/db/embedded/restartable.js';
import { type EmbeddedInstance, type EmbeddedOptions, startEmbedded } from '../../src/db/embedded/start.js';
import type { Db } from '../../src/db/executor.js';
import { openDb } from '../../src/db/open-db.js';
import type { QueryRegistry } from '../../src/db/queries.js';

/**
 * A benchmark's own embedded Neo4j: attached (it stops with the bench), user neo4j; give it a
 * generous start-up limit, the bench machine is shared.
 */
export type BenchNeo4jOptions = Omit<EmbeddedOptions, 'mode'>;

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
