import type { Config } from '../config.js';
import type { DriverTuning } from './driver.js';
import type { Db } from './executor.js';
import { acquireTarget, type Target } from './instance.js';
import { openDb } from './open-db.js';
import { QueryRegistry } from './queries.js';

export interface Connection {
  readonly db: Db;
  readonly target: Target;
  /** Closes the driver and stops an embedded Neo4j this process started. */
  close(): Promise<void>;
}

/**
 * Connects to the Neo4j this process should use (NEO4J_URI, the long-lived local instance, or a new
 * attached embedded one) and loads the query registry, which fails fast on an unknown query name.
 */
export async function connect(config: Config, tuning: DriverTuning = {}): Promise<Connection> {
  const registry = QueryRegistry.load();
  const target = await acquireTarget(config);
  let db: Db;
  try {
    db = await openDb({ ...target, registry, tuning });
  } catch (e) {
    await target.release();
    throw e;
  }
  let closed = false;
  return {
    db,
    target,
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
      await target.release();
    },
  };
}

/** Runs `fn` with a connection and always closes it (and an attached Neo4j), also on Ctrl-C. */
export async function withConnection<T>(
  config: Config,
  fn: (c: Connection) => Promise<T>,
  tuning: DriverTuning = {},
): Promise<T> {
  const conn = await connect(config, tuning);
  const onSignal = (signal: NodeJS.Signals): void => {
    void conn.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(conn);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await conn.close();
  }
}
