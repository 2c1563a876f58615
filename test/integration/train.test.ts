import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { buildDecisionRows, loadHistory, neo4jSource } from '../../src/features/index.js';
import { ingest } from '../../src/ingest/index.js';
import { latestSuiteDir, modelsRoot } from '../../src/models/suite/model-store.js';
import { loadSuite, suiteActionValues } from '../../src/models/suite/model-suite.js';
import { trainOnGraph } from '../../src/models/suite/train-on-graph.js';
import { simulate } from '../../src/simulate/index.js';
import { freshDb } from './helpers.js';

const latestModel = query('read/model-latest');

let db: Db;
let work: string;
beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-train-'));
  await simulate({ clients: 300, seed: 12, out: join(work, 'w') });
}, 600_000);
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

describe('nbg train on the graph', () => {
  it('refuses an empty graph with the fix', async () => {
    const empty = await freshDb();
    try {
      await expect(trainOnGraph(empty, { dataDir: join(work, 'none') })).rejects.toThrow(
        /graph has no clients/,
      );
    } finally {
      await empty.close();
    }
  });

  it('saves a suite whole, records the :Model node, and the loaded suite scores exactly as trained', async () => {
    await ingest(db, join(work, 'w'), { reportDir: join(work, 'r') });
    const dataDir = join(work, 'data');
    const r = await trainOnGraph(db, {
      dataDir,
      asOf: '2025-12-01',
      suite: { baselines: ['popularity', 'classic-propensity'], seed: 5 },
    });
    expect(r.asOf).toBe('2025-12-01');
    expect(r.clients).toBe(300);
    expect(r.dir).toBe(latestSuiteDir(modelsRoot(dataDir)));
    expect(Object.keys(r.manifest.models).sort()).toEqual([
      'classic-propensity',
      'exposure',
      'popularity',
      'uplift',
    ]);
    // the last wave whose 30-day outcome window ends by D (2025-12-01): 10-20 (11-03 + 30 days is past D)
    expect(r.manifest.windowTo).toBe('2025-10-20');
    expect(r.manifest.metrics['exposure.ece']).toBeLessThan(0.02);
    for (const m of Object.keys(r.manifest.models))
      expect(existsSync(join(r.dir, m, 'model.json'))).toBe(true);

    const [node] = await db.read<{
      version: string;
      featureSchemaVersion: string;
      trainingRows: number;
      path: string;
    }>(latestModel);
    expect(node).toMatchObject({
      version: r.manifest.version,
      featureSchemaVersion: r.manifest.featureSchemaVersion,
      path: r.dir,
    });
    expect(Number(node!.trainingRows)).toBe(r.manifest.trainingRows);

    const rows = await buildDecisionRows(await loadHistory(neo4jSource(db)), '2025-12-01');
    const { suite } = await loadSuite(r.dir);
    const { values: loaded } = await suiteActionValues(suite, rows);
    expect([...loaded.keys()].sort()).toEqual(['classic-propensity', 'popularity', 'uplift']);
    const uplift = loaded.get('uplift')!;
    expect(uplift.length).toBe(rows.n * rows.channelIds.length);
    expect(uplift.some((v) => v > 0)).toBe(true);
  }, 600_000);
});
