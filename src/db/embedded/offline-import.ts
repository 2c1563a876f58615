import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ErrorCode, NbgError } from '../../errors.js';
import { readyLauncher } from './launcher-build.js';
import { type LauncherLine, parseLauncherLine } from './launcher-output.js';

/**
 * Neo4j's offline batch importer driven through the launcher: in a process of its own on a stopped
 * store (`importOffline`), or by a running attached launcher between a shutdown and a reopening of
 * its database (`importThrough`).
 */

/** The input of an offline import: the importer's node and relationship CSV groups. */
export interface OfflineImportInput {
  /** Each group: a label and its files (header file first, then the body). */
  readonly nodes: readonly { readonly label: string; readonly files: readonly string[] }[];
  readonly relationships: readonly { readonly type: string; readonly files: readonly string[] }[];
  /** Files with a field that spans lines (the importer reads only these the slow way). */
  readonly multiline: readonly string[];
  /** Where the importer writes its report of bad entries. */
  readonly report: string;
}

export interface OfflineImportOptions {
  /** JVM heap of the import process (a separate process only; in place, Neo4j's heap). */
  readonly heap?: string;
  /** Off-heap memory the importer may use (its caches). Default 512m. */
  readonly maxMemory?: string;
}

/** The seconds, CPU seconds and peak resident memory of an offline import (null when unknown). */
export interface OfflineImportResult {
  readonly seconds: number;
  readonly cpuSeconds: number | null;
  readonly peakRssMb: number | null;
}

/**
 * Loads the default database of the stopped embedded store under `home` with Neo4j's offline batch
 * importer (the launcher's `import` mode): the store is built beside the live one and swapped in
 * only once complete, so a failure or a kill leaves the database as it was. The database must not
 * be running (LOCKED otherwise). Resolves with the import's seconds, the import process's CPU
 * seconds (JVM start included) and peak resident memory; the importer's own output goes to HOME/import.log.
 */
export async function importOffline(
  home: string,
  input: OfflineImportInput,
  opts: OfflineImportOptions,
): Promise<OfflineImportResult> {
  const jar = readyLauncher();
  const logFile = join(home, 'import.log');
  const args = [
    ...(opts.heap ? [`-Xmx${opts.heap}`] : []),
    '-XX:+UseG1GC',
    '-jar',
    jar,
    'import',
    '--home',
    home,
    '--exit-on-stdin-close',
    ...importArgs(input, opts),
  ];
  mkdirSync(home, { recursive: true });
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const errFd = openSync(logFile, 'w');
  child.stderr?.on('data', (d: Buffer) => {
    try {
      writeFileSync(errFd, d);
    } catch {
      // log is best effort
    }
  });
  let last: LauncherLine | undefined;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (l) => {
    last = parseLauncherLine(l) ?? last;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) =>
      reject(
        new NbgError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `could not run java for the offline import: ${e.message}`,
        ),
      ),
    );
    child.once('close', (c) => resolve(c));
  });
  closeSync(errFd);
  // A failure exits with status 1 after its ERROR line, which says why (LOCKED, IMPORT_FAILED, ...).
  const line = code !== 0 && last?.kind === 'IMPORTED' ? undefined : last;
  return importResult(line, home, input, logFile, `exit code ${code}`);
}

/**
 * Sends the IMPORT command to an attached launcher and waits for its result line and its READY
 * (the database opened again), then reads the result as `importOffline` does.
 */
export async function importThrough(
  child: ChildProcess,
  home: string,
  logFile: string,
  input: OfflineImportInput,
  opts: OfflineImportOptions = {},
): Promise<OfflineImportResult> {
  const args = importArgs(input, opts);
  for (const a of args)
    if (/[\t\r\n]/.test(a))
      throw new NbgError(
        ErrorCode.INTERNAL,
        `import argument ${JSON.stringify(a)} holds a tab or a line break`,
      );
  const lines = createInterface({ input: child.stdout! });
  let result: LauncherLine | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const exited = (code: number | null): void =>
        reject(
          new NbgError(
            ErrorCode.SERVICE_UNAVAILABLE,
            `the embedded Neo4j exited during the offline import into ${home} (code ${code})`,
            { hint: `see ${logFile}` },
          ),
        );
      child.once('exit', exited);
      lines.on('line', (l) => {
        const parsed = parseLauncherLine(l);
        if (!parsed) return;
        if (parsed.kind !== 'READY') {
          result = parsed; // IMPORTED, or ERROR (the import failed; the database reopens anyway)
          return;
        }
        if (result === undefined) return;
        child.removeListener('exit', exited);
        resolve();
      });
      child.stdin!.write(`IMPORT\t${args.join('\t')}\n`);
    });
  } finally {
    lines.close();
  }
  return importResult(result, home, input, logFile);
}

/** The launcher's arguments for one import (after `import --home HOME`, or after `IMPORT`). */
export function importArgs(input: OfflineImportInput, opts: OfflineImportOptions): string[] {
  const spec = (name: string, files: readonly string[]): string => {
    for (const f of files)
      if (f.includes(',') || f.includes('='))
        throw new NbgError(
          ErrorCode.INTERNAL,
          `import file path ${f} contains ',' or '=' (the importer splits on them)`,
        );
    return `${name}=${files.join(',')}`;
  };
  return [
    '--report',
    input.report,
    '--max-memory',
    opts.maxMemory ?? '512m',
    ...input.nodes.flatMap((n) => ['--nodes', spec(n.label, n.files)]),
    ...input.relationships.flatMap((r) => ['--relationships', spec(r.type, r.files)]),
    ...input.multiline.flatMap((f) => ['--multiline', f]),
  ];
}

/** The result of an import from the launcher's last line about it; throws what went wrong. */
export function importResult(
  last: LauncherLine | undefined,
  home: string,
  input: OfflineImportInput,
  logFile: string,
  otherwise = 'no result line',
): OfflineImportResult {
  if (last?.kind === 'IMPORTED') {
    const rss = last.data.peakRssMb ?? -1;
    const cpu = last.data.cpuSeconds ?? -1;
    return {
      seconds: last.data.seconds ?? 0,
      cpuSeconds: cpu >= 0 ? cpu : null,
      peakRssMb: rss >= 0 ? rss : null,
    };
  }
  const msg = last?.kind === 'ERROR' ? (last.data.message ?? 'unknown error') : otherwise;
  if (last?.data.code === 'LOCKED')
    throw new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `offline import into ${home}: ${msg}`, {
      hint: 'stop the running Neo4j (`nbg db stop`), or ingest with --no-bulk',
    });
  throw new NbgError(
    ErrorCode.INTERNAL,
    `the offline import into ${home} failed (${msg}); the database was left as it was`,
    {
      hint: `see ${logFile} and ${input.report}; \`nbg ingest --no-bulk\` writes through transactions instead`,
    },
  );
}
