import { graphCounts } from '../db/counts.js';
import {
  importOffline,
  type OfflineImportInput,
  type OfflineImportResult,
} from '../db/embedded/offline-import.js';
import type { LocalStore } from '../db/embedded/restartable.js';
import type { Db } from '../db/executor.js';
import { migrate } from '../db/migrate.js';
import { stopwatch } from '../stopwatch.js';
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
  /**
   * When the store's own Neo4j process can run the import (an attached instance): runs it there
   * and resolves to a Db on the reopened database.
   */
  importInPlace?(input: OfflineImportInput): Promise<{ db: Db; result: OfflineImportResult }>;
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
  const target: BulkTarget = {
    home: store.home,
    heap: store.heap,
    async whileStopped(work) {
      await now.close();
      await store.whileStopped(work);
      now = await reconnect();
      return now;
    },
  };
  const inPlace = store.importInPlace?.bind(store);
  return {
    current: () => now,
    target: inPlace
      ? {
          ...target,
          async importInPlace(input) {
            await now.close();
            let result: OfflineImportResult;
            try {
              result = await inPlace(input);
            } finally {
              // The database is open again, also after a failed import.
              now = await reconnect();
            }
            return { db: now, result };
          },
        }
      : target,
  };
}

/** Where the seconds of a bulk load went. */
export interface BulkPhases {
  /** Closing the importer's input files (advisors, consents and accounts are written here). */
  readonly inputSeconds: number;
  /** The offline importer, as it measured itself (JVM start-up excluded). */
  readonly importSeconds: number;
  /** Stop, import (with its JVM's start when it runs in a process of its own) and restart. */
  readonly offlineSeconds: number;
  /** Whether the import ran inside the store's own Neo4j process (its CPU is then Neo4j's). */
  readonly importInLauncher: boolean;
  /** Constraints and indexes (cypher/schema) built on the loaded store. */
  readonly schemaSeconds: number;
  /** The import's CPU seconds (all threads; a separate import process's JVM start included; null
   * when unknown). */
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
 * The write pass of a first load into an empty local store: closes the importer's input, then runs
 * Neo4j's offline batch importer on the stopped database (the store is built beside the live one
 * and swapped in only when complete, so a failure or a kill leaves the database empty, as it was).
 * An attached instance runs the import in its own process, between a shutdown and a reopening of
 * its database (no second JVM, no cold restart); otherwise the database stops, a separate import
 * process runs, and the database starts again. Then the schema (`nbg db migrate`'s statements) is
 * applied. Resolves to a Db on the reopened database. The input files are deleted once the import
 * has succeeded.
 */
export async function loadOffline(
  target: BulkTarget,
  input: BulkInputWriter,
): Promise<{ db: Db; phases: BulkPhases }> {
  const sw = stopwatch();
  const importInput = await input.finish();
  const inputSeconds = sw.lap('input');
  let imported: OfflineImportResult = { seconds: 0, cpuSeconds: null, peakRssMb: null };
  let db: Db;
  if (target.importInPlace) {
    const done = await target.importInPlace(importInput);
    db = done.db;
    imported = done.result;
  } else {
    db = await target.whileStopped(async () => {
      imported = await importOffline(target.home, importInput, { heap: target.heap });
    });
  }
  const offlineSeconds = sw.lap('offline');
  await migrate(db);
  await input.remove();
  const schemaSeconds = sw.lap('schema');
  return {
    db,
    phases: {
      inputSeconds,
      importSeconds: imported.seconds,
      offlineSeconds,
      importInLauncher: target.importInPlace !== undefined,
      schemaSeconds,
      importCpuSeconds: imported.cpuSeconds,
      importPeakRssMb: imported.peakRssMb,
    },
  };
}
