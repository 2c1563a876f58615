import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrainingExamples } from '../../src/features/build-training-examples.js';
import { folderSource } from '../../src/features/folder-source.js';
import { writeExamplesCsv } from '../../src/features/write-examples-csv.js';
import { writeHandFixture } from './hand-fixture.js';

const work = mkdtempSync(join(tmpdir(), 'nbg-features-csv-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeExamplesCsv', () => {
  it('writes one line per row with named pair, channel and contactable columns', async () => {
    const source = folderSource(writeHandFixture(join(work, 'hand')));
    const e = await buildTrainingExamples(source, {
      decisionDate: '2025-03-01',
      windowDays: 28,
      stepDays: 14,
      horizonDays: 14,
      controlRate: 1,
    });
    const file = join(work, 'rows.csv');
    expect(await writeExamplesCsv(e, file)).toBe(4);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const header = lines[0]!.split(',');
    const C = e.channelIds.length;
    expect(header).toHaveLength(4 + e.schema.pair.length + C * e.schema.channel.length + C + 5);
    expect(header.slice(0, 5)).toEqual(['client_id', 'product_id', 'day', 'segment', 'age']);
    expect(header).toContain('email__opted_out');
    expect(header).toContain('contactable__phone');
    expect(header.slice(-5)).toEqual([
      'treatment',
      'treatment_index',
      'outcome',
      'logged_propensity',
      'weight',
    ]);
    const first = Object.fromEntries(lines[1]!.split(',').map((v, i) => [header[i]!, v]));
    expect(first).toMatchObject({
      client_id: 'C1',
      product_id: 'P_B',
      day: '2025-02-01',
      segment: '0',
      age: '45',
      email__consent: '1',
      contactable__email: '1',
      contactable__phone: '0',
      treatment: 'email',
      treatment_index: '0',
      outcome: '0',
      weight: '1',
    });
    expect(Number(first.logged_propensity)).toBeCloseTo(0.05, 7);
    const third = Object.fromEntries(lines[3]!.split(',').map((v, i) => [header[i]!, v]));
    expect(third).toMatchObject({
      product_id: 'P_B',
      treatment: '',
      treatment_index: '-1',
      outcome: '1',
      logged_propensity: '',
    });
  });
});
