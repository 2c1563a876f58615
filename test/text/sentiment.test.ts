import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { readCsv } from '../../src/csv/reader.js';
import { createRng } from '../../src/rng.js';
import { CHANNELS, PRODUCTS } from '../../src/simulate/catalog.js';
import { composeVerbatimDetailed, VERBATIM_TOPICS } from '../../src/simulate/verbatim-grammar.js';
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
});

describe('lexicon sentiment on held-out verbatims', () => {
  // The list was written looking at the 60-verbatim fixture, so its fixture figure (51/60) is
  // in-sample. Held out: 2,000 verbatims of the simulator's grammar (seeded polarities in [−1, 1],
  // every topic, product and channel), scored against the tone each was written in, 'mixed' ones
  // left out (1,674 remain, half positive). A constant answer gets 0.5, the flipped lexicon 0.31.
  const rng = createRng(11);
  const texts: string[] = [];
  const tones: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = composeVerbatimDetailed(rng, {
      topic: VERBATIM_TOPICS[i % VERBATIM_TOPICS.length]!,
      sentiment: 2 * rng.next() - 1,
      productId: PRODUCTS[i % PRODUCTS.length]!.id,
      channelId: CHANNELS[i % CHANNELS.length]!.id,
    });
    if (v.tone === 'mixed') continue;
    texts.push(v.text);
    tones.push(v.tone === 'positive' ? 1 : 0);
  }

  it('reaches 0.75 (measured 0.765; 0.763 on a simulated world in docs/text.md)', () => {
    const pred = lexiconClassify(texts);
    expect(texts.length).toBe(1674);
    expect(pred.filter((p, i) => p === tones[i]).length / texts.length).toBeGreaterThanOrEqual(0.75);
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
