import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTextModel } from '../../scripts/text-model/install.mjs';
import { readCsv } from '../../src/csv/reader.js';
import { createEmbedder, defaultModelsDir, type Embedder } from '../../src/text/embed.js';
import {
  classifyEmbeddedSentiment,
  classifySentiment,
  type SentimentOptions,
  splitClauses,
} from '../../src/text/sentiment.js';

describe('splitClauses', () => {
  it.each([
    ['Accueil agréable mais frais élevés', ['Accueil agréable', 'frais élevés']],
    ['Appli lente, par contre conseiller top.', ['Appli lente', 'conseiller top.']],
    ['Rien à dire.', ['Rien à dire.']],
    ['Maison achetée grâce au prêt', ['Maison achetée grâce au prêt']],
    ['', ['']],
  ] as const)('%j', (text, clauses) => {
    expect(splitClauses(text)).toEqual(clauses);
  });
});

// measured: 18 of the 20 held-out fixture verbatims (every third one) are right
const ACC_HELD_OUT = 16 / 20;

describe('classifySentiment', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    const modelsDir = defaultModelsDir();
    await ensureTextModel({ modelsDir });
    embedder = await createEmbedder({ modelsDir });
  }, 300_000);

  it('falls back to zero-shot without scores and flags mixed verbatims', async () => {
    const r = await classifySentiment(embedder, [
      { text: 'Conseillère formidable, tout a été réglé en une journée.' },
      { text: 'Trois semaines sans réponse, c’est honteux.' },
      { text: 'Le conseiller est très gentil mais les frais sont scandaleux et abusifs.' },
    ]);
    expect(r.map((x) => x.method)).toEqual(['zero-shot', 'zero-shot', 'zero-shot']);
    expect(r.map((x) => x.label)).toEqual([1, 0, 0]);
    expect(r.map((x) => x.mixed)).toEqual([false, false, true]);
  });

  it('trains the regression on scored verbatims: fixture, 40 scored, 20 held out', async () => {
    const rows: { text: string; y: number }[] = [];
    for await (const batch of readCsv(join(import.meta.dirname, '../fixtures/verbatims/fixture.csv')))
      for (const { line, fields } of batch)
        if (line > 1) rows.push({ text: fields[2] as string, y: fields[1] === 'positive' ? 1 : 0 });
    const held = (i: number) => i % 3 === 0;
    const r = await classifySentiment(
      embedder,
      rows.map((x, i) => ({ text: x.text, score: held(i) ? undefined : x.y === 1 ? 9 : 2 })),
    );
    expect(r[0]?.method).toBe('logistic');
    const test = rows.map((x, i) => ({ ...x, i })).filter((x) => held(x.i));
    const acc = test.filter((x) => r[x.i]?.label === x.y).length / test.length;
    // int8 kernels differ by CPU (18/20 on one machine, 17/20 on another); the target is 0.8
    expect(acc).toBeGreaterThanOrEqual(ACC_HELD_OUT);
  });

  const zero = (): Float32Array => new Float32Array(384);
  it.each([
    ['score thresholds crossed', { negativeMaxScore: 7, positiveMinScore: 7 }, 2, /must be below/],
    ['minTrain below 2', { minTrain: 1 }, 2, /need 2 ≤ minTrain ≤ maxTrain, got minTrain 1/],
    ['maxTrain below minTrain', { minTrain: 50, maxTrain: 40 }, 2, /got minTrain 50, maxTrain 40/],
    ['one embedding for two texts', {}, 1, /2 verbatims but 1 embeddings/],
  ] as [string, Partial<SentimentOptions>, number, RegExp][])('rejects %s', async (_, options, n, msg) => {
    const rows = Array.from({ length: n }, zero);
    await expect(
      classifyEmbeddedSentiment(embedder, [{ text: 'a' }, { text: 'b' }], rows, options),
    ).rejects.toThrow(msg);
  });

  it('checks the options before embedding anything', async () => {
    await expect(
      classifySentiment(embedder, [{ text: 'a' }], { negativeMaxScore: 7, positiveMinScore: 7 }),
    ).rejects.toThrow(/must be below/);
  });
});
