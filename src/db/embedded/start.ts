import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ErrorCode, NbgError } from '../../errors.js';
import { logger } from '../../log.js';
import { stopwatch } from '../../stopwatch.js';
import { readyLauncher } from './launcher-build.js';
import { type LauncherLine, parseLauncherLine, startupError, tailLines } from './launcher-output.js';
import {
  importThrough,
  type OfflineImportInput,
  type OfflineImportOptions,
  type OfflineImportResult,
} from './offline-import.js';
import { stopPid } from './process-control.js';

/**
 * The embedded Neo4j: the launcher (launcher-build.ts) opens a database directory with Bolt on
 * 127.0.0.1. This module starts it attached to this process (it follows our death through its
 * stdin) or detached (a long-lived instance for `nbg db start`), waits for its READY line, and
 * stops it.
 */
export interface EmbeddedOptions {
  /** Neo4j home: data, logs and the generated settings file go here. */
  readonly home: string;
  /** Bolt port on 127.0.0.1; 0 or undefined picks a free one. */
  readonly port?: number;
  readonly password: string;
  /** JVM heap (-Xms/-Xmx), e.g. 1g. */
  readonly heap: string;
  readonly pagecache: string;
  readonly timeoutSeconds: number;
  /** attached: stops with this process; detached: outlives it (nbg db start). */
  readonly mode: 'attached' | 'detached';
}

export interface EmbeddedInstance {
  readonly uri: string;
  readonly port: number;
  readonly pid: number;
  readonly home: string;
  /** Seconds from spawn to Bolt ready. */
  readonly readySeconds: number;
  stop(): Promise<void>;
  /**
   * Attached instances only: the offline import run by this Neo4j process itself (it shuts its
   * database down, imports, and opens it again on the same port and pid), which saves a second
   * JVM's start and a cold restart. Connections made before are gone: open a new driver after.
   */
  importInPlace?(input: OfflineImportInput, opts?: OfflineImportOptions): Promise<OfflineImportResult>;
}

/** Starts the embedded Neo4j and resolves once Bolt accepts connections. */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedInstance> {
  const jar = readyLauncher();
  mkdirSync(opts.home, { recursive: true });
  const logFile = join(opts.home, 'launcher.log');
  const sw = stopwatch();
  const { child, lines } = spawnLauncher(jar, opts, logFile);
  const pid = child.pid;
  if (pid === undefined)
    throw new NbgError(ErrorCode.SERVICE_UNAVAILABLE, 'could not spawn java for the embedded Neo4j');

  const ready = await untilReady(child, lines, opts, logFile);
  child.removeAllListeners('exit');
  const readySeconds = sw.seconds();
  const port = ready.port as number;
  logger().info({ port, pid, readySeconds }, 'embedded Neo4j ready');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopPid(pid);
    return stopping;
  };
  if (opts.mode === 'attached') {
    // Last resort if the process exits without calling stop(): the JVM also exits on stdin close.
    process.once('exit', () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    });
  }
  const uri = ready.boltUri ?? `bolt://127.0.0.1:${port}`;
  const base = { uri, port, pid, home: opts.home, readySeconds, stop };
  if (opts.mode !== 'attached') return base;
  return {
    ...base,
    importInPlace: (input, importOpts) => importThrough(child, opts.home, logFile, input, importOpts),
  };
}

/**
 * Spawns the launcher's JVM. Attached: its stdout is read through a pipe and its stderr appended to
 * `logFile`; detached: both go to `logFile`, whose new lines are then followed.
 */
function spawnLauncher(
  jar: string,
  opts: EmbeddedOptions,
  logFile: string,
): { child: ChildProcess; lines: AsyncIterable<string> } {
  const args = [
    `-Xms${opts.heap}`,
    `-Xmx${opts.heap}`,
    '-XX:+UseG1GC',
    '-jar',
    jar,
    '--home',
    opts.home,
    '--port',
    String(opts.port ?? 0),
    '--password',
    opts.password,
    '--pagecache',
    opts.pagecache,
  ];
  if (opts.mode === 'attached') {
    const child = spawn('java', [...args, '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const errFd = openSync(logFile, 'a');
    child.stderr?.on('data', (d: Buffer) => {
      try {
        writeFileSync(errFd, d);
      } catch {
        // log is best effort
      }
    });
    child.on('exit', () => closeSync(errFd));
    return { child, lines: createInterface({ input: child.stdout! }) };
  }
  const fd = openSync(logFile, 'a');
  const child = spawn('java', args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  return { child, lines: tailLines(logFile, statSync(logFile).size, () => child.exitCode !== null) };
}

/**
 * The launcher's READY data, once it says so; rejects on its ERROR line, its exit, a failure to run
 * java, or `timeoutSeconds` without an answer (the JVM is then killed).
 */
function untilReady(
  child: ChildProcess,
  lines: AsyncIterable<string>,
  opts: EmbeddedOptions,
  logFile: string,
): Promise<LauncherLine['data']> {
  return new Promise<LauncherLine['data']>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new NbgError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `the embedded Neo4j did not answer within ${opts.timeoutSeconds}s`,
          {
            hint: `see ${logFile}; on a loaded machine raise NBG_NEO4J_START_TIMEOUT (seconds)`,
          },
        ),
      );
    }, opts.timeoutSeconds * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new NbgError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `the embedded Neo4j exited during start-up (code ${code})`,
          { hint: `see ${logFile}` },
        ),
      );
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `could not run java: ${e.message}`));
    });
    void (async () => {
      for await (const line of lines) {
        const parsed = parseLauncherLine(line);
        if (!parsed) continue;
        clearTimeout(timer);
        if (parsed.kind === 'READY') resolve(parsed.data);
        else reject(startupError(parsed.data, opts.home, logFile));
        return;
      }
    })();
  });
}
