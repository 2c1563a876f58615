import { ErrorCode, NbgError } from '../../errors.js';
import type { OfflineImportInput, OfflineImportOptions, OfflineImportResult } from './offline-import.js';
import { type EmbeddedInstance, type EmbeddedOptions, startEmbedded } from './start.js';

/** An embedded store this process may stop and start again (for an offline import). */
export interface LocalStore {
  /** Neo4j home of the store. */
  readonly home: string;
  /** JVM heap for a process working on the store. */
  readonly heap: string;
  /**
   * Stops the database, runs `work`, and starts it again on the same port (so the URI stays
   * valid), also when `work` fails. Connections made before are gone: open a new driver after.
   */
  whileStopped<T>(work: () => Promise<T>): Promise<T>;
  /**
   * When the store's Neo4j process can run the offline import itself (an attached instance): the
   * import, between a shutdown and a new start of the database in that process; the URI stays valid.
   */
  importInPlace?(input: OfflineImportInput, opts?: OfflineImportOptions): Promise<OfflineImportResult>;
}

/** An attached embedded instance that can be stopped and started again on the same port. */
export interface RestartableInstance extends LocalStore {
  /** The running instance (a new one after each `whileStopped`). */
  readonly current: EmbeddedInstance;
  stop(): Promise<void>;
  importInPlace(input: OfflineImportInput, opts?: OfflineImportOptions): Promise<OfflineImportResult>;
}

export async function startRestartable(opts: EmbeddedOptions): Promise<RestartableInstance> {
  let inst = await startEmbedded(opts);
  return {
    home: opts.home,
    heap: opts.heap,
    get current() {
      return inst;
    },
    stop: () => inst.stop(),
    importInPlace(input, importOpts) {
      if (!inst.importInPlace)
        throw new NbgError(ErrorCode.INTERNAL, 'the attached Neo4j cannot import in place');
      return inst.importInPlace(input, importOpts);
    },
    async whileStopped<T>(work: () => Promise<T>): Promise<T> {
      const port = inst.port;
      await inst.stop();
      try {
        return await work();
      } finally {
        inst = await startEmbedded({ ...opts, port });
      }
    },
  };
}
