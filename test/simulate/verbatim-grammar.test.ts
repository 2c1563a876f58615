import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { composeVerbatim, VERBATIM_TOPICS } from '../../src/simulate/verbatim-grammar.js';

const NEGATIVE_MARKERS =
  /trop|harcèlement|arrêtez|pénibles|intrusifs|décevant|jamais|abusifs|plante|lente|impossible|changer de banque|ne supporte plus|élevés|sans intérêt|baisse|promis|pas content|déçu/i;

describe('simulate/verbatim-grammar', () => {
  it('is deterministic for a seed', () => {
    const a = composeVerbatim(createRng(3), { topic: 'product', sentiment: 0.8, productId: 'P_PEA' });
    const b = composeVerbatim(createRng(3), { topic: 'product', sentiment: 0.8, productId: 'P_PEA' });
    expect(a).toBe(b);
  });

  it('produces varied texts: at least 300 distinct among 500', () => {
    const rng = createRng(1);
    const texts = new Set<string>();
    for (let i = 0; i < 500; i++) {
      texts.add(
        composeVerbatim(rng, {
          topic: VERBATIM_TOPICS[i % VERBATIM_TOPICS.length]!,
          sentiment: (i % 21) / 10 - 1,
          productId: 'P_LIVRET_A',
          channelId: 'sms',
        }),
      );
    }
    expect(texts.size).toBeGreaterThanOrEqual(300);
  });

  it('complaints dominate at low satisfaction, praise at high', () => {
    const rng = createRng(2);
    let negLow = 0;
    let negHigh = 0;
    for (let i = 0; i < 400; i++) {
      const topic = VERBATIM_TOPICS[i % VERBATIM_TOPICS.length]!;
      if (NEGATIVE_MARKERS.test(composeVerbatim(rng, { topic, sentiment: -0.8, channelId: 'phone' })))
        negLow++;
      if (NEGATIVE_MARKERS.test(composeVerbatim(rng, { topic, sentiment: 0.8, channelId: 'phone' })))
        negHigh++;
    }
    expect(negLow).toBeGreaterThan(250);
    expect(negHigh).toBeLessThan(150);
  });

  it('mentions the product and the channel it is about', () => {
    const rng = createRng(4);
    let product = 0;
    let channel = 0;
    for (let i = 0; i < 200; i++) {
      const text = composeVerbatim(rng, {
        topic: 'solicitation',
        sentiment: -0.9,
        productId: 'P_PEL',
        channelId: 'sms',
      }).toLowerCase();
      if (/pel|plan d'épargne logement|plan d'epargne logement/.test(text)) product++;
      if (/sms|texto/.test(text)) channel++;
    }
    expect(product).toBeGreaterThan(40);
    expect(channel).toBeGreaterThan(40);
  });
});
