import { describe, expect, it } from 'vitest';
import type { VerbatimText } from '../../src/analyze/read-verbatims.js';
import { analyzeVerbatims } from '../../src/analyze/verbatim-analysis.js';
import type { Embedder } from '../../src/text/embed.js';

/**
 * A stand-in embedder (no model): one axis per theme word, one for the tone, unit norm. Enough to
 * check the wiring: order, topic ids by size, names, shares, progress.
 */
const fakeEmbedder: Embedder = {
  dim: 4,
  modelDir: 'fake',
  dtype: 'fp32',
  embed: async (texts) =>
    texts.map((t) => {
      const v = Float32Array.from([
        t.includes('carte') ? 1 : 0,
        t.includes('appli') ? 1 : 0,
        t.includes('bravo') ? 0.15 : t.includes('honte') ? -0.15 : 0,
        0.1,
      ]);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    }),
  dispose: async () => {},
};

function world(): VerbatimText[][] {
  const rows: VerbatimText[] = [];
  for (let i = 0; i < 60; i++) {
    const theme = i % 3 === 0 ? 'appli lente' : 'carte bloquée';
    const good = i % 2 === 0;
    rows.push({
      id: `V${String(i).padStart(3, '0')}`,
      text: `${theme} ${good ? 'bravo' : 'honte'}`,
      score: i < 50 ? (good ? 9 : 1) : undefined,
      // card verbatims are linked to the premium card, except every fifth (found from its text)
      productId: theme.startsWith('carte') && i % 5 !== 0 ? 'P_PREMIUM_CARD' : undefined,
    });
  }
  return [rows.slice(0, 25), rows.slice(25)];
}

describe('analyzeVerbatims', () => {
  it('embeds, classifies and clusters, with topic ids by size and names from their terms', async () => {
    const seen: number[] = [];
    const a = await analyzeVerbatims(world(), fakeEmbedder, {
      topics: 2,
      seed: 1,
      chunk: 10,
      products: [
        { id: 'P_BUDGET_APP', name: 'Service Budget+ (appli)', keywords: ['appli'] },
        { id: 'P_PREMIUM_CARD', name: 'Carte Visa Premier', keywords: ['carte'] },
      ],
      onProgress: (_, done) => seen.push(done),
    });
    expect(a?.ids).toHaveLength(60);
    expect(a?.ids[59]).toBe('V059');
    expect(a?.sentiment.every((s) => s.method === 'logistic')).toBe(true);
    expect(a?.sentiment.map((s) => s.label)).toEqual(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
    );
    expect(a?.topics.map((t) => [t.id, t.size, t.terms[0]])).toEqual([
      ['T0', 40, 'bloquee'], // ties with 'carte' (same counts), broken alphabetically
      ['T1', 20, 'appli'],
    ]);
    expect(a?.topics[0]?.name).toMatch(/^bloquee \/ carte \/ \S+$/);
    expect(a?.topics[1]?.negativeShare).toBeCloseTo(0.5, 10);
    expect(a?.topics.map((t) => t.products)).toEqual([['P_PREMIUM_CARD'], ['P_BUDGET_APP']]);
    expect(a?.about[5]).toEqual({
      productId: 'P_PREMIUM_CARD',
      channelId: undefined,
      productFrom: 'text',
      channelFrom: 'none',
    });
    expect(a?.about[1]?.productFrom).toBe('column');
    expect(a?.topic[0]).toBe(1);
    expect(a?.topic[1]).toBe(0);
    // 25 then 35 texts, in chunks of 10
    expect(seen).toEqual([10, 20, 25, 35, 45, 55, 60]);
  });

  it('returns nothing for fewer than 2 verbatims', async () => {
    expect(await analyzeVerbatims([[{ id: 'V1', text: 'carte', score: 3 }]], fakeEmbedder)).toBeUndefined();
  });

  it.each([0, -1, 1.5])('rejects chunk %d', async (chunk) => {
    await expect(analyzeVerbatims(world(), fakeEmbedder, { chunk })).rejects.toThrow(
      /chunk must be a positive integer/,
    );
  });
});
