import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticValueSource } from '../../src/allocate/stand-ins/synthetic-value-source.js';
import { pseudonym, signToken } from '../../src/api/auth.js';
import { createApiServer } from '../../src/api/server.js';
import { fromRecommendationNode, toRecommendationProps } from '../../src/api/services/recommendation-node.js';
import { RULE_NAMES } from '../../src/constraints/rule.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import type { ChannelInfo, ProductInfo } from '../../src/domain/catalog.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { ChannelId, ClientId, ProductId } from '../../src/domain/ids.js';
import { comparisonRecords, evaluate } from '../../src/evaluate/index.js';
import { storeEvaluation } from '../../src/evaluate/store-evaluation.js';
import { freshDb } from './helpers.js';

const MINI = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/evaluate-mini');
const SECRET = 'test-secret-0123456789abcdef0123456789';
const NOW = new Date('2026-06-01T09:00:00Z');

/** A small hand-made world: 2 advisors, 6 clients, 3 products, 2 channels, real paths to explain. */
const WORLD = `
CREATE (a1:Advisor {id: 'A1'}), (a2:Advisor {id: 'A2'})
CREATE (email:Channel {id: 'email', costPerContact: 0.5}), (sms:Channel {id: 'sms', costPerContact: 0.2})
CREATE (sav:Product {id: 'P_SAV', family: 'savings', isCredit: false, unitValue: 100.0})
CREATE (cred:Product {id: 'P_CRED', family: 'credit', isCredit: true, unitValue: 200.0, minAge: 18, maxAge: 75})
CREATE (inv:Product {id: 'P_INV', family: 'investment', isCredit: false, unitValue: 300.0, requiredRiskProfile: 'dynamic'})
CREATE (c1:Client {id: 'C1', birthYear: 1980, segment: 'mass', region: 'IDF', riskProfile: 'balanced', financiallyFragile: false})-[:MANAGED_BY]->(a1)
CREATE (c9:Client {id: 'C9', birthYear: 1970, riskProfile: 'prudent', financiallyFragile: false})-[:MANAGED_BY]->(a2)
CREATE (k:Community {id: 'K1'})
CREATE (:Topic {id: 'email'})
CREATE (c1)-[:IN_COMMUNITY]->(k)
CREATE (c1)-[:CONSENT {status: 'granted', at: '2026-01-01T00:00:00Z'}]->(email)
CREATE (e:Event {id: 'E1', type: 'simulation', at: '2026-05-30T10:00:00Z'})
CREATE (c1)-[:DID]->(e)-[:ABOUT]->(cred)
WITH a1, k, sav, cred, c1
UNWIND ['C2', 'C3', 'C4', 'C5'] AS cid
CREATE (o:Client {id: cid, birthYear: 1985, riskProfile: 'prudent', financiallyFragile: false})-[:MANAGED_BY]->(a1)
CREATE (o)-[:HOLDS {openedAt: '2020-01-01'}]->(sav)
CREATE (o)-[:HOLDS {openedAt: '2021-01-01'}]->(cred)
CREATE (o)-[:IN_COMMUNITY]->(k)
WITH c1, o WHERE o.id = 'C2'
CREATE (c1)-[:SIMILAR_TO {score: 0.9}]->(o)
`;

let db: Db;
let url: string;
let close: () => Promise<void>;
const tokens: Record<string, string> = {};

interface GqlResponse {
  status: number;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = tokens.admin ?? null,
  init: { body?: string } = {},
): Promise<GqlResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: init.body ?? JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as GqlResponse['json'] };
}

const REC = `id clientId productId channel action rank modelVersion servedAt shownPropensity
  scores { propensity exposureCorrection uplift margin cost fatigue value }
  checks { rule passed reason } paths { kind nodes { id label } relationships { type from to } }`;

beforeAll(async () => {
  db = await freshDb();
  const s = db.driver.session({ database: db.database });
  try {
    await s.run(WORLD);
  } finally {
    await s.close();
  }
  server = createApiServer({
    db,
    logger: pino({ level: process.env.API_TEST_LOG ?? 'silent' }),
    secret: SECRET,
    now: () => new Date(NOW),
  });
  ({ url, close } = await server.listen(0, '127.0.0.1'));
  tokens.admin = await signToken(SECRET, 'admin');
  tokens.compliance = await signToken(SECRET, 'compliance');
  tokens.analyst = await signToken(SECRET, 'analyst');
  tokens.a1 = await signToken(SECRET, 'advisor', { advisorId: 'A1' });
  tokens.expired = await signToken(SECRET, 'admin', { ttl: '-1s' });
}, 120_000);

let server: ReturnType<typeof createApiServer>;

afterAll(async () => {
  await close?.();
  await db?.close();
});

async function recommend(clientId: string, token = tokens.a1 as string, channel?: string) {
  const r = await gql(
    `query($c: ID!, $ch: ID) { recommendations(clientId: $c, channel: $ch, limit: 3) { ${REC} } }`,
    { c: clientId, ch: channel ?? null },
    token,
  );
  expect(r.json.errors).toBeUndefined();
  return r.json.data?.recommendations as {
    id: string;
    productId: string | null;
    channel: string | null;
    action: string;
    rank: number;
    modelVersion: string;
    scores: { value: number; margin: number; cost: number };
    checks: { rule: string; passed: boolean; reason: string }[];
    paths: {
      kind: string;
      nodes: { id: string }[];
      relationships: { type: string; from: string; to: string }[];
    }[];
  }[];
}

describe('GraphQL API over HTTP', () => {
  it('ranks the stand-in actions with real checks and real paths, and stores them', async () => {
    const recs = await recommend('C1', tokens.a1, 'email');
    // P_INV fails suitability (balanced < dynamic); the others are valued by the stand-in value source.
    const stand = new SyntheticValueSource();
    const c1: ClientState = {
      id: 'C1' as ClientId,
      birthYear: 1980,
      segment: 'mass',
      riskProfile: 'balanced',
      financiallyFragile: false,
      heldProducts: new Set(),
      consents: new Map(),
      pastContacts: [],
      lastRefusalAt: new Map(),
    };
    const email: ChannelInfo = { id: 'email' as ChannelId, costPerContact: 0.5 };
    const product = (id: string, unitValue: number, isCredit: boolean): ProductInfo => ({
      id: id as ProductId,
      family: isCredit ? 'credit' : 'savings',
      isCredit,
      unitValue,
    });
    const expected = [product('P_CRED', 200, true), product('P_SAV', 100, false)]
      .map((p) => {
        const v = new Float64Array(1);
        stand.score([c1], [p], [email], v);
        return { p, value: v[0] as number, parts: stand.parts(c1, p, email) };
      })
      .sort((a, b) => b.value - a.value);
    expect(recs.map((r) => [r.productId, r.channel, r.rank])).toEqual(
      expected.map((e, i) => [e.p.id, 'email', i + 1]),
    );
    for (const [i, e] of expected.entries()) {
      expect(recs[i]?.scores).toEqual({
        propensity: e.parts.propensity,
        exposureCorrection: 1,
        uplift: e.parts.uplift,
        margin: e.p.unitValue,
        cost: 0.5,
        fatigue: e.parts.fatigue,
        value: e.value,
      });
    }
    expect(recs[0]?.modelVersion).toBe('synthetic-1');
    expect(recs[0]?.checks.map((c) => c.rule)).toEqual([...RULE_NAMES]);
    expect(recs[0]?.checks.every((c) => c.passed)).toBe(true);
    const kinds = recs
      .find((r) => r.productId === 'P_CRED')
      ?.paths.map((p) => p.kind)
      .sort();
    expect(kinds).toEqual(['community', 'journey-event', 'same-advisor', 'similar-client']);
    expect(recs[1]?.paths.length).toBeGreaterThanOrEqual(2);
    // every path exists in the database, relationship by relationship
    const s = db.driver.session({ database: db.database });
    try {
      for (const r of recs)
        for (const p of r.paths) {
          expect(p.nodes[0]?.id).toBe('C1');
          expect(p.nodes.at(-1)?.id).toBe(r.productId);
          for (const e of p.relationships) {
            const res = await s.run(
              `MATCH ({id: $from})-[x]->({id: $to}) WHERE type(x) = $type RETURN count(x) AS n`,
              e,
            );
            expect(res.records[0]?.get('n')).toBeGreaterThan(0);
          }
        }
    } finally {
      await s.close();
    }
    // explanation(id) returns exactly what was served
    for (const r of recs) {
      const e = await gql(
        `query($id: ID!) { explanation(id: $id) { recommendationId modelVersion scores { propensity exposureCorrection uplift margin cost fatigue value } checks { rule passed reason } paths { kind nodes { id label } relationships { type from to } } } }`,
        { id: r.id },
        tokens.compliance,
      );
      expect(e.json.errors).toBeUndefined();
      const ex = e.json.data?.explanation as Record<string, unknown>;
      expect(ex.recommendationId).toBe(r.id);
      expect(ex.scores).toEqual((r as unknown as Record<string, unknown>).scores);
      expect(ex.checks).toEqual((r as unknown as Record<string, unknown>).checks);
      expect(ex.paths).toEqual(r.paths);
    }
    const one = await gql(
      `query($id: ID!) { recommendation(id: $id) { id productId rank } }`,
      { id: recs[0]?.id },
      tokens.compliance,
    );
    expect(one.json.data?.recommendation).toEqual({ id: recs[0]?.id, productId: expected[0]?.p.id, rank: 1 });
    const trail = await gql(
      `{ auditTrail(clientId: "C1", from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z") { id productId } }`,
      {},
      tokens.compliance,
    );
    expect((trail.json.data?.auditTrail as unknown[] | undefined)?.length).toBe(2);
  });

  it('writes a served row once: a batch retried after its commit writes nothing again', async () => {
    const [served] = await recommend('C1');
    await gql(
      `query($id: ID!) { explanation(id: $id) { recommendationId } }`,
      { id: served!.id },
      tokens.compliance,
    );
    const [row] = await db.read(query('read/api-recommendation'), { id: served!.id });
    const rec = fromRecommendationNode(row!.rec as Record<string, unknown>);
    const links = async () => {
      const s = db.driver.session({ database: db.database });
      try {
        const res = await s.run(
          'MATCH (r:Recommendation {id: $id})-[x]->(n) RETURN type(x) + ">" + coalesce(n.id, n.version) AS link ORDER BY link',
          { id: served!.id },
        );
        return res.records.map((x) => x.get('link') as string);
      } finally {
        await s.close();
      }
    };
    const before = await links();
    expect(before).toEqual([
      'BY_MODEL>synthetic-1',
      'FOR>C1',
      `OF>${served!.productId}`,
      `VIA>${served!.channel}`,
    ]);
    const { rows } = await db.write(query('write/api-recommendations'), {
      rows: [{ id: rec.id, clientId: 'C1', modelKind: 'stand-in', props: toRecommendationProps(rec) }],
    });
    expect(rows[0]?.written).toBe(0);
    expect(await links()).toEqual(before);
  });

  it('finds an example client worth contacting without serving or storing anything', async () => {
    const count = async (): Promise<number> => {
      const s = db.driver.session({ database: db.database });
      try {
        return (await s.run('MATCH (r:Recommendation) RETURN count(r) AS n')).records[0]!.get('n') as number;
      } finally {
        await s.close();
      }
    };
    const before = await count();
    const id = await server.exampleClient();
    expect(id).toBe('C1');
    expect(await count()).toBe(before);
    expect((await recommend(id!, tokens.admin)).some((r) => r.action === 'contact')).toBe(true);
  });

  it('acknowledges a recommendation with the propensity it was shown with', async () => {
    const [first] = await recommend('C1');
    const r = await gql(
      `mutation($id: ID!) { acknowledgeRecommendation(id: $id, decision: accepted) { id decision decidedAt shownPropensity } }`,
      { id: first?.id },
    );
    expect(r.json.data?.acknowledgeRecommendation).toEqual({
      id: first?.id,
      decision: 'accepted',
      decidedAt: NOW.toISOString(),
      shownPropensity: 1,
    });
  });

  it('an accepted suggestion counts as a planned contact at once, and a decline takes it back', async () => {
    type Recs = Awaited<ReturnType<typeof recommend>>;
    const pressure = (recs: Recs): number => {
      const reason = recs
        .find((r) => r.action === 'contact')
        ?.checks.find((k) => k.rule === 'contact-pressure')?.reason;
      const m = /^(\d+) contact\(s\) in the last 30 days or planned, (\d+) on email/.exec(reason ?? '');
      expect(m, reason).not.toBeNull();
      return Number(m![1]) * 100 + Number(m![2]);
    };
    const ack = (id: string, d: string) =>
      gql(`mutation($id: ID!, $d: Decision!) { acknowledgeRecommendation(id: $id, decision: $d) { id } }`, {
        id,
        d,
      });
    const before = await recommend('C1', tokens.a1, 'email');
    const n0 = pressure(before);
    expect((await ack(before[0]!.id, 'accepted')).json.errors).toBeUndefined();
    // one more contact in total and on email
    expect(pressure(await recommend('C1', tokens.a1, 'email'))).toBe(n0 + 101);
    expect((await ack(before[0]!.id, 'declined')).json.errors).toBeUndefined();
    expect(pressure(await recommend('C1', tokens.a1, 'email'))).toBe(n0);
  });

  it('a recorded refusal removes the product on the very next call, and a refused consent removes the channel', async () => {
    const before = await recommend('C1', tokens.a1, 'email');
    expect(before.map((r) => r.productId)).toContain('P_SAV');
    const sol = await gql(
      `mutation { recordSolicitationOutcome(input: {id: "S1", clientId: "C1", productId: "P_SAV", channel: "email", outcome: refused, sentAt: "2026-05-31T10:00:00Z"}) { id outcome outcomeAt } }`,
      {},
      tokens.a1,
    );
    expect(sol.json.data?.recordSolicitationOutcome).toEqual({
      id: 'S1',
      outcome: 'refused',
      outcomeAt: NOW.toISOString(),
    });
    const after = await recommend('C1', tokens.a1, 'email');
    expect(after.map((r) => r.productId)).toEqual(['P_CRED']);
    const consent = await gql(
      `mutation { setConsent(clientId: "C1", channel: "email", status: refused) { clientId channel status at } }`,
      {},
      tokens.a1,
    );
    expect(consent.json.data?.setConsent).toEqual({
      clientId: 'C1',
      channel: 'email',
      status: 'refused',
      at: NOW.toISOString(),
    });
    const none = await recommend('C1', tokens.a1, 'email');
    expect(none.map((r) => [r.action, r.productId])).toEqual([['no_contact', null]]);
    // the 'no contact' row says why: the ranking's reason, then each distinct failed check
    expect(none[0]?.checks[0]).toMatchObject({ rule: 'no-contact', passed: false });
    expect(none[0]?.checks.slice(1).map((c) => [c.rule, c.passed])).toEqual(
      expect.arrayContaining([
        ['consent', false],
        ['cooldown-after-refusal', false],
        ['suitability', false],
      ]),
    );
    // sms is opt-in and C1 never consented: nothing either
    const sms = await recommend('C1', tokens.a1, 'sms');
    expect(sms.map((r) => r.action)).toEqual(['no_contact']);
  });

  it('records events idempotently and reads the client profile', async () => {
    const ev = `mutation { recordEvent(input: {id: "E2", clientId: "C1", type: "page_view", productId: "P_INV", at: "2026-05-31T08:00:00Z"}) { id clientId type productId at } }`;
    const a = await gql(ev, {}, tokens.a1);
    const b = await gql(ev, {}, tokens.a1);
    expect(a.json.data?.recordEvent).toEqual({
      id: 'E2',
      clientId: 'C1',
      type: 'page_view',
      productId: 'P_INV',
      at: '2026-05-31T08:00:00.000Z',
    });
    expect(b.json.data).toEqual(a.json.data);
    const s = db.driver.session({ database: db.database });
    try {
      const n = await s.run(
        `MATCH (:Client {id: 'C1'})-[:DID]->(e:Event {id: 'E2'})-[:ABOUT]->(:Product {id: 'P_INV'}) RETURN count(*) AS n`,
      );
      expect(n.records[0]?.get('n')).toBe(1);
    } finally {
      await s.close();
    }
    const c = await gql(
      `{ client(id: "C2") { id advisorId communityId holdings { productId } consents { channel } recentSolicitations { id } } }`,
      {},
      tokens.a1,
    );
    expect(c.json.data?.client).toEqual({
      id: 'C2',
      advisorId: 'A1',
      communityId: 'K1',
      holdings: expect.arrayContaining([{ productId: 'P_SAV' }, { productId: 'P_CRED' }]),
      consents: [],
      recentSolicitations: [],
    });
  });

  it('serves the analyst exploration reads with pseudonymised client ids', async () => {
    const n = await gql(
      `{ neighborhood(clientId: "C1", depth: 1) { nodes { id label } relationships { type from to } } }`,
      {},
      tokens.analyst,
    );
    const g = n.json.data?.neighborhood as { nodes: { id: string; label: string }[] };
    const clients = g.nodes.filter((x) => x.label === 'Client').map((x) => x.id);
    expect(clients.length).toBe(2); // C1 and C2 (SIMILAR_TO)
    expect(clients.every((x) => /^p_[0-9a-f]{16}$/.test(x))).toBe(true);
    expect(g.nodes.map((x) => x.id)).toEqual(expect.arrayContaining(['A1', 'K1', 'email', 'E1']));
    const p = await gql(
      `{ path(fromId: "C9", toId: "P_SAV") { kind nodes { id label } relationships { type } } }`,
      {},
      tokens.admin,
    );
    expect(p.json.data?.path).toBeNull(); // C9 is not connected to anything but its advisor
    const p2 = await gql(
      `{ path(fromId: "C1", toId: "P_SAV") { nodes { id } relationships { type } } }`,
      {},
      tokens.admin,
    );
    expect((p2.json.data?.path as { relationships: unknown[] } | undefined)?.relationships.length).toBe(2); // C1-SIMILAR_TO-C2-HOLDS-P_SAV
    // 'email' names a Channel and a Topic: the label must be given
    const amb = await gql(`{ path(fromId: "C1", toId: "email") { kind } }`, {}, tokens.admin);
    expect(amb.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const p3 = await gql(
      `{ path(fromId: "C1", toId: "email", fromLabel: Client, toLabel: Channel) { nodes { id label } relationships { type from to } } }`,
      {},
      tokens.admin,
    );
    expect(p3.json.data?.path).toEqual({
      nodes: [
        { id: 'C1', label: 'Client' },
        { id: 'email', label: 'Channel' },
      ],
      relationships: [{ type: 'CONSENT', from: 'C1', to: 'email' }],
    });
    const k = await gql(`{ community(id: "K1") { id size members } }`, {}, tokens.admin);
    expect(k.json.data?.community).toEqual({ id: 'K1', size: 5, members: ['C1', 'C2', 'C3', 'C4', 'C5'] });
    const e = await gql(`{ policyEvaluation { createdAt rows } }`, {}, tokens.analyst);
    expect(e.json.data?.policyEvaluation).toBeNull();
    // nbg evaluate --store writes an :Evaluation; the API serves the latest
    const report = await evaluate(MINI);
    await storeEvaluation(db, report, { now: new Date('2026-05-01T00:00:00Z') });
    const stored = await storeEvaluation(db, report, {
      now: new Date('2026-05-02T00:00:00Z'),
      modelVersion: 'm-1',
    });
    const e2 = await gql(
      `{ policyEvaluation { id createdAt dataset evaluationDate modelVersion columns rows } }`,
      {},
      tokens.analyst,
    );
    const pe = e2.json.data?.policyEvaluation as Record<string, unknown>;
    expect(pe).toMatchObject({
      id: stored.id,
      createdAt: '2026-05-02T00:00:00.000Z',
      dataset: 'evaluate-mini',
      evaluationDate: report.evaluationDate,
      modelVersion: 'm-1',
      columns: comparisonRecords(report.comparisons).columns,
    });
    const rows = JSON.parse(pe.rows as string) as { policy: string; contacts: number }[];
    expect(rows.map((r) => r.policy)).toEqual(report.comparisons.map((c) => c.policy));
    expect(rows.map((r) => r.contacts)).toEqual(report.comparisons.map((c) => c.truth.contacts));
  });

  it('shows analysts pseudonyms, never real client ids, in path and community answers; admins the real ids', async () => {
    const realId = /\bC\d+\b/;
    const pathAs = async (token: string | undefined, from: string, to: string) => {
      const r = await gql(
        `{ path(fromId: "${from}", toId: "${to}") { kind nodes { id label } relationships { type from to } } }`,
        {},
        token,
      );
      expect(r.json.errors).toBeUndefined();
      return r.json.data?.path as {
        nodes: { id: string; label: string }[];
        relationships: { type: string; from: string; to: string }[];
      };
    };
    // C1 and C2 are SIMILAR_TO: the one shortest path between them
    expect(await pathAs(tokens.analyst, 'C2', 'C1')).toEqual({
      kind: 'shortest',
      nodes: [
        { id: pseudonym(SECRET, 'C2'), label: 'Client' },
        { id: pseudonym(SECRET, 'C1'), label: 'Client' },
      ],
      relationships: [{ type: 'SIMILAR_TO', from: pseudonym(SECRET, 'C1'), to: pseudonym(SECRET, 'C2') }],
    });
    expect(await pathAs(tokens.admin, 'C2', 'C1')).toEqual({
      kind: 'shortest',
      nodes: [
        { id: 'C2', label: 'Client' },
        { id: 'C1', label: 'Client' },
      ],
      relationships: [{ type: 'SIMILAR_TO', from: 'C1', to: 'C2' }],
    });
    // a path through other nodes (which one depends on what earlier tests recorded): the client
    // ends are pseudonyms wherever they appear, the other nodes keep their ids
    const mixed = await pathAs(tokens.analyst, 'C1', 'P_SAV');
    expect(mixed.nodes.at(0)).toEqual({ id: pseudonym(SECRET, 'C1'), label: 'Client' });
    expect(mixed.nodes.at(-1)).toEqual({ id: 'P_SAV', label: 'Product' });
    expect(mixed.relationships.length).toBe(2);
    expect(JSON.stringify(mixed)).not.toMatch(realId);
    expect(JSON.stringify(await pathAs(tokens.admin, 'C1', 'P_SAV'))).toMatch(realId);

    const communityQuery = `{ community(id: "K1") { id size members } }`;
    const k = await gql(communityQuery, {}, tokens.analyst);
    expect(k.json.errors).toBeUndefined();
    expect(k.json.data?.community).toEqual({
      id: 'K1',
      size: 5,
      members: ['C1', 'C2', 'C3', 'C4', 'C5'].map((c) => pseudonym(SECRET, c)),
    });
    expect(JSON.stringify(k.json.data)).not.toMatch(realId);
    expect((await gql(communityQuery, {}, tokens.admin)).json.data?.community).toEqual({
      id: 'K1',
      size: 5,
      members: ['C1', 'C2', 'C3', 'C4', 'C5'],
    });
  });

  const deep = `{ client(id: "C1") { holdings { productId } ${'}'.repeat(0)} }`;
  const deepQuery = `{ recommendations(clientId: "C1") { paths { nodes { id } } } ${'x'.repeat(0)}}`;
  const fragmentBomb = `query { community(id: "K1", limit: 500) { members } neighborhood(clientId: "C1", depth: 2, limit: 200) { nodes { id label } relationships { type from to } } a: neighborhood(clientId: "C1", depth: 2, limit: 200) { nodes { id label } relationships { type from to } } }`;
  const tooDeep = `query Q { client(id: "C1") { ...F } } fragment F on Client { holdings { productId } recentSolicitations { id } }`;
  it.each([
    ['unknown client', `{ client(id: "NOPE") { id } }`, tokens.admin, 'NOT_FOUND'],
    ['unknown path end', `{ path(fromId: "C1", toId: "NOPE") { kind } }`, tokens.admin, 'NOT_FOUND'],
    [
      'unknown channel',
      `{ recommendations(clientId: "C1", channel: "fax") { id } }`,
      tokens.admin,
      'NOT_FOUND',
    ],
    ['malformed id', `{ client(id: "C1'; DROP") { id } }`, tokens.admin, 'BAD_USER_INPUT'],
    [
      'limit above maximum',
      `{ recommendations(clientId: "C1", limit: 21) { id } }`,
      tokens.admin,
      'BAD_USER_INPUT',
    ],
    ['limit zero', `{ recommendations(clientId: "C1", limit: 0) { id } }`, tokens.admin, 'BAD_USER_INPUT'],
    [
      'depth out of range',
      `{ neighborhood(clientId: "C1", depth: 3) { nodes { id } } }`,
      tokens.admin,
      'BAD_USER_INPUT',
    ],
    [
      'bad instant',
      `{ auditTrail(clientId: "C1", from: "yesterday", to: "2026-01-01") { id } }`,
      tokens.admin,
      'BAD_USER_INPUT',
    ],
    ['too costly', fragmentBomb, tokens.admin, 'QUERY_TOO_COSTLY'],
    ['unknown field', `{ client(id: "C1") { password } }`, tokens.admin, 'GRAPHQL_VALIDATION_FAILED'],
    ['missing token', `{ client(id: "C1") { id } }`, null, 'UNAUTHENTICATED'],
    ['garbage token', `{ client(id: "C1") { id } }`, 'abc.def.ghi', 'UNAUTHENTICATED'],
    ['expired token', `{ client(id: "C1") { id } }`, 'EXPIRED', 'UNAUTHENTICATED'],
    ["another advisor's client", `{ client(id: "C9") { id } }`, 'A1', 'FORBIDDEN'],
    ["another advisor's recommendations", `{ recommendations(clientId: "C9") { id } }`, 'A1', 'FORBIDDEN'],
    [
      'analyst asking for recommendations',
      `{ recommendations(clientId: "C1") { id } }`,
      'ANALYST',
      'FORBIDDEN',
    ],
    [
      'advisor reading an audit trail',
      `{ auditTrail(clientId: "C1", from: "2026-01-01", to: "2026-12-31") { id } }`,
      'A1',
      'FORBIDDEN',
    ],
    [
      'unknown recommendation',
      `{ explanation(id: "rec-nope") { recommendationId } }`,
      tokens.admin,
      'NOT_FOUND',
    ],
  ])('bad request: %s -> %s', async (_name, query, tok, code) => {
    const token =
      tok === 'EXPIRED'
        ? tokens.expired
        : tok === 'A1'
          ? tokens.a1
          : tok === 'ANALYST'
            ? tokens.analyst
            : (tok ?? tokens.admin);
    const r = await gql(query, {}, tok === null ? null : (token as string));
    expect(r.json.errors?.[0]?.extensions?.code).toBe(code);
    expect(r.text).not.toMatch(/stacktrace|\n\s+at /);
  });

  it('refuses a too deep query, an oversized body and a CSRF-able request', async () => {
    void deep;
    void deepQuery;
    void tooDeep;
    const nested = `{ recommendations(clientId: "C1") { paths { nodes { id } relationships { type } } } }`;
    const server = createApiServer({
      db,
      logger: pino({ level: 'silent' }),
      secret: SECRET,
      limits: { maxDepth: 2, maxCost: 5000, defaultListSize: 10 },
    });
    const s2 = await server.listen(0, '127.0.0.1');
    try {
      const res = await fetch(s2.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
        body: JSON.stringify({ query: nested }),
      });
      const j = (await res.json()) as GqlResponse['json'];
      expect(j.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    } finally {
      await s2.close();
    }
    const big = await gql('', {}, tokens.admin, {
      body: JSON.stringify({ query: `{ client(id: "C1") { id } }`, pad: 'x'.repeat(70_000) }),
    });
    expect([big.status, big.json.errors?.[0]?.extensions?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const csrf = await fetch(`${url}?query=${encodeURIComponent('{ client(id: "C1") { id } }')}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(csrf.status).toBe(400);
  });
});
