import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nmi } from '../../graph/index.js';
import { analyze } from '../../src/analyze/index.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { ingest } from '../../src/ingest/index.js';
import { simulate } from '../../src/simulate/index.js';
import { freshDb } from './helpers.js';

const results = query('read/analyze-client-results');
const byVector = query('read/similar-clients-by-vector');
const indexState = query('read/index-state');

interface ClientResult {
  id: string;
  community: string;
  dimensions: number;
  similar: string[];
  linkedCommunity: string;
}

let db: Db;
let work: string;
beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-analyze-'));
  await simulate({ clients: 1500, seed: 5, out: join(work, 'w') });
  await ingest(db, join(work, 'w'), { reportDir: join(work, 'r') });
});
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('nbg analyze', () => {
  it('writes communities, embeddings and top-k similar clients for every client, deterministically', async () => {
    const s = await analyze(db, { seed: 3, text: false });
    expect(s.clients).toBe(1500);
    expect(s.similarTo).toBe(1500 * 20);
    expect(s.vectorIndex).toBe(true);
    const first = await db.read<ClientResult & Record<string, unknown>>(results);
    expect(first).toHaveLength(1500);
    for (const r of first) {
      expect(r.dimensions).toBe(128);
      expect(r.similar).toHaveLength(20);
      expect(r.similar).not.toContain(r.id);
      expect(r.linkedCommunity).toBe(r.community);
    }
    // The communities are the simulator's personas, found again from the graph alone.
    const truth = new Map(
      readFileSync(join(work, 'w', 'truth', 'clients.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',') as [string, string]),
    );
    const score = nmi(
      first.map((r) => r.community),
      first.map((r) => truth.get(r.id) as string),
    );
    expect(score).toBeGreaterThan(0.5);

    await analyze(db, { seed: 3, text: false });
    expect(await db.read(results)).toEqual(first);
  });

  it('answers similar-client look-ups in Neo4j with the neighbours computed in memory', async () => {
    const rows = await db.read<ClientResult & Record<string, unknown>>(results);
    for (let wait = 0; wait < 60; wait++) {
      const [st] = await db.read<{ state: string }>(indexState, { name: 'client_embedding' });
      if (st?.state === 'ONLINE') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    let overlap = 0;
    const sample = rows.filter((_, i) => i % 150 === 0);
    for (const r of sample) {
      const got = await db.read<{ id: string }>(byVector, { clientId: r.id, k: neo4j.int(10) });
      const mem = new Set(r.similar.slice(0, 10));
      overlap += got.filter((g) => mem.has(g.id)).length / 10;
    }
    // The vector index is approximate (HNSW) and ties reorder: nearly all neighbours agree.
    expect(overlap / sample.length).toBeGreaterThanOrEqual(0.9);
  });
});
