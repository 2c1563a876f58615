import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedInstance, startEmbedded } from '../src/db/embedded/start.js';

/**
 * Starts one real embedded Neo4j for the integration tests (a fresh temp directory, wiped at the
 * end). Tests never touch NEO4J_URI: a user's server must not be wiped by `npm test`. To run them
 * against another server on purpose, set NBG_TEST_NEO4J_URI (+ NBG_TEST_NEO4J_USER/PASSWORD).
 */
export interface TestNeo4j {
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  readonly readySeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: TestNeo4j;
  }
}

let instance: EmbeddedInstance | undefined;
let home: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.env.NBG_TEST_NEO4J_URI) {
    project.provide('neo4j', {
      uri: process.env.NBG_TEST_NEO4J_URI,
      user: process.env.NBG_TEST_NEO4J_USER ?? 'neo4j',
      password: process.env.NBG_TEST_NEO4J_PASSWORD ?? '',
      readySeconds: 0,
    });
    return;
  }
  home = mkdtempSync(join(tmpdir(), 'nbg-test-neo4j-'));
  const password = 'nbg-test-password';
  instance = await startEmbedded({
    home,
    password,
    heap: '1g',
    pagecache: '256m',
    timeoutSeconds: Number(process.env.NBG_NEO4J_START_TIMEOUT ?? 180),
    mode: 'attached',
  });
  project.provide('neo4j', {
    uri: instance.uri,
    user: 'neo4j',
    password,
    readySeconds: instance.readySeconds,
  });
}

export async function teardown(): Promise<void> {
  await instance?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
}
