import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { ingest } from '../../src/ingest/index.js';
import { freshDb, testEnv } from './helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/bank-mini');
const links = query('read/plan-recommendation-links');
let db: Db;
let work: string;
beforeAll(async () => {
  Object.assign(process.env, testEnv());
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-plan-'));
  await ingest(db, FIXTURE, { reportDir: join(work, 'r') });
});
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('nbg plan into the graph', () => {
  it('stores every planned contact as a :Recommendation linked to its client, product, channel and model, once', async () => {
    const out = join(work, 'plan.csv');
    const args = ['plan', '--data', FIXTURE, '--out', out, '--now', '2025-06-01', '--solver', 'exact'];
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const quietErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(args)).toBe(0);
      expect(await main(args)).toBe(0); // same plan again: nothing doubles
    } finally {
      quiet.mockRestore();
      quietErr.mockRestore();
    }
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toMatch(/^recommendation_id,plan_id,client_id,product_id,channel_id/);
    expect(lines.length).toBeGreaterThan(0);
    const csv = lines
      .map((l) => l.split(','))
      .map(([id, planId, clientId, productId, channelId, , , , modelVersion]) => ({
        id,
        planId,
        clientId,
        productId,
        channelId,
        modelVersion,
      }));
    const stored = await db.read(links, { planId: csv[0]!.planId });
    expect(stored).toEqual(csv.map(({ planId: _p, ...r }) => r).sort((a, b) => (a.id! < b.id! ? -1 : 1)));
  });
});
