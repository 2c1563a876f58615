import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJava, ensureLauncherBuilt } from '../../src/db/embedded/launcher-build.js';
import { type EmbeddedInstance, startEmbedded } from '../../src/db/embedded/start.js';
import { ErrorCode, NbgError } from '../../src/errors.js';

const homes: string[] = [];
function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'nbg-embedded-test-'));
  homes.push(h);
  return h;
}
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
const base = {
  password: 'test-password-1',
  heap: '512m',
  pagecache: '64m',
  timeoutSeconds: 120,
  mode: 'attached',
} as const;

async function failure(p: Promise<unknown>): Promise<NbgError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NbgError) return e;
    throw e;
  }
  throw new Error('expected an NbgError');
}

describe('the embedded Neo4j launcher: clear errors', () => {
  it('names java as missing when it is not on the PATH, with the fix', () => {
    const path = process.env.PATH;
    process.env.PATH = home();
    try {
      expect(() => checkJava()).toThrow(/java was not found on the PATH/);
      try {
        checkJava();
      } catch (e) {
        expect((e as NbgError).code).toBe(ErrorCode.MISSING_DEPENDENCY);
        expect((e as NbgError).hint).toMatch(/openjdk-17|NEO4J_URI/);
      }
    } finally {
      process.env.PATH = path;
    }
  });

  it('reports a port already in use', async () => {
    ensureLauncherBuilt();
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const e = await failure(startEmbedded({ ...base, home: home(), port }));
      expect(e.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(e.message).toBe(`cannot start Neo4j: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      server.close();
    }
  });

  it('reports a start-up that does not answer in time, and leaves no process behind', async () => {
    const e = await failure(startEmbedded({ ...base, home: home(), timeoutSeconds: 0.2 }));
    expect(e.message).toBe('the embedded Neo4j did not answer within 0.2s');
    expect(e.hint).toMatch(/NBG_NEO4J_START_TIMEOUT/);
  });

  it('reports a data directory locked by another instance', async () => {
    const h = home();
    const first: EmbeddedInstance = await startEmbedded({ ...base, home: h });
    try {
      const e = await failure(startEmbedded({ ...base, home: h }));
      expect(e.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(e.message).toBe(`the Neo4j data directory ${h} is locked by another Neo4j instance`);
      expect(e.hint).toMatch(/nbg db stop/);
    } finally {
      await first.stop();
    }
    expect(() => process.kill(first.pid, 0)).toThrow();
  });
});
