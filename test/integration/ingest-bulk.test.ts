import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphCounts, graphCounts } from '../../src/db/counts.js';
import { embeddedPassword } from '../../src/db/embedded/password.js';
import { type RestartableInstance, startRestartable } from '../../src/db/embedded/restartable.js';
import { startEmbedded } from '../../src/db/embedded/start.js';
import type { Db } from '../../src/db/executor.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';
import { QueryRegistry, query } from '../../src/db/queries.js';
import { deleteEverything } from '../../src/db/reset.js';
import { formatIssue, InputError, NbgError } from '../../src/errors.js';
import { bulkTarget } from '../../src/ingest/bulk.js';
import { ingest } from '../../src/ingest/index.js';
import { simulate } from '../../src/simulate/index.js';
import { freshDb } from './helpers.js';
import { BAD, consentQuery, expected, FIXTURE, fingerprint, propertyTypes } from './ingest-helpers.js';

/**
 * The bulk path (offline import into an empty local store) against the transactional path (the
 * shared test Neo4j): same graph, same property types, the same refusals of bad data, and a kill
 * in the middle of the import leaves the database empty for a re-run to load.
 */
const ROOT = join(import.meta.dirname, '../..');
const PASSWORD = 'bulk-test-password';
const REGISTRY = QueryRegistry.load();
const indexState = query('read/index-state');
// Neo4j start-ups are slow on a loaded 2-core machine: generous limits.
const SLOW = 2_400_000;
const base = { heap: '512m', pagecache: '64m', timeoutSeconds: 900, mode: 'attached' } as const;

let tx: Db;
let work: string;
let store: RestartableInstance;

async function connectTo(uri: string, password = PASSWORD): Promise<Db> {
  return openDb({ uri, user: 'neo4j', password, database: 'neo4j', registry: REGISTRY });
}

beforeAll(async () => {
  tx = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-ingest-bulk-'));
  store = await startRestartable({ ...base, home: join(work, 'home'), password: PASSWORD });
}, SLOW);
afterAll(async () => {
  await tx.close();
  await store?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('ingest into an empty local store (offline import)', () => {
  it(
    'refuses every bad dataset before stopping anything: nothing written, no input left behind',
    async () => {
      const db = await connectTo(store.current.uri);
      try {
        const pid = store.current.pid;
        const bulk = bulkTarget(store, db, () => connectTo(store.current.uri));
        for (const { name, mutate, expect: pattern } of BAD) {
          const dir = join(work, `bad-${name.replace(/\W+/g, '-')}`);
          cpSync(FIXTURE, dir, { recursive: true });
          mutate(dir);
          const error = await ingest(db, dir, { reportDir: join(dir, '.report'), bulk: bulk.target }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, name).toBeInstanceOf(InputError);
          expect((error as InputError).issues.map(formatIssue).join('\n'), name).toMatch(pattern);
          expect(existsSync(join(store.home, 'import-input')), name).toBe(false);
        }
        expect(store.current.pid).toBe(pid); // never stopped
        expect((await graphCounts(db)).nodes).toEqual({});
      } finally {
        await db.close();
      }
    },
    SLOW,
  );

  it(
    'gives the same graph as the transactional path, with the schema; a second ingest goes through transactions and changes nothing',
    async () => {
      await ingest(tx, FIXTURE, { reportDir: join(work, 'tx') });
      const want = {
        counts: await graphCounts(tx),
        fingerprint: await fingerprint(tx),
        types: await propertyTypes(tx),
      };
      expect(want.counts.nodes).toEqual(expected.nodes);

      const before = await connectTo(store.current.uri);
      await migrate(before);
      const bulk = bulkTarget(store, before, () => connectTo(store.current.uri));
      const first = await ingest(before, FIXTURE, { reportDir: join(work, 'bulk1'), bulk: bulk.target });
      const db = first.db;
      try {
        expect(first.mode).toBe('bulk');
        expect(first.bulkPhases?.importInLauncher).toBe(true);
        expect(db).toBe(bulk.current());
        expect(Object.fromEntries(first.files.map((f) => [f.file, f.rowsWritten]))).toEqual(expected.rows);
        expect(first.policyVersion).toMatch(/^[0-9a-f]{16}$/);
        const counts = await graphCounts(db);
        expect(counts.nodes).toEqual(expected.nodes);
        expect(counts.relationships).toEqual(expected.relationships);
        expect(counts).toEqual(want.counts);
        expect(await propertyTypes(db)).toEqual(want.types);
        // The policy node records when it was written: the one property two ingests cannot share.
        const sansTime = (fp: string): string => fp.replace(/"createdAt":"[^"]*"/g, '"createdAt":""');
        expect(sansTime(await fingerprint(db))).toBe(sansTime(want.fingerprint));
        const bulkFingerprint = await fingerprint(db);
        for (const [key, status] of Object.entries(expected.consents)) {
          const [clientId, channelId] = key.split('/');
          const rows = await db.read<{ status: string }>(consentQuery, { clientId, channelId });
          expect(rows.map((r) => r.status)).toEqual([status]);
        }
        for (const name of ['client_id', 'event_at']) {
          const [state] = await db.read<{ state: string }>(indexState, { name });
          expect(state?.state, name).toMatch(/ONLINE|POPULATING/);
        }
        expect(existsSync(join(store.home, 'import-input'))).toBe(false);
        expect(existsSync(join(store.home, 'import-staging'))).toBe(false);

        const again = await ingest(db, FIXTURE, { reportDir: join(work, 'bulk2'), bulk: bulk.target });
        expect(again.mode).toBe('transactional');
        expect(await graphCounts(db)).toEqual(want.counts);
        expect(await fingerprint(db)).toBe(bulkFingerprint);
      } finally {
        await db.close();
      }
    },
    SLOW,
  );
});

describe('ingest into an empty local store whose Neo4j cannot import in place (nbg db start)', () => {
  it(
    'stops it, imports in a process of its own, starts it again: the same graph',
    async () => {
      const before = await connectTo(store.current.uri);
      await deleteEverything(before);
      // A long-lived instance: stop, separate import process, start (no importInPlace).
      const longLived = {
        home: store.home,
        heap: store.heap,
        whileStopped: <T>(work: () => Promise<T>) => store.whileStopped(work),
      };
      const bulk = bulkTarget(longLived, before, () => connectTo(store.current.uri));
      const loaded = await ingest(before, FIXTURE, { reportDir: join(work, 'bulk3'), bulk: bulk.target });
      try {
        expect(loaded.mode).toBe('bulk');
        expect(loaded.bulkPhases?.importInLauncher).toBe(false);
        const counts = await graphCounts(loaded.db);
        expect(counts.nodes).toEqual(expected.nodes);
        expect(counts.relationships).toEqual(expected.relationships);
        expect(existsSync(join(store.home, 'import-staging'))).toBe(false);
      } finally {
        await loaded.db.close();
      }
    },
    SLOW,
  );
});

describe('an offline import that fails inside the Neo4j process', () => {
  it(
    'reports why, and the database reopens as it was',
    async () => {
      const before = await connectTo(store.current.uri);
      const counts = await graphCounts(before);
      await before.close();
      const pid = store.current.pid;
      const missing = join(work, 'no-such-input.csv');
      await expect(
        store.importInPlace({
          nodes: [{ label: 'Client', files: [missing] }],
          relationships: [],
          multiline: [],
          report: join(work, 'failed-import.report'),
        }),
      ).rejects.toThrow(/offline import .* failed/);
      expect(store.current.pid).toBe(pid);
      const after = await connectTo(store.current.uri);
      try {
        expect(await graphCounts(after)).toEqual(counts);
      } finally {
        await after.close();
      }
      expect(existsSync(join(store.home, 'import-staging'))).toBe(false);
    },
    SLOW,
  );
});

describe('nbg ingest killed with SIGKILL during the offline import', () => {
  it(
    'leaves the database empty, and a re-run loads it whole',
    async () => {
      const world = join(work, 'world');
      await simulate({ clients: 1000, seed: 11, out: world });
      await deleteEverything(tx);
      await ingest(tx, world, { reportDir: join(work, 'world-tx') });
      const uninterrupted = await graphCounts(tx);

      const dataDir = join(work, 'cli');
      const home = join(dataDir, 'neo4j', 'home');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NBG_DATA_DIR: dataDir,
        NBG_PROGRESS: '0',
        NBG_NEO4J_HEAP: '512m',
        NBG_NEO4J_PAGECACHE: '64m',
        NBG_NEO4J_START_TIMEOUT: '900',
      };
      delete env.NEO4J_URI;
      const run = (): { exited: Promise<number | null>; stdout: () => string; kill: () => void } => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'ingest', world], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        return {
          exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
          stdout: () => out,
          kill: () => child.kill('SIGKILL'),
        };
      };

      const first = run();
      let exitCode: number | null | undefined;
      void first.exited.then((c) => {
        exitCode = c;
      });
      // The importer builds its store in import-staging: kill once it has started.
      while (!existsSync(join(home, 'import-staging')) && exitCode === undefined)
        await new Promise((r) => setTimeout(r, 50));
      first.kill();
      await first.exited;
      expect(existsSync(join(home, 'import-swap'))).toBe(false);

      // The database is empty. The importer follows its parent's death, but may hold the store's
      // lock a moment longer: retry while the store is locked.
      const password = embeddedPassword(join(dataDir, 'neo4j'));
      const counts = async (): Promise<GraphCounts> => {
        for (let attempt = 0; ; attempt++) {
          try {
            const inst = await startEmbedded({ ...base, home, password });
            const db = await connectTo(inst.uri, password);
            try {
              return await graphCounts(db);
            } finally {
              await db.close();
              await inst.stop();
            }
          } catch (e) {
            if (!(e instanceof NbgError) || !/locked/.test(e.message) || attempt >= 30) throw e;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      };
      expect(await counts()).toEqual({ nodes: {}, relationships: {} });

      const second = run();
      expect(await second.exited).toBe(0);
      expect(second.stdout()).toMatch(/; bulk\)/);
      expect(await counts()).toEqual(uninterrupted);
    },
    SLOW,
  );
});
