import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingExamples } from '../../src/features/build-training-examples.js';
import type { UpliftExamples } from '../../src/features/examples.js';
import { folderSource } from '../../src/features/folder-source.js';
import { type FeatureHistory, loadHistory } from '../../src/features/record-store.js';
import { createRng } from '../../src/rng.js';
import { simulate } from '../../src/simulate/index.js';

const FILES = [
  'clients.csv',
  'products.csv',
  'channels.csv',
  'campaigns.csv',
  'holdings.csv',
  'consents.csv',
  'solicitations.csv',
  'events.csv',
  'balances.csv',
  'verbatims.csv',
];

/** Copies a simulated folder with the data lines of every file in a seeded random order. */
function shuffledCopy(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  const rng = createRng(77);
  for (const file of FILES) {
    // The simulator's files have no line breaks inside fields except verbatims, kept whole.
    const text = readFileSync(join(from, file), 'utf8');
    if (file === 'verbatims.csv') {
      writeFileSync(join(to, file), text);
      continue;
    }
    const [header, ...lines] = text.trimEnd().split('\n');
    for (let i = lines.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    writeFileSync(join(to, file), `${[header, ...lines].join('\n')}\n`);
  }
}

let work: string;
let history: FeatureHistory;
let base: UpliftExamples;
const D = '2025-12-01';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nbg-features-order-'));
  await simulate({ clients: 150, seed: 12, out: join(work, 'a') });
  history = await loadHistory(folderSource(join(work, 'a')));
  base = await buildTrainingExamples(history, { decisionDate: D, seed: 5 });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the feature history', () => {
  it('does not depend on the order of the rows in the files', async () => {
    shuffledCopy(join(work, 'a'), join(work, 'b'));
    const other = await buildTrainingExamples(await loadHistory(folderSource(join(work, 'b'))), {
      decisionDate: D,
      seed: 5,
    });
    expect(other.n).toBe(base.n);
    expect(other.clientIds).toEqual(base.clientIds);
    for (const key of [
      'x',
      'xc',
      'contactable',
      'treatment',
      'outcome',
      'loggedPropensity',
      'weight',
      'product',
      'day',
    ] as const) {
      expect(Buffer.from(other[key].buffer).equals(Buffer.from(base[key].buffer)), key).toBe(true);
    }
  });
});

describe('the control sample', () => {
  it('keeps every contacted pair whatever the seed, and draws the others by seed', async () => {
    const other = await buildTrainingExamples(history, { decisionDate: D, seed: 6 });
    const contacted = (e: UpliftExamples): string[] => {
      const out: string[] = [];
      for (let k = 0; k < e.n; k++)
        if (e.treatment[k]! >= 0) out.push(`${e.client[k]}/${e.day[k]}/${e.product[k]}`);
      return out;
    };
    expect(contacted(other)).toEqual(contacted(base));
    expect(contacted(base).length).toBeGreaterThan(100);
    const controls = (e: UpliftExamples): Set<string> => {
      const out = new Set<string>();
      for (let k = 0; k < e.n; k++)
        if (e.treatment[k]! < 0) out.add(`${e.client[k]}/${e.day[k]}/${e.product[k]}`);
      return out;
    };
    const a = controls(base);
    const b = controls(other);
    const shared = [...a].filter((k) => b.has(k)).length;
    // two independent 10% samples share about 10% of their rows
    expect(shared / a.size).toBeGreaterThan(0.05);
    expect(shared / a.size).toBeLessThan(0.16);
  });

  it('estimates the number of all pairs: weighted rows against every pair (controlRate 1)', async () => {
    const all = await buildTrainingExamples(history, { decisionDate: D, seed: 5, controlRate: 1 });
    let weighted = 0;
    for (let k = 0; k < base.n; k++) weighted += base.weight[k]!;
    expect(all.weight.every((w) => w === 1)).toBe(true);
    expect(weighted / all.n).toBeGreaterThan(0.95);
    expect(weighted / all.n).toBeLessThan(1.05);
  });
});
