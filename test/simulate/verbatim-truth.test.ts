import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/csv/reader.js';
import { createRng } from '../../src/rng.js';
import { simulate, TRUTH_VERBATIMS_COLUMNS } from '../../src/simulate/index.js';
import {
  composeVerbatim,
  composeVerbatimDetailed,
  VERBATIM_TOPICS,
} from '../../src/simulate/verbatim-grammar.js';

async function load(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  let header: string[] | undefined;
  for await (const batch of readCsv(path))
    for (const { fields } of batch) {
      if (header) rows.push(fields);
      else header = fields;
    }
  return { header: header ?? [], rows };
}

describe('simulate/verbatim-grammar: the tone a verbatim was written in', () => {
  it('draws exactly as composeVerbatim does (same text for the same stream)', () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 300; i++) {
      const req = { topic: VERBATIM_TOPICS[i % 7]!, sentiment: (i % 21) / 10 - 1, productId: 'P_PEA' };
      expect(composeVerbatimDetailed(a, req).text).toBe(composeVerbatim(b, req));
    }
  });

  it.each([
    [0.9, 'positive', 380],
    [-0.9, 'negative', 380],
    [0, 'mixed', 180],
  ] as const)('sentiment %d is mostly written %s (at least %d of 400)', (sentiment, tone, atLeast) => {
    const rng = createRng(4);
    let n = 0;
    for (let i = 0; i < 400; i++)
      if (composeVerbatimDetailed(rng, { topic: 'general', sentiment }).tone === tone) n++;
    expect(n).toBeGreaterThanOrEqual(atLeast);
  });

  it('flags the « mais » clause of the other polarity', () => {
    const rng = createRng(5);
    for (let i = 0; i < 300; i++) {
      const v = composeVerbatimDetailed(rng, { topic: VERBATIM_TOPICS[i % 7]!, sentiment: 0.4 });
      expect(v.contrast).toBe(/, mais /i.test(v.text));
    }
  });
});

describe('simulate: truth/verbatims.csv', () => {
  let dir = '';
  let verbatims: string[][] = [];
  let truth: { header: string[]; rows: string[][] };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nbg-sim-vtruth-'));
    await simulate({ out: dir, clients: 600, seed: 5 });
    verbatims = (await load(join(dir, 'verbatims.csv'))).rows;
    truth = await load(join(dir, 'truth', 'verbatims.csv'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has one row per verbatim, in the same order, with the documented columns', () => {
    expect(truth.header).toEqual([...TRUTH_VERBATIMS_COLUMNS]);
    // measured for 600 clients, seed 5
    expect(truth.rows).toHaveLength(396);
    expect(truth.rows.map((r) => [r[0], r[1]])).toEqual(verbatims.map((v) => [v[0], v[1]]));
    for (const [, , sat, pol, label, contrast] of truth.rows) {
      expect(Number(sat)).toBeGreaterThanOrEqual(0);
      expect(Number(sat)).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(pol))).toBeLessThanOrEqual(1);
      expect(['positive', 'negative', 'mixed']).toContain(label);
      expect(['true', 'false']).toContain(contrast);
    }
  });

  it('the written tone follows the latent polarity, and the client score follows both', () => {
    const clear = truth.rows.filter((r) => r[4] !== 'mixed');
    const agree = clear.filter((r) => Number(r[3]) > 0 === (r[4] === 'positive')).length;
    // measured 0.918: the tone is drawn from polarity + N(0, 0.25²), so some rows disagree
    expect(agree / clear.length).toBeGreaterThan(0.85);
    expect(agree / clear.length).toBeLessThan(0.97);
    // the training rule of src/text/sentiment.ts: score ≤ 4 negative, ≥ 7 positive (measured 0.863)
    const scored = verbatims
      .map((v, i) => ({ score: Number(v[5] || Number.NaN), label: truth.rows[i]?.[4] }))
      .filter((x) => (x.score <= 4 || x.score >= 7) && x.label !== 'mixed');
    const byScore = scored.filter((x) => x.score >= 7 === (x.label === 'positive')).length;
    expect(byScore / scored.length).toBeGreaterThan(0.8);
    expect(byScore / scored.length).toBeLessThan(0.95);
  });
});
