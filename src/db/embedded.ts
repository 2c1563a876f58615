import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ErrorCode, NbgError } from '../errors.js';
import { logger } from '../log.js';
import { projectRoot } from '../paths.js';

/**
 * The embedded Neo4j: a small Java program (neo4j/, Maven, Neo4j 5.26 Community from Maven Central)
 * that opens a database directory with Bolt on 127.0.0.1. This module builds its jar when missing,
 * starts it attached to this process (it follows our death through its stdin) or detached (a
 * long-lived instance for `nbg db start`), and stops it.
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

interface LauncherLine {
  readonly kind: 'READY' | 'ERROR' | 'IMPORTED';
  readonly data: {
    port?: number;
    boltUri?: string;
    pid?: number;
    code?: string;
    message?: string;
    seconds?: number;
    cpuSeconds?: number;
    peakRssMb?: number;
  };
}

export function launcherPaths(): { dir: string; jar: string; lib: string } {
  const dir = join(projectRoot(), 'neo4j');
  return { dir, jar: join(dir, 'target', 'nbg-neo4j.jar'), lib: join(dir, 'target', 'lib') };
}

function javaMajor(): number | undefined {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

/** Throws MISSING_DEPENDENCY unless a Java 17+ runtime is on the PATH. */
export function checkJava(): void {
  const major = javaMajor();
  if (major === undefined) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      'java was not found on the PATH: the embedded Neo4j needs Java 17 or newer',
      {
        hint: 'install a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), or set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to use a running Neo4j 5 server',
      },
    );
  }
  if (major < 17) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `java ${major} was found, the embedded Neo4j needs Java 17 or newer`,
      {
        hint: 'install a JDK 17+ and put it first on the PATH, or set NEO4J_URI to use a running Neo4j 5 server',
      },
    );
  }
}

function newestMtime(paths: readonly string[]): number {
  return Math.max(...paths.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
}

/** Whether the jar must be (re)built: missing, or older than the pom or the Java source. */
export function launcherIsStale(): boolean {
  const { dir, jar, lib } = launcherPaths();
  if (!existsSync(jar) || !existsSync(lib)) return true;
  const javaDir = join(dir, 'src/main/java/org/nextbestgraph/neo4j');
  const sources = [
    join(dir, 'pom.xml'),
    ...(existsSync(javaDir) ? readdirSync(javaDir).map((f) => join(javaDir, f)) : []),
  ];
  return statSync(jar).mtimeMs < newestMtime(sources);
}

/** Builds neo4j/target/nbg-neo4j.jar with Maven when it is missing or stale; returns its path. */
export function ensureLauncherBuilt(log: (line: string) => void = () => {}): string {
  const { dir, jar } = launcherPaths();
  if (!launcherIsStale()) return jar;
  checkJava();
  const mvn = spawnSync('mvn', ['--version'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      'mvn (Apache Maven) was not found: it builds the embedded Neo4j launcher',
      {
        hint: 'install Maven (Debian/Ubuntu: apt-get install maven), or set NEO4J_URI to use a running Neo4j 5 server',
      },
    );
  }
  log(
    'building the embedded Neo4j launcher with Maven (first run only; downloads Neo4j from Maven Central)...',
  );
  const started = Date.now();
  const r = spawnSync('mvn', ['-q', '-B', '-f', join(dir, 'pom.xml'), 'package', '-DskipTests'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 || !existsSync(jar)) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new NbgError(
      ErrorCode.MISSING_DEPENDENCY,
      `building the embedded Neo4j launcher failed (mvn exit ${r.status}):\n${tail}`,
      {
        hint: 'check that Maven Central is reachable and run `mvn -f neo4j/pom.xml package` to see the whole log',
      },
    );
  }
  log(`launcher built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return jar;
}

function parseLine(line: string): LauncherLine | undefined {
  const m = /^NBG_NEO4J_(READY|ERROR|IMPORTED) (\{.*\})\s*$/.exec(line);
  if (!m) return undefined;
  return { kind: m[1] as LauncherLine['kind'], data: JSON.parse(m[2] as string) as LauncherLine['data'] };
}

function errorFor(data: LauncherLine['data'], opts: EmbeddedOptions, logFile: string): NbgError {
  const msg = data.message ?? 'unknown error';
  switch (data.code) {
    case 'LOCKED':
      return new NbgError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `the Neo4j data directory ${opts.home} is locked by another Neo4j instance`,
        {
          hint: 'another nbg command or `nbg db start` is using it: stop that one (`nbg db stop`), or point NBG_DATA_DIR elsewhere',
        },
      );
    case 'PORT_IN_USE':
      return new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `cannot start Neo4j: ${msg}`, {
        hint: 'choose another port (--port), or omit it to take a free one',
      });
    default:
      return new NbgError(ErrorCode.SERVICE_UNAVAILABLE, `the embedded Neo4j failed to start: ${msg}`, {
        hint: `see ${logFile} and ${join(opts.home, 'logs', 'debug.log')}`,
      });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

/** Sends SIGTERM (clean shutdown), then SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 30_000): Promise<void> {
  if (!processAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, graceMs))) {
    logger().warn({ pid }, 'Neo4j did not stop after SIGTERM; killing it');
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
    await waitForExit(pid, 5_000);
  }
}

/** Starts the embedded Neo4j and resolves once Bolt accepts connections. */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedInstance> {
  const jar = ensureLauncherBuilt((l) => process.stderr.write(`nbg: ${l}\n`));
  checkJava();
  mkdirSync(opts.home, { recursive: true });
  const logFile = join(opts.home, 'launcher.log');
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
  const started = Date.now();
  let child: ChildProcess;
  let lines: AsyncIterable<string>;
  if (opts.mode === 'attached') {
    child = spawn('java', [...args, '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const errFd = openSync(logFile, 'a');
    child.stderr?.on('data', (d: Buffer) => {
      try {
        writeFileSync(errFd, d);
      } catch {
        // log is best effort
      }
    });
    child.on('exit', () => closeSync(errFd));
    lines = createInterface({ input: child.stdout! });
  } else {
    const fd = openSync(logFile, 'a');
    child = spawn('java', args, { stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    child.unref();
    lines = tailLines(logFile, statSync(logFile).size, () => child.exitCode !== null);
  }
  const pid = child.pid;
  if (pid === undefined)
    throw new NbgError(ErrorCode.SERVICE_UNAVAILABLE, 'could not spawn java for the embedded Neo4j');

  const ready = await new Promise<LauncherLine['data']>((resolve, reject) => {
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
        const parsed = parseLine(line);
        if (!parsed) continue;
        clearTimeout(timer);
        if (parsed.kind === 'READY') resolve(parsed.data);
        else reject(errorFor(parsed.data, opts, logFile));
        return;
      }
    })();
  });
  child.removeAllListeners('exit');
  const readySeconds = (Date.now() - started) / 1000;
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
 * Sends the IMPORT command to an attached launcher and waits for its result line and its READY
 * (the database opened again), then reads the result as `importOffline` does.
 */
async function importThrough(
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
        const parsed = parseLine(l);
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
  const jar = ensureLauncherBuilt((l) => process.stderr.write(`nbg: ${l}\n`));
  checkJava();
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
    last = parseLine(l) ?? last;
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

/** The seconds, CPU seconds and peak resident memory of an offline import (null when unknown). */
export interface OfflineImportResult {
  readonly seconds: number;
  readonly cpuSeconds: number | null;
  readonly peakRssMb: number | null;
}

/** The launcher's arguments for one import (after `import --home HOME`, or after `IMPORT`). */
function importArgs(input: OfflineImportInput, opts: OfflineImportOptions): string[] {
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
function importResult(
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

/** Yields the lines appended to a file after `from`, until `done()` and no more data. */
async function* tailLines(path: string, from: number, done: () => boolean): AsyncGenerator<string> {
  let offset = from;
  let rest = '';
  for (;;) {
    const size = statSync(path).size;
    if (size > offset) {
      const fd = openSync(path, 'r');
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      closeSync(fd);
      offset = size;
      const text = rest + buf.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) yield p;
    } else if (done()) {
      return;
    } else {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The password of the embedded instance under `home`'s parent, created on first use (0600). */
export function embeddedPassword(stateDir: string): string {
  const file = join(stateDir, 'password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(stateDir, { recursive: true });
  const pw = randomBytes(18).toString('base64url');
  writeFileSync(file, `${pw}\n`, { mode: 0o600 });
  return pw;
}

export { processAlive };
