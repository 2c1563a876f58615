import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { analyze } from '../../src/analyze/index.js';
import { readCsv } from '../../src/csv/reader.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { ingest } from '../../src/ingest/index.js';
import { simulate } from '../../src/simulate/index.js';
import { defaultModelsDir } from '../../src/text/embed.js';
import { chooseK } from '../../src/text/kmeans.js';
import { freshDb } from './helpers.js';

const results = query('read/analyze-verbatim-results');
const byVector = query('read/similar-verbatims-by-vector');
const topicResults = query('read/analyze-topic-results');
const indexState = query('read/index-state');
const labels = query('read/count-nodes-by-label');
const types = query('read/count-relationships-by-type');
const writeVerbatims = query('write/verbatims');

/** Two verbatims without product or channel columns whose text names one (a bank export's case). */
const UNLINKED = [
  { id: 'VX-1', text: 'Mon Livret A rapporte trop peu, je vais le clôturer.', about: ['P_LIVRET_A'] },
  { id: 'VX-2', text: 'Vos SMS arrivent à toute heure, même le dimanche.', about: ['sms'] },
];

interface VerbatimResult {
  id: string;
  sentiment: string;
  mixed: boolean;
  method: string;
  embedding: number[];
  topics: string[];
  aboutFromText: string[];
}

async function csvRows(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const batch of readCsv(path))
    for (const { line, fields } of batch) if (line > 1) rows.push(fields);
  return rows;
}

const count = async (ref: typeof labels, name: string): Promise<number> =>
  (await db.read<{ name: string; count: number }>(ref)).find((r) => r.name === name)?.count ?? 0;

let db: Db;
let work: string;
let truth: Map<string, string>;
let nVerbatims = 0;
beforeAll(async () => {
  await ensureTextModel({ modelsDir: defaultModelsDir() });
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-analyze-text-'));
  await simulate({ clients: 200, seed: 5, out: join(work, 'w') });
  await ingest(db, join(work, 'w'), { reportDir: join(work, 'r') });
  await db.writeBatches(writeVerbatims, [
    UNLINKED.map((v) => ({
      id: v.id,
      clientId: 'C000001',
      productId: null,
      channelId: null,
      props: { at: '2026-01-05T10:00:00Z', score: null, text: v.text },
    })),
  ]);
  nVerbatims = (await csvRows(join(work, 'w', 'verbatims.csv'))).length + UNLINKED.length;
  truth = new Map((await csvRows(join(work, 'w', 'truth', 'verbatims.csv'))).map((r) => [r[0]!, r[4]!]));
}, 300_000);
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('nbg analyze, text phase', () => {
  it('refuses to start without the text model, naming the install command, before writing', async () => {
    const empty = join(work, 'no-models');
    await expect(analyze(db, { modelsDir: empty })).rejects.toMatchObject({
      code: 'MISSING_DEPENDENCY',
      hint: expect.stringMatching(/node scripts\/text-model\/install\.mjs/),
    });
    expect(await count(labels, 'Community')).toBe(0);
  });

  it('writes sentiment, embedding and one topic per verbatim, Topic nodes, and is idempotent', async () => {
    const aboutBefore = await count(types, 'ABOUT');
    const s = await analyze(db, { seed: 3 });
    const x = s.text;
    expect(x?.verbatims).toBe(nVerbatims);
    expect(x?.topics).toBe(chooseK(nVerbatims));
    expect(x?.method).toBe('logistic');
    expect(x?.vectorIndex).toBe(true);
    const first = await db.read<VerbatimResult & Record<string, unknown>>(results);
    expect(first).toHaveLength(nVerbatims);
    for (const r of first) {
      expect(['positive', 'negative']).toContain(r.sentiment);
      expect(r.embedding).toHaveLength(384);
      expect(r.topics).toHaveLength(1);
    }
    expect(await count(labels, 'Topic')).toBe(x?.topics);
    expect(await count(types, 'MENTIONS')).toBe(nVerbatims);
    // products or channels named in the text of verbatims that had no ABOUT link become links
    // (the simulator fills the columns whenever its text names a product or channel: none of its own)
    const aboutAfter = await count(types, 'ABOUT');
    expect(x?.aboutFromText).toBe(2);
    expect(aboutAfter - aboutBefore).toBe(2);
    for (const v of UNLINKED) expect(first.find((r) => r.id === v.id)?.aboutFromText).toEqual(v.about);
    const topics = await db.read<{ id: string; size: number; name: string; products: string[] }>(
      topicResults,
    );
    expect(topics.filter((t) => t.products.length > 0).length).toBeGreaterThan(0);
    expect(topics.map((t) => t.id)).toEqual(Array.from({ length: x?.topics ?? 0 }, (_, i) => `T${i}`));
    expect(topics.reduce((a, t) => a + t.size, 0)).toBe(nVerbatims);
    for (const t of topics) expect(t.name).toMatch(/^\S+ \/ \S+ \/ \S+$/);
    // Against the simulator's per-verbatim truth (tone the text was written in), non-mixed only.
    const clear = first.filter((r) => truth.has(r.id) && truth.get(r.id) !== 'mixed');
    const acc = clear.filter((r) => r.sentiment === truth.get(r.id)).length / clear.length;
    expect(acc).toBeGreaterThan(0.8);

    await analyze(db, { seed: 3 });
    expect(await db.read(results)).toEqual(first);
    expect(await count(types, 'ABOUT')).toBe(aboutAfter);
    expect(await count(labels, 'Topic')).toBe(x?.topics);
    expect(await count(types, 'MENTIONS')).toBe(nVerbatims);
  }, 900_000);

  it('answers similar-verbatim look-ups in Neo4j with the in-memory cosine neighbours', async () => {
    const rows = await db.read<VerbatimResult & Record<string, unknown>>(results);
    for (let wait = 0; wait < 60; wait++) {
      const [st] = await db.read<{ state: string }>(indexState, { name: 'verbatim_embedding' });
      if (st?.state === 'ONLINE') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const k = 5;
    const sample = rows.filter((_, i) => i % 10 === 0);
    let overlap = 0;
    for (const r of sample) {
      const mem = rows
        .filter((o) => o.id !== r.id)
        .map((o) => ({ id: o.id, s: o.embedding.reduce((a, v, j) => a + v * (r.embedding[j] as number), 0) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, k)
        .map((o) => o.id);
      const got = await db.read<{ id: string }>(byVector, { verbatimId: r.id, k: neo4j.int(k) });
      overlap += got.filter((g) => mem.includes(g.id)).length / k;
    }
    // HNSW is approximate and near-ties reorder: nearly all neighbours agree.
    expect(overlap / sample.length).toBeGreaterThanOrEqual(0.9);
  });
});
