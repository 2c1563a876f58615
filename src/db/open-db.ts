import { type DriverTuning, openDriver } from './driver.js';
import { Db } from './executor.js';
import { QueryRegistry } from './queries.js';

/** Where a Db connects: a Bolt URI, credentials and the database name. */
export interface DbAddress {
  readonly uri: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
  /** The named queries; default: QueryRegistry.load() (cypher/, read now). */
  readonly registry?: QueryRegistry;
  /** The driver's timeouts and retry window (src/db/driver.ts); default: the batch commands' ones. */
  readonly tuning?: DriverTuning;
}

/**
 * The one way to open a Db: a driver checked against the server (openDriver: SERVICE_UNAVAILABLE
 * when it does not answer) and the query registry. The caller closes it (`db.close()`).
 */
export async function openDb(address: DbAddress): Promise<Db> {
  const registry = address.registry ?? QueryRegistry.load();
  const driver = await openDriver(address.uri, address.user, address.password, address.tuning ?? {});
  return new Db(driver, registry, address.database);
}
