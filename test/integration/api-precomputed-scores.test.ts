import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoringModels } from '../../src/allocate/precomputed/client-scores.js';
import { loadScoringModels, scoreAllClients } from '../../src/allocate/precomputed/score-all-clients.js';
import { recommendForClient } from '../../src/allocate/real-time/recommend-for-client.js';
import { ModelValueSource } from '../../src/allocate/value-sources/model-value-source.js';
import { CatalogCache } from '../../src/api/services/catalog-cache.js';
import { Neo4jClientStateReader } from '../../src/api/services/neo4j-client-state-reader.js';
import type { Db } from '../../src/db/executor.js';
import type { QueryRef } from '../../src/db/queries.js';
import type { ClientId } from '../../src/domain/ids.js';
import { buildDecisionRows, loadHistory, neo4jSource } from '../../src/features/index.js';
import { freshDb, smallTrainedWorld, withTrainedApi } from './helpers.js';

let db: Db;
let work: string;
let suiteDir: string;
let models: ScoringModels;
let asOf: string;
let now: Date;
let clientIds: string[];

beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-api-scores-'));
  const r = await smallTrainedWorld(db, work);
  suiteDir = r.dir;
  asOf = r.asOf;
  now = new Date(`${asOf}T09:00:00Z`);
  models = await loadScoringModels(suiteDir);
  const scored = await scoreAllClients(db, models, { asOf, chunkClients: 120, batchSize: 50 });
  expect([scored.clients, scored.asOf]).toEqual([300, asOf]);
  clientIds = (await loadHistory(neo4jSource(db))).clientIds.slice(0, 40);
}, 600_000);
afterAll(async () => {
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The Db, recording the name of every read. */
function recording(inner: Db, names: string[]): Db {
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'read')
        return (ref: QueryRef, params?: Record<string, unknown>) => {
          names.push(ref.name);
          return target.read(ref, params);
        };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

interface Served {
  productId: string | null;
  channel: string | null;
  action: string;
  scores: { value: number; uplift: number; fatigue: number; propensity: number; exposureCorrection: number };
}

function serve<T>(
  database: Db,
  at: Date,
  body: (ask: (query: string) => Promise<Record<string, unknown>>) => Promise<T>,
) {
  return withTrainedApi(database, suiteDir, at, body);
}

const recs = (id: string) =>
  `{ recommendations(clientId: "${id}", limit: 20) { productId channel action scores { value uplift fatigue propensity exposureCorrection } } }`;

/** The batch ModelValueSource over every client's decision rows at `date`. */
async function batchAt(date: string): Promise<ModelValueSource> {
  const rows = await buildDecisionRows(await loadHistory(neo4jSource(db)), date);
  return ModelValueSource.fromRows(models.model, rows, {
    modelVersion: models.modelVersion,
    ...(models.classic ? { classic: models.classic } : {}),
  });
}

/** What the API must serve for a client: src/allocate's ranking with `values`, best channel per product. */
async function expected(values: ModelValueSource, clientId: string, at: Date) {
  const catalog = await new CatalogCache(db).get();
  const r = await recommendForClient({
    reader: new Neo4jClientStateReader(db),
    values,
    products: catalog.products,
    channels: catalog.channels,
    policy: catalog.policy,
    clientId: clientId as ClientId,
    now: at.getTime(),
  });
  const seen = new Set<string>();
  const out: { productId: string; channel: string; value: number; parts: ReturnType<typeof values.parts> }[] =
    [];
  for (const a of r.actions) {
    if (seen.has(a.product) || out.length >= 20) continue;
    seen.add(a.product);
    const product = catalog.products.find((p) => p.id === a.product)!;
    const channel = catalog.channelById.get(a.channel)!;
    out.push({
      productId: a.product,
      channel: a.channel,
      value: a.value,
      parts: values.parts(r.reading.state, product, channel),
    });
  }
  return out;
}

function expectSame(served: Served[], want: Awaited<ReturnType<typeof expected>>): void {
  const contacts = served.filter((s) => s.action === 'contact');
  expect(contacts.map((s) => `${s.productId}/${s.channel}`)).toEqual(
    want.map((w) => `${w.productId}/${w.channel}`),
  );
  for (const [i, s] of contacts.entries()) {
    const w = want[i]!;
    expect(Math.abs(s.scores.value - w.value)).toBeLessThan(1e-9);
    expect(Math.abs(s.scores.uplift - w.parts!.uplift)).toBeLessThan(1e-9);
    expect(Math.abs(s.scores.fatigue - w.parts!.fatigue)).toBeLessThan(1e-9);
    expect(Math.abs(s.scores.propensity - w.parts!.propensity!)).toBeLessThan(1e-9);
    expect(Math.abs(s.scores.exposureCorrection - w.parts!.exposureCorrection!)).toBeLessThan(1e-9);
  }
}

describe('the API on scores precomputed by nbg score', () => {
  it('starts and serves without reading the graph history or scoring anyone', async () => {
    const reads: string[] = [];
    const { values } = await serve(recording(db, reads), now, async (ask) => {
      for (const id of clientIds.slice(0, 5)) await ask(recs(id));
    });
    expect(reads.filter((n) => n.startsWith('read/features-'))).toEqual([]);
    expect(reads.filter((n) => n === 'read/api-client-states')).toHaveLength(5);
    expect(values.counts).toEqual({ stored: 5, rescored: 0 });
    expect(values.asOf).toBe(asOf);
  }, 120_000);

  it('serves the ranking and the values of the batch ModelValueSource at the scores date', async () => {
    const batch = await batchAt(asOf);
    let contacts = 0;
    await serve(db, now, async (ask) => {
      for (const id of clientIds) {
        const served = (await ask(recs(id))).recommendations as Served[];
        const want = await expected(batch, id, now);
        expectSame(served, want);
        contacts += want.length;
      }
    });
    expect(contacts).toBeGreaterThan(20);
  }, 300_000);

  it('rescores live a client with a solicitation recorded after the scores, as the model says', async () => {
    const before = await batchAt(asOf);
    let chosen: { id: string; want: Awaited<ReturnType<typeof expected>> } | undefined;
    for (const id of clientIds) {
      const want = await expected(before, id, now);
      if (want.length >= 2) {
        chosen = { id, want };
        break;
      }
    }
    expect(chosen).toBeDefined();
    const { id, want: old } = chosen!;
    const last = old.at(-1)!;
    const { out, values } = await serve(db, now, async (ask) => {
      await ask(
        `mutation { recordSolicitationOutcome(input: { clientId: "${id}", productId: "${last.productId}", channel: "${last.channel}", outcome: no_response }) { id } }`,
      );
      return (await ask(recs(id))).recommendations as Served[];
    });
    expect(values.counts).toEqual({ stored: 0, rescored: 1 });
    // the model's values at the day after the new record, on the graph as it is now
    const dayAfter = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const want = await expected(await batchAt(dayAfter), id, now);
    expectSame(out, want);
    const changed = want.filter((w) => {
      const o = old.find((x) => x.productId === w.productId && x.channel === w.channel);
      return o === undefined || Math.abs(o.value - w.value) > 1e-6;
    });
    expect(changed.length).toBeGreaterThan(0);
  }, 300_000);
});
