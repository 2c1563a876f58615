import { graphCounts } from '../db/counts.js';
import { importOffline, type LocalStore } from '../db/embedded.js';
import type { Db } from '../db/executor.js';
import { migrate } from '../db/migrate.js';
import type { BulkInputWriter } from './bulk-input.js';

/**
 * A local embedded store the ingest may load offline: its Neo4j home, the heap of the import
 * process, and a way to stop the database, run the import and start it again.
 */
export interface BulkTarget {
  readonly home: string;
  readonly heap: string;
  /**
   * Stops the database, runs `work`, starts the database again (also when `work` fails) and
   * resolves to a Db on the restarted database (the old one's connections are gone).
   */
  whileStopped(work: () => Promise<void>): Promise<Db>;
}

/**
 * The BulkTarget of a local store reached through `db`: stopping the store closes `db` (its
 * connections die with the database) and `reconnect` makes the Db on the restarted one, which
 * `current()` returns afterwards (the caller closes it).
 */
export function bulkTarget(
  store: LocalStore,
  db: Db,
  reconnect: () => Promise<Db>,
): { target: BulkTarget; current(): Db } {
  let now = db;
  return {
    current: () => now,
    target: {
      home: store.home,
      heap: store.heap,
      async whileStopped(work) {
        await now.close();
        await store.whileStopped(work);
        now = await reconnect();
        return now;
      },
    },
  };
}

/** Where the seconds of a bulk load went. */
export interface BulkPhases {
  /** Closing the importer's input files (advisors, consents and accounts are written here). */
  readonly inputSeconds: number;
  /** The offline importer, as it measured itself (JVM start-up excluded). */
  readonly importSeconds: number;
  /** Stop, import process (JVM included) and restart of the database. */
  readonly offlineSeconds: number;
  /** Constraints and indexes (cypher/schema) built on the loaded store. */
  readonly schemaSeconds: number;
  /** The import process's CPU seconds (all threads, JVM start included; null when unknown). */
  readonly importCpuSeconds: number | null;
  /** The import process's peak resident memory, MB (null when unknown). */
  readonly importPeakRssMb: number | null;
}

/** True when the database holds no node at all (the schema may exist). */
export async function graphIsEmpty(db: Db): Promise<boolean> {
  const counts = await graphCounts(db);
  return Object.values(counts.nodes).every((n) => n === 0);
}

/**
 * The write pass of a first load into an empty local store: closes the importer's input, stops the
 * database, runs Neo4j's offline batch importer (the store is built beside the live one and swapped
 * in only when complete, so a failure or a kill leaves the database empty, as it was), starts the
 * database again and applies the schema (`nbg db migrate`'s statements). Resolves to a Db on the
 * restarted database. The input files are deleted once the import has succeeded.
 */
export async function loadOffline(
  target: BulkTarget,
  input: BulkInputWriter,
): Promise<{ db: Db; phases: BulkPhases }> {
  const t0 = Date.now();
  const importInput = await input.finish();
  const t1 = Date.now();
  let imported: { seconds: number; cpuSeconds: number | null; peakRssMb: number | null } = {
    seconds: 0,
    cpuSeconds: null,
    peakRssMb: null,
  };
  const db = await target.whileStopped(async () => {
    imported = await importOffline(target.home, importInput, { heap: target.heap });
  });
  const t2 = Date.now();
  await migrate(db);
  await input.remove();
  return {
    db,
    phases: {
      inputSeconds: (t1 - t0) / 1000,
      importSeconds: imported.seconds,
      offlineSeconds: (t2 - t1) / 1000,
      schemaSeconds: (Date.now() - t2) / 1000,
      importCpuSeconds: imported.cpuSeconds,
      importPeakRssMb: imported.peakRssMb,
    },
  };
}
