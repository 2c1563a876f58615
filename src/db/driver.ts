import neo4j, { type Driver } from 'neo4j-driver';
import { ErrorCode, NbgError } from '../errors.js';

/**
 * How long the driver waits and retries, in ms. Batch commands keep the defaults (ride out a short
 * outage); the API sets short ones so that a request answers SERVICE_UNAVAILABLE quickly while the
 * database is down.
 */
export interface DriverTuning {
  readonly connectionAcquisitionTimeout?: number;
  readonly connectionTimeout?: number;
  readonly maxTransactionRetryTime?: number;
}

/** The retry window each driver was opened with (src/db/executor.ts retries its reads as long). */
const retryWindows = new WeakMap<Driver, number>();

/** How long transient errors are retried on `driver`, ms (30,000 for a driver not made here). */
export function maxRetryTimeOf(driver: Driver): number {
  return retryWindows.get(driver) ?? 30_000;
}

/**
 * The one place a neo4j-driver Driver is made. Integers come back as JS numbers
 * (disableLosslessIntegers): nbg's counts and ids stay far below 2^53.
 */
export async function openDriver(
  uri: string,
  user: string,
  password: string | undefined,
  tuning: DriverTuning = {},
): Promise<Driver> {
  const config = {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 64,
    connectionAcquisitionTimeout: 60_000,
    maxTransactionRetryTime: 30_000,
    ...tuning,
    logging: { level: 'error' as const, logger: () => {} },
  };
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password ?? ''), config);
  retryWindows.set(driver, config.maxTransactionRetryTime);
  try {
    await driver.getServerInfo();
  } catch (e) {
    await driver.close();
    const msg = e instanceof Error ? e.message : String(e);
    const auth = /auth|credential|unauthorized/i.test(msg);
    throw new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `cannot reach Neo4j at ${uri}: ${msg}`, {
      cause: e,
      hint: auth
        ? 'check NEO4J_USER and NEO4J_PASSWORD'
        : 'check that the server runs and NEO4J_URI is right; unset NEO4J_URI to use the embedded Neo4j',
    });
  }
  return driver;
}

export { neo4j };
