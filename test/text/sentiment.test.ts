import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { readCsv } from '../../src/csv/reader.js';
import { createEmbedder, defaultModelsDir, type Embedder } from '../../src/text/embed.js';
import { lexiconClassify, lexiconScore, tokenizeFrench } from '../../src/text/lexicon-sentiment.js';
import { fitLogistic } from '../../src/text/logistic-regression.js';
import { createZeroShotSentiment } from '../../src/text/zero-shot-sentiment.js';

interface Labelled {
  readonly id: string;
  readonly y: number;
  readonly text: string;
}

async function loadFixture(): Promise<Labelled[]> {
  const out: Labelled[] = [];
  let header = true;
  for await (const batch of readCsv(join(import.meta.dirname, '../fixtures/verbatims/fixture.csv')))
    for (const { fields } of batch) {
      if (header) {
        header = false;
        continue;
      }
      const [id, label, text] = fields as [string, string, string];
      out.push({ id, y: label === 'positive' ? 1 : 0, text });
    }
  return out;
}

const accuracy = (pred: ArrayLike<number>, rows: readonly Labelled[]): number =>
  rows.filter((r, i) => pred[i] === r.y).length / rows.length;

describe('text sentiment on the 60 hand-written French verbatims', () => {
  let rows: Labelled[];
  let embedder: Embedder;
  let X: Float32Array[];
  beforeAll(async () => {
    rows = await loadFixture();
    const modelsDir = defaultModelsDir();
    await ensureTextModel({ modelsDir });
    embedder = await createEmbedder({ modelsDir });
    X = await embedder.embed(rows.map((r) => r.text));
  }, 300_000);

  it('has 60 labelled verbatims, 30 of each class', () => {
    expect(rows).toHaveLength(60);
    expect(rows.filter((r) => r.y === 1)).toHaveLength(30);
  });

  it('zero-shot prototypes reach 0.8 (measured 53/60)', async () => {
    const zs = await createZeroShotSentiment(embedder);
    expect(accuracy(zs.classify(X), rows)).toBeGreaterThanOrEqual(48 / 60);
  });

  it('logistic regression on embeddings, 5-fold, reaches 0.8 (measured 50/60 and 54/60 on two machines)', () => {
    const pred = new Uint8Array(rows.length);
    for (let f = 0; f < 5; f++) {
      const train = rows.map((_, i) => i).filter((i) => i % 5 !== f);
      const m = fitLogistic(
        train.map((i) => X[i] as Float32Array),
        train.map((i) => (rows[i] as Labelled).y),
      );
      for (let i = f; i < rows.length; i += 5) pred[i] = m.probability(X[i] as Float32Array) > 0.5 ? 1 : 0;
    }
    // int8 kernels differ by CPU (50/60 on one machine, 54/60 on another); the target is 0.8
    expect(accuracy(pred, rows)).toBeGreaterThanOrEqual(48 / 60);
  });

  it('the lexicon baseline reaches 0.85 (51/60; in-sample, see docs/text.md)', () => {
    expect(accuracy(lexiconClassify(rows.map((r) => r.text)), rows)).toBeCloseTo(51 / 60, 5);
  });
});

describe('lexicon sentiment rules', () => {
  it.each([
    ['Très satisfait, conseiller efficace', 1],
    ['Je ne suis pas satisfait', 0],
    ['Jamais eu de problème', 1],
    ['Accueil correct mais délais inadmissibles', 0],
    ['', 0],
  ] as const)('%j → %i', (text, label) => {
    expect(lexiconScore(text) > 0 ? 1 : 0).toBe(label);
  });
  it('folds accents, case and œ', () => {
    expect(tokenizeFrench('Cœur DÉÇU, très!')).toEqual(['coeur', 'decu', 'tres']);
  });
});

describe('logistic regression bad inputs', () => {
  const r = new Float32Array([1, 0]);
  it.each([
    [[], [], /no training rows/],
    [[r], [1, 0], /1 rows but 2 labels/],
    [[r, new Float32Array(3)], [1, 0], /row 1 has 3 features/],
    [[r], [2], /label 0 is 2/],
  ] as const)('rejects case %#', (rows, labels, msg) => {
    expect(() => fitLogistic(rows, labels)).toThrow(msg);
  });
  it('separates a trivially separable set', () => {
    const rows = [
      new Float32Array([1, 0]),
      new Float32Array([0.9, 0.1]),
      new Float32Array([0, 1]),
      new Float32Array([0.1, 0.9]),
    ];
    const m = fitLogistic(rows, [1, 1, 0, 0]);
    expect(m.probability(new Float32Array([1, 0]))).toBeGreaterThan(0.7);
    expect(m.probability(new Float32Array([0, 1]))).toBeLessThan(0.3);
  });
});
