import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/api/auth.js';
import { API_DRIVER_TUNING, createApiServer } from '../../src/api/server.js';
import { freePort } from '../../src/db/embedded/free-port.js';
import { type EmbeddedInstance, startEmbedded } from '../../src/db/embedded/start.js';
import type { Db } from '../../src/db/executor.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';

/**
 * A dedicated embedded Neo4j (the shared test one must not be stopped under the other tests): the
 * API answers SERVICE_UNAVAILABLE while it is down, refuses mutations with that error rather than
 * dropping them, and recovers without a restart when Neo4j is back on the same port and store.
 */
const SECRET = 'test-secret-0123456789abcdef0123456789';
const PASSWORD = 'outage-test-password';
const START_SECONDS = Number(process.env.NBG_NEO4J_START_TIMEOUT ?? 180);
const WORLD = `
CREATE (a1:Advisor {id: 'A1'})
CREATE (email:Channel {id: 'email', costPerContact: 0.5})
CREATE (sav:Product {id: 'P_SAV', family: 'savings', isCredit: false, unitValue: 100.0})
CREATE (:Client {id: 'C1', birthYear: 1980, segment: 'mass', riskProfile: 'balanced', financiallyFragile: false})-[:MANAGED_BY]->(a1)
`;

let home: string;
let port: number;
let neo4j: EmbeddedInstance;
let db: Db;
let url: string;
let close: () => Promise<void>;
let token: string;

const start = (): Promise<EmbeddedInstance> =>
  startEmbedded({
    home,
    port,
    password: PASSWORD,
    heap: '512m',
    pagecache: '64m',
    timeoutSeconds: START_SECONDS,
    mode: 'attached',
  });

async function gql(
  query: string,
): Promise<{ data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as never;
}

const RECS = `{ recommendations(clientId: "C1", channel: "email", limit: 1) { id productId action } }`;
const outcome = (id: string) =>
  `mutation { recordSolicitationOutcome(input: {id: "${id}", clientId: "C1", productId: "P_SAV", channel: "email", outcome: opened}) { id } }`;

beforeAll(
  async () => {
    home = mkdtempSync(join(tmpdir(), 'nbg-outage-neo4j-'));
    port = await freePort();
    neo4j = await start();
    db = await openDb({
      uri: neo4j.uri,
      user: 'neo4j',
      password: PASSWORD,
      database: 'neo4j',
      tuning: API_DRIVER_TUNING,
    });
    await migrate(db);
    const s = db.driver.session({ database: 'neo4j' });
    try {
      await s.run(WORLD);
    } finally {
      await s.close();
    }
    const server = createApiServer({ db, logger: pino({ level: 'silent' }), secret: SECRET });
    ({ url, close } = await server.listen(0, '127.0.0.1'));
    token = await signToken(SECRET, 'admin');
  },
  (START_SECONDS + 60) * 1000,
);

afterAll(async () => {
  await close?.();
  await db?.close();
  await neo4j?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
}, 120_000);

describe('the API while Neo4j is down', () => {
  it(
    'answers SERVICE_UNAVAILABLE, refuses mutations with it, and recovers without a restart',
    async () => {
      const up = await gql(RECS);
      expect(up.errors).toBeUndefined();
      const served = up.data?.recommendations as { id: string; productId: string }[] | undefined;
      expect(served?.[0]?.productId).toBe('P_SAV');
      expect((await gql(outcome('S-before'))).errors).toBeUndefined();
      // two more served suggestions, to be acknowledged while the database is down and after
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await gql(RECS);
        const [first] = (r.data?.recommendations ?? []) as { id: string }[];
        expect(first).toBeDefined();
        ids.push(first!.id);
      }
      const ack = (id: string) =>
        gql(`mutation { acknowledgeRecommendation(id: "${id}", decision: accepted) { id decision } }`);
      expect((await ack(served![0]!.id)).data?.acknowledgeRecommendation).toEqual({
        id: served![0]!.id,
        decision: 'accepted',
      });

      await neo4j.stop();
      const t0 = Date.now();
      const down = await gql(RECS);
      expect(down.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(Date.now() - t0).toBeLessThan(20_000);
      const refused = await gql(outcome('S-during'));
      expect([
        refused.data?.recordSolicitationOutcome ?? null,
        refused.errors?.[0]?.extensions?.code,
      ]).toEqual([null, 'SERVICE_UNAVAILABLE']);
      const ackRefused = await ack(ids[0]!);
      expect([
        ackRefused.data?.acknowledgeRecommendation ?? null,
        ackRefused.errors?.[0]?.extensions?.code,
      ]).toEqual([null, 'SERVICE_UNAVAILABLE']);

      neo4j = await start();
      let back: Awaited<ReturnType<typeof gql>> | undefined;
      for (let i = 0; i < 100; i++) {
        back = await gql(RECS);
        if (!back.errors) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(back?.errors).toBeUndefined();
      expect((await gql(outcome('S-after'))).errors).toBeUndefined();
      expect((await ack(ids[1]!)).errors).toBeUndefined();

      // what was answered as done is in the graph; what was refused is not
      const s = db.driver.session({ database: 'neo4j' });
      try {
        const r = await s.run('MATCH (s:Solicitation) RETURN s.id AS id ORDER BY id');
        expect(r.records.map((x) => x.get('id'))).toEqual(['S-after', 'S-before']);
        // acknowledged before and after: decided; refused during the outage: not
        const acks = await s.run(
          'MATCH (r:Recommendation) WHERE r.id IN $ids RETURN r.id AS id, r.decision AS decision',
          { ids: [served![0]!.id, ...ids] },
        );
        const decision = new Map(
          acks.records.map((x) => [x.get('id') as string, x.get('decision') as string | null]),
        );
        expect([decision.get(served![0]!.id), decision.get(ids[0]!), decision.get(ids[1]!)]).toEqual([
          'accepted',
          null,
          'accepted',
        ]);
      } finally {
        await s.close();
      }
    },
    (START_SECONDS + 120) * 1000,
  );
});
