import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ErrorCode, NbgError } from '../errors.js';
import { embeddedPassword } from './embedded/password.js';
import { processAlive, stopPid } from './embedded/process-control.js';
import { type LocalStore, startRestartable } from './embedded/restartable.js';
import { type EmbeddedInstance, startEmbedded } from './embedded/start.js';

/**
 * Where nbg's Neo4j is: a server named by NEO4J_URI, the long-lived local instance of
 * `nbg db start` (state in DATA_DIR/neo4j/instance.json), or an embedded one started for the
 * duration of this process.
 */
export interface Target {
  readonly uri: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
  /** external | long-lived | attached */
  readonly kind: 'external' | 'long-lived' | 'attached';
  /** Stops what this process started (attached instances only). */
  release(): Promise<void>;
  /** The embedded store behind a long-lived or attached target (absent for NEO4J_URI). */
  readonly local?: LocalStore;
}

const stateSchema = z.object({
  pid: z.number().int(),
  port: z.number().int(),
  uri: z.string(),
  startedAt: z.string(),
});
export type InstanceState = z.infer<typeof stateSchema>;

export function neo4jStateDir(config: Config): string {
  return join(config.dataDir, 'neo4j');
}
function stateFile(config: Config): string {
  return join(neo4jStateDir(config), 'instance.json');
}

/** The long-lived instance, when its state file names a live process. Removes a stale file. */
export function readInstance(config: Config): InstanceState | undefined {
  const file = stateFile(config);
  if (!existsSync(file)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || !processAlive(parsed.data.pid)) {
    rmSync(file, { force: true });
    return undefined;
  }
  return parsed.data;
}

function embeddedOptions(config: Config, mode: 'attached' | 'detached', port?: number) {
  const stateDir = neo4jStateDir(config);
  return {
    home: join(stateDir, 'home'),
    ...(port === undefined ? {} : { port }),
    password: embeddedPassword(stateDir),
    heap: config.neo4j.heap,
    pagecache: config.neo4j.pagecache,
    timeoutSeconds: config.neo4j.startTimeoutSeconds,
    mode,
  } as const;
}

/** `nbg db start`: starts the long-lived instance (or returns the running one). */
export async function startLongLived(
  config: Config,
  port?: number,
): Promise<{ state: InstanceState; readySeconds: number | null }> {
  if (config.neo4j.uri) {
    throw new NbgError(
      ErrorCode.BAD_CONFIG,
      `NEO4J_URI is set (${config.neo4j.uri}): nbg uses that server and starts no local one`,
    );
  }
  const running = readInstance(config);
  if (running) return { state: running, readySeconds: null };
  const inst: EmbeddedInstance = await startEmbedded(embeddedOptions(config, 'detached', port));
  const state: InstanceState = {
    pid: inst.pid,
    port: inst.port,
    uri: inst.uri,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(stateFile(config), `${JSON.stringify(state, null, 2)}\n`);
  return { state, readySeconds: inst.readySeconds };
}

/** `nbg db stop`: stops the long-lived instance; false when none was running. */
export async function stopLongLived(config: Config): Promise<boolean> {
  const running = readInstance(config);
  if (!running) return false;
  await stopPid(running.pid);
  rmSync(stateFile(config), { force: true });
  return true;
}

/** Resolves the Neo4j this process should talk to, starting an attached embedded one if needed. */
export async function acquireTarget(config: Config): Promise<Target> {
  const { user, database } = config.neo4j;
  if (config.neo4j.uri) {
    return {
      uri: config.neo4j.uri,
      user,
      password: config.neo4j.password,
      database,
      kind: 'external',
      release: async () => {},
    };
  }
  const password = embeddedPassword(neo4jStateDir(config));
  const home = join(neo4jStateDir(config), 'home');
  const running = readInstance(config);
  if (running) {
    return {
      uri: running.uri,
      user: 'neo4j',
      password,
      database: 'neo4j',
      kind: 'long-lived',
      release: async () => {},
      local: {
        home,
        heap: config.neo4j.heap,
        async whileStopped(work) {
          await stopLongLived(config);
          try {
            return await work();
          } finally {
            await startLongLived(config, running.port);
          }
        },
      },
    };
  }
  const inst = await startRestartable(embeddedOptions(config, 'attached'));
  return {
    uri: inst.current.uri,
    user: 'neo4j',
    password,
    database: 'neo4j',
    kind: 'attached',
    release: () => inst.stop(),
    local: inst,
  };
}
