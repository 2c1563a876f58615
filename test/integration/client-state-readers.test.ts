import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatasetWorld } from '../../src/allocate/dataset-world.js';
import {
  Neo4jClientStateReader,
  type StateRow,
  solicitationsSince,
} from '../../src/api/services/neo4j-client-state-reader.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { ReadBatcher } from '../../src/db/read-batcher.js';
import type { ClientState } from '../../src/domain/client-state.js';
import { ingest } from '../../src/ingest/index.js';
import { freshDb } from './helpers.js';

const FIXTURE = 'test/fixtures/bank-mini';
const WINDOW_DAYS = 30;
/**
 * Dates around the fixture's events: before any consent, on the instant of a refusal of consent
 * (C004 phone, rows out of date order), between decisions, on the instant of a refused offer, after
 * a closing, and after everything.
 */
const DATES = [
  '2023-12-01T00:00:00Z',
  '2024-06-01T09:00:00Z',
  '2024-07-01T00:00:00Z',
  '2025-01-15T10:00:00Z',
  '2025-02-20T00:00:00Z',
  '2025-06-01T00:00:00Z',
];

/** A state as plain sorted data (the graph returns solicitations in no particular order). */
function plain(s: ClientState) {
  return {
    id: s.id,
    birthYear: s.birthYear,
    segment: s.segment,
    riskProfile: s.riskProfile,
    financiallyFragile: s.financiallyFragile,
    held: [...s.heldProducts].sort(),
    consents: [...s.consents].sort(),
    contacts: s.pastContacts.map((c) => `${c.at}|${c.channel}`).sort(),
    refusals: [...s.lastRefusalAt].sort(),
  };
}

let db: Db;
let work: string;

beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-state-readers-'));
  await ingest(db, FIXTURE, { reportDir: work });
});
afterAll(async () => {
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the API reader (graph) and the dataset reader (CSV) give the same client state', () => {
  it.each(DATES)('for every client of bank-mini at %s', async (date) => {
    const now = Date.parse(date);
    const world = await readDatasetWorld(FIXTURE, now, { windowDays: WINDOW_DAYS });
    const reader = new Neo4jClientStateReader(db);
    expect(world.clients).toHaveLength(20);
    for (const fromCsv of world.clients) {
      const fromGraph = await reader.readClientState(fromCsv.id, now, WINDOW_DAYS);
      expect(fromGraph, fromCsv.id).toBeDefined();
      expect(plain(fromGraph!.state), `${fromCsv.id} at ${date}`).toEqual(plain(fromCsv));
    }
  });

  it('the fixture exercises what could drift: consents changed, holdings closed, contacts, refusals', async () => {
    const at = async (date: string, id: string) =>
      plain(
        (await new Neo4jClientStateReader(db).readClientState(id as never, Date.parse(date), WINDOW_DAYS))!
          .state,
      );
    // C004's phone consent: granted 2024-02, refused 2024-06, granted again 2025-03 (rows out of order)
    expect((await at('2024-07-01T00:00:00Z', 'C004')).consents).toContainEqual(['phone', 'refused']);
    expect((await at('2025-06-01T00:00:00Z', 'C004')).consents).toContainEqual(['phone', 'granted']);
    // C001's email: granted 2024, withdrawn 2025-01-05
    expect((await at('2024-07-01T00:00:00Z', 'C001')).consents).toContainEqual(['email', 'granted']);
    expect((await at('2025-02-20T00:00:00Z', 'C001')).consents).toContainEqual(['email', 'refused']);
    // C005 refused P_LIVRET_A on 2025-01-15 at 10:00, and P_CREDIT_CONSO (offered 2025-02-19) on
    // 2025-02-20 at 10:00: after the date, so that refusal is dated the date itself
    expect((await at('2025-02-20T00:00:00Z', 'C005')).refusals).toEqual([
      ['P_CREDIT_CONSO', Date.parse('2025-02-20T00:00:00Z')],
      ['P_LIVRET_A', Date.parse('2025-01-15T10:00:00Z')],
    ]);
    expect((await at('2025-02-20T00:00:00Z', 'C005')).contacts.length).toBeGreaterThan(0);
  });
});

describe('the API reader reads only the solicitations the rules and the rescoring can need', () => {
  const now = Date.parse('2025-03-10T09:00:00Z');
  const solicitationsOf = async (id: string, modelVersion: string | null) => {
    const batcher = new ReadBatcher(db, query('read/api-client-states'), { params: { modelVersion } });
    const [row] = await batcher.load({ id, since: solicitationsSince(now, WINDOW_DAYS) });
    return (row as unknown as StateRow).solicitations.map((s) => `${s.sentAt}|${s.outcome}`).sort();
  };

  it('the window a day early, every refusal, and what was recorded since the scores', async () => {
    expect(solicitationsSince(now, WINDOW_DAYS)).toBe('2025-02-07');
    // C001: a no-response of 2025-01-10 (before the window, no refusal) is not read; 2025-02-15 is
    expect(await solicitationsOf('C001', null)).toEqual(['2025-02-15T09:20:00.000Z|no_response']);
    // C005's two refusals, one before the window: the cooldown needs the latest per product
    expect(await solicitationsOf('C005', null)).toEqual([
      '2025-01-14T09:04:00.000Z|refused',
      '2025-02-19T09:24:00.000Z|refused',
    ]);
    // scores of C001 dated 2025-01-01: the solicitation of 2025-01-10 is newer, so it is read (rescoring)
    await db.writeBatches(
      query('write/score-sets'),
      [
        [
          {
            key: 'C001|m-test',
            clientId: 'C001',
            value: [],
            uplift: [],
            fatigue: [],
            propensity: [],
            exposureCorrection: [],
            paths: null,
          },
        ],
      ],
      { params: { modelVersion: 'm-test', asOf: '2025-01-01' } },
    );
    expect(await solicitationsOf('C001', 'm-test')).toEqual([
      '2025-01-10T09:00:00.000Z|no_response',
      '2025-02-15T09:20:00.000Z|no_response',
    ]);
    // and the state is the one of every record (the dataset reader's, from the CSV files)
    const world = await readDatasetWorld(FIXTURE, now, { windowDays: WINDOW_DAYS });
    const reader = new Neo4jClientStateReader(db);
    for (const fromCsv of world.clients) {
      expect(plain((await reader.readClientState(fromCsv.id, now, WINDOW_DAYS))!.state)).toEqual(
        plain(fromCsv),
      );
    }
  });
});

describe('concurrent reads of the API reader leave as batches (src/db/read-batcher.ts)', () => {
  const now = Date.parse('2025-06-01T00:00:00Z');

  it('answers each request with its own client, in one query, and an unknown id with undefined', async () => {
    const world = await readDatasetWorld(FIXTURE, now, { windowDays: WINDOW_DAYS });
    const ids = [...world.clients.map((c) => c.id as string), 'C-NOBODY'];
    const reader = new Neo4jClientStateReader(db);
    const got = await Promise.all(ids.map((id) => reader.readClientState(id as never, now, WINDOW_DAYS)));
    expect(reader.batcher.counts).toEqual({ queries: 1, requests: 21 });
    expect(got[20]).toBeUndefined();
    for (const [k, fromCsv] of world.clients.entries()) {
      expect(plain(got[k]!.state), fromCsv.id).toEqual(plain(fromCsv));
    }
  });

  it('splits by maxBatch and holds later requests while maxInFlight batches run', async () => {
    const world = await readDatasetWorld(FIXTURE, now, { windowDays: WINDOW_DAYS });
    const reader = new Neo4jClientStateReader(
      db,
      undefined,
      undefined,
      new ReadBatcher(db, query('read/api-client-states'), {
        maxBatch: 8,
        maxInFlight: 1,
        params: { modelVersion: null },
      }),
    );
    const got = await Promise.all(world.clients.map((c) => reader.readClientState(c.id, now, WINDOW_DAYS)));
    expect(reader.batcher.counts).toEqual({ queries: 3, requests: 20 });
    expect(got.map((g) => g!.state.id)).toEqual(world.clients.map((c) => c.id));
    // a reader made for a caller shares the batches, and checks the advisor of each client
    const seen: (string | null)[] = [];
    const forCaller = reader.forCaller((advisor) => void seen.push(advisor));
    await Promise.all(['C001', 'C002'].map((id) => forCaller.readClientState(id as never, now, WINDOW_DAYS)));
    expect(reader.batcher.counts).toEqual({ queries: 4, requests: 22 });
    expect(seen).toHaveLength(2);
  });

  it('rejects every request of a batch whose query fails', async () => {
    const bad = new ReadBatcher(db, query('read/api-client-states'), { params: {} });
    const results = await Promise.allSettled(
      ['C001', 'C002'].map((id) => bad.load({ id, since: '2025-01-01' })),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(bad.counts.queries).toBe(1);
  });
});
