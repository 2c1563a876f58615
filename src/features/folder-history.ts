/**
 * loadHistory(folderSource(dir)) with the folder's files read in worker threads: on two threads or
 * more, the clients, solicitations and events in one and the clients, holdings, consents, balances
 * and verbatims in the other (8.2 and 7.9 CPU s on a 100,000-client world), merged into one history: the same
 * history as one thread's, since every kind of record is grouped and sorted on its own and both
 * threads read the same clients. A worker's young generation is larger than the main thread's
 * default: the read allocates a few short-lived strings per cell, and a small young generation spent
 * a third of the read's CPU time in the garbage collector. An error is the one the sequential read
 * would raise: of the threads' errors, the one about the file read first.
 */
import { InputError } from '../errors.js';
import { coresUpTo, runInWorker, workerModule } from '../worker-thread.js';
import { RECORD_FILES, type RecordFile } from './folder-source.js';
import type { FeatureHistory } from './record-store.js';

export interface FolderHistoryOptions {
  /** Threads to read with (1: one worker reads every file). Default: the cores available, at most 2. */
  readonly threads?: number;
  /** Young generation of each worker, MB. Default 192. */
  readonly youngGenerationMb?: number;
}

export const FOLDER_HISTORY_DEFAULTS = {
  threads: coresUpTo(2),
  youngGenerationMb: 192,
} as const;

/** What a worker reads (workerData). */
export interface FolderReadJob {
  readonly dir: string;
  readonly files: readonly RecordFile[];
}

/** The files of each thread, in the read's order. */
const SPLIT: readonly (readonly RecordFile[])[] = [
  ['solicitations', 'events'],
  ['holdings', 'consents', 'balances', 'verbatims'],
];

/** Where the sequential read meets the file an error is about: −1 for the clients and catalog. */
function readRank(e: unknown): number {
  const file = e instanceof InputError ? e.issues[0]?.file : undefined;
  return RECORD_FILES.findIndex((f) => `${f}.csv` === file);
}

const WORKER = workerModule('folder-history-worker', import.meta.url);

/** Every typed array's buffer in a history, once each (the worker moves them to the caller). */
export function historyBuffers(history: FeatureHistory): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer as ArrayBuffer);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v))
      for (const x of Object.values(v)) visit(x);
  };
  visit(history);
  return [...buffers];
}

/** The folder's history (loadHistory(folderSource(dir))), its files read in worker threads. */
export async function loadFolderHistory(
  dir: string,
  options: FolderHistoryOptions = {},
): Promise<FeatureHistory> {
  const threads = options.threads ?? FOLDER_HISTORY_DEFAULTS.threads;
  const young = options.youngGenerationMb ?? FOLDER_HISTORY_DEFAULTS.youngGenerationMb;
  const groups = threads >= 2 ? SPLIT : [RECORD_FILES];
  const settled = await Promise.allSettled(
    groups.map((files) =>
      runInWorker<FeatureHistory>(WORKER, { dir, files } satisfies FolderReadJob, {
        resourceLimits: { maxYoungGenerationSizeMb: young },
        where: 'features/folder-history',
      }),
    ),
  );
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (errors.length > 0) throw errors.reduce((a, b) => (readRank(b) < readRank(a) ? b : a));
  const [first, second] = settled.map((s) => (s as PromiseFulfilledResult<FeatureHistory>).value);
  return second
    ? {
        ...first!,
        holdings: second.holdings,
        consents: second.consents,
        balances: second.balances,
        verbatims: second.verbatims,
      }
    : first!;
}
