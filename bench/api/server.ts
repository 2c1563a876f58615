import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../src/db/embedded/free-port.js';
import { SECRET } from './load.js';

export interface ApiChild {
  readonly child: ChildProcess;
  readonly url: string;
  /** Seconds from spawning `nbg serve` to its "API ready" line (start-up: model, catalogue). */
  readonly readySeconds: number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The project root (the CLI is built and run from there). */
  readonly root: string;
  readonly neo4jUri: string;
  readonly neo4jPassword: string;
  /** NBG_DATA_DIR of the server: where the trained suite is. */
  readonly dataDir: string;
  /** A folder for the server's V8 CPU profile, written when it stops. */
  readonly profile?: string | undefined;
}

/**
 * `nbg serve` in a child process on the bench's Neo4j, as users run it: the compiled CLI (built
 * first, `npm run build`), not tsx, whose source maps make every stack trace the driver captures
 * cost more. Resolves when it prints its URL.
 */
export async function startServer(o: ServerOptions): Promise<ApiChild> {
  const build = spawnSync(
    process.execPath,
    [join(o.root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: o.root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0)
    throw new Error('bench/api: `npm run build` failed; the server runs the compiled CLI');
  const port = await freePort();
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...(o.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', o.profile]),
      'bin/nbg.mjs',
      'serve',
      '--port',
      String(port),
    ],
    {
      cwd: o.root,
      env: {
        ...process.env,
        NEO4J_URI: o.neo4jUri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: o.neo4jPassword,
        NBG_JWT_SECRET: SECRET,
        NBG_DATA_DIR: o.dataDir,
        NODE_ENV: 'production',
        NBG_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[serve] ${d}`));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`bench/api: nbg serve exited with ${code} before it was ready`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^API ready at (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  return {
    child,
    url,
    readySeconds: (Date.now() - t0) / 1000,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, MB (VmRSS). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
