import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/executor.js';
import type { UpliftExamples } from '../../src/features/examples.js';
import {
  buildDecisionRows,
  buildTrainingExamples,
  folderSource,
  loadHistory,
  neo4jSource,
} from '../../src/features/index.js';
import { ingest } from '../../src/ingest/index.js';
import { simulate } from '../../src/simulate/index.js';
import { freshDb } from './helpers.js';

let db: Db;
let work: string;
let world: string;
beforeAll(async () => {
  db = await freshDb();
  work = mkdtempSync(join(tmpdir(), 'nbg-features-'));
  world = join(work, 'w');
  await simulate({ clients: 300, seed: 8, out: world });
  await ingest(db, world, { reportDir: join(work, 'r') });
}, 900_000);
afterAll(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

/** Every array of two tables, compared element by element (NaN equal to NaN). */
function expectSameTable(a: UpliftExamples, b: UpliftExamples): void {
  expect(b.n).toBe(a.n);
  expect(b.schema).toEqual(a.schema);
  expect(b.productIds).toEqual(a.productIds);
  expect(b.channelIds).toEqual(a.channelIds);
  expect(b.clientIds).toEqual(a.clientIds);
  for (const key of [
    'x',
    'xc',
    'client',
    'product',
    'day',
    'segment',
    'contactable',
    'treatment',
    'outcome',
    'loggedPropensity',
    'weight',
    'margin',
    'channelCost',
  ] as const) {
    const x = a[key];
    const y = b[key];
    expect(y.length, key).toBe(x.length);
    let diff = 0;
    let first = -1;
    for (let k = 0; k < x.length; k++) {
      if (!Object.is(x[k], y[k])) {
        diff++;
        if (first < 0) first = k;
      }
    }
    expect(diff, `${key}: ${diff} values differ, first at ${first} (${x[first]} vs ${y[first]})`).toBe(0);
  }
}

describe('features from the folder and from the graph', () => {
  it('give bit-identical training and decision tables', async () => {
    const fromFolder = await loadHistory(folderSource(world));
    const fromGraph = await loadHistory(neo4jSource(db, { pageSize: 70 }));
    const options = { decisionDate: '2025-12-01', seed: 3 };
    const a = await buildTrainingExamples(fromFolder, options);
    const b = await buildTrainingExamples(fromGraph, options);
    expect(a.n).toBeGreaterThan(3000);
    expect(a.treatment.some((t) => t >= 0)).toBe(true);
    expectSameTable(a, b);
    const da = await buildDecisionRows(fromFolder, '2025-12-01');
    const dbRows = await buildDecisionRows(fromGraph, '2025-12-01');
    expect(da.n).toBeGreaterThan(1500);
    expectSameTable(da, dbRows);
    // A request's few clients, read alone: the same rows as in the whole table.
    const ids = ['C000007', 'C000150', 'C000299', 'C999999'];
    const few = await buildDecisionRows(neo4jSource(db, { clientIds: ids }), '2025-12-01');
    expect(few.clientIds).toEqual(ids.slice(0, 3));
    const F = few.schema.pair.length;
    for (let k = 0; k < few.n; k++) {
      const id = few.clientIds[few.client[k]!];
      const j = Array.from({ length: da.n }, (_, r) => r).find(
        (r) => da.clientIds[da.client[r]!] === id && da.product[r] === few.product[k],
      );
      expect(j, `${id} ${few.product[k]}`).toBeDefined();
      expect([...few.x.subarray(k * F, k * F + F)]).toEqual([...da.x.subarray(j! * F, j! * F + F)]);
    }
    expect(few.n).toBeGreaterThan(10);
  }, 900_000);
});
