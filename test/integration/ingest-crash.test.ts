import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphCounts } from '../../src/db/counts.js';
import type { Db } from '../../src/db/executor.js';
import { deleteEverything } from '../../src/db/reset.js';
import { ingest } from '../../src/ingest/index.js';
import { simulate } from '../../src/simulate/index.js';
import { freshDb, testEnv } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
let db: Db;
let work: string;
let world: string;

beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-crash-'));
  world = join(work, 'world');
  await simulate({ clients: 1000, seed: 11, out: world });
});
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('an ingest killed with SIGKILL', () => {
  it('gives, once re-run, the same counts as one uninterrupted run', async () => {
    await ingest(db, world, { reportDir: join(work, 'r0') });
    const uninterrupted = await graphCounts(db);
    expect(uninterrupted.nodes.Event).toBeGreaterThan(5_000);

    await deleteEverything(db);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run.ts', 'ingest', world, '--batch-size', '500'],
      {
        cwd: ROOT,
        env: { ...process.env, ...testEnv() },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill it once it is writing events, i.e. after clients, holdings, consents and solicitations.
    let partial = await graphCounts(db);
    const deadline = Date.now() + 120_000;
    while ((partial.nodes.Event ?? 0) === 0 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
      partial = await graphCounts(db);
    }
    child.kill('SIGKILL');
    await exited;
    partial = await graphCounts(db);
    expect(partial.nodes.Event ?? 0).toBeGreaterThan(0);
    expect(partial.nodes.Event ?? 0).toBeLessThan(uninterrupted.nodes.Event!);

    await ingest(db, world, { reportDir: join(work, 'r1') });
    expect(await graphCounts(db)).toEqual(uninterrupted);
  });
});
