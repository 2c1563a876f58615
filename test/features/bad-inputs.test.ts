import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDecisionRows, type DecisionPairs } from '../../src/features/build-decision-rows.js';
import {
  buildTrainingExamples,
  type TrainingExamplesOptions,
} from '../../src/features/build-training-examples.js';
import { folderSource } from '../../src/features/folder-source.js';
import { type FeatureHistory, loadHistory } from '../../src/features/record-store.js';
import { HAND_FILES, writeHandFixture } from './hand-fixture.js';

let work: string;
let history: FeatureHistory;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nbg-features-bad-'));
  history = await loadHistory(folderSource(writeHandFixture(join(work, 'hand'))));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bad training options are refused with the option, its value and the limit', () => {
  const D = '2025-03-01';
  const cases: [string, TrainingExamplesOptions, RegExp][] = [
    ['controlRate 0', { decisionDate: D, controlRate: 0 }, /controlRate must be in \(0, 1\], got 0/],
    [
      'controlRate above 1',
      { decisionDate: D, controlRate: 1.5 },
      /controlRate must be in \(0, 1\], got 1.5/,
    ],
    [
      'controlRate NaN',
      { decisionDate: D, controlRate: Number.NaN },
      /controlRate must be in \(0, 1\], got NaN/,
    ],
    ['windowDays 0', { decisionDate: D, windowDays: 0 }, /windowDays must be an integer ≥ 1, got 0/],
    ['stepDays fractional', { decisionDate: D, stepDays: 2.5 }, /stepDays must be an integer ≥ 1, got 2.5/],
    [
      'horizonDays negative',
      { decisionDate: D, horizonDays: -14 },
      /horizonDays must be an integer ≥ 1, got -14/,
    ],
    [
      'decisionDate not a date',
      { decisionDate: '01/03/2025' },
      /decisionDate must be a date YYYY-MM-DD, got "01\/03\/2025"/,
    ],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    await expect(buildTrainingExamples(history, options)).rejects.toThrow(message);
  });
});

describe('bad decision pairs are refused', () => {
  const pairs = (over: Partial<DecisionPairs>): DecisionPairs => ({
    clientIds: ['C1'],
    productIds: ['P_C'],
    client: Int32Array.from([0]),
    product: Int32Array.from([0]),
    ...over,
  });
  const cases: [string, string, DecisionPairs | undefined, RegExp][] = [
    ['a date that is not one', 'soon', undefined, /decision date must be YYYY-MM-DD, got "soon"/],
    ['an unknown client', '2025-03-01', pairs({ clientIds: ['C9'] }), /client C9 of the pairs is not in/],
    [
      'an unknown product',
      '2025-03-01',
      pairs({ productIds: ['P_Z'] }),
      /product P_Z of the pairs is not in the catalogue/,
    ],
    [
      'lengths that differ',
      '2025-03-01',
      pairs({ client: Int32Array.from([0, 0]) }),
      /pairs.client has 2 entries, pairs.product 1/,
    ],
  ];
  it.each(cases)('%s', async (_, date, p, message) => {
    await expect(buildDecisionRows(history, date, p)).rejects.toThrow(message);
  });
});

describe('a folder that breaks the data contract', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a missing products.csv', { 'products.csv': '' }, /products\.csv.*(missing|empty)/],
    [
      'a bad timestamp in events.csv',
      { 'events.csv': `${HAND_FILES['events.csv']}E9,C1,W9,yesterday,login,,\n` },
      /expected.*timestamp|ISO 8601/i,
    ],
    [
      'an unknown outcome in solicitations.csv',
      {
        'solicitations.csv': `${HAND_FILES['solicitations.csv']}S9,C1,P_B,email,,2025-01-20T09:00:00Z,,bought,\n`,
      },
      /outcome/,
    ],
  ];
  it.each(cases)('%s is refused with where it is', async (name, files, message) => {
    const dir = join(work, name.replaceAll(' ', '-'));
    const all = { ...HAND_FILES, ...files };
    const kept = Object.fromEntries(Object.entries(all).filter(([, text]) => text !== ''));
    writeHandFixture(dir, kept);
    await expect(loadHistory(folderSource(dir))).rejects.toThrow(message);
  });
});
