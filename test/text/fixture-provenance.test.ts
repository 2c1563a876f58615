import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { CHANNELS, PRODUCTS } from '../../src/simulate/catalog.js';
import { composeVerbatim, VERBATIM_TOPICS } from '../../src/simulate/verbatim-grammar.js';
import { tokenizeFrench } from '../../src/text/lexicon-sentiment.js';

/** Word n-grams (accent- and case-folded) of a text. */
function grams(text: string, n: number): string[] {
  const w = tokenizeFrench(text);
  const out: string[] = [];
  for (let j = 0; j + n <= w.length; j++) out.push(w.slice(j, j + n).join(' '));
  return out;
}

describe('the hand-written sentiment fixture', () => {
  it('is not made from the simulator templates: no run of 6 words in common with 20,000 simulated verbatims', () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/verbatims/fixture.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.length > 0)
      .map((l) => l.split(',').slice(2).join(','));
    expect(fixture).toHaveLength(60);
    const rng = createRng(1);
    const sim5 = new Set<string>();
    const sim6 = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const text = composeVerbatim(rng, {
        topic: VERBATIM_TOPICS[i % VERBATIM_TOPICS.length]!,
        sentiment: ((i * 7) % 21) / 10 - 1,
        productId: PRODUCTS[i % PRODUCTS.length]!.id,
        channelId: CHANNELS[i % CHANNELS.length]!.id,
      });
      for (const g of grams(text, 5)) sim5.add(g);
      for (const g of grams(text, 6)) sim6.add(g);
    }
    expect(fixture.flatMap((t) => grams(t, 6)).filter((g) => sim6.has(g))).toEqual([]);
    // the only shared 5-word run is an everyday phrase
    expect(fixture.flatMap((t) => grams(t, 5)).filter((g) => sim5.has(g))).toEqual(['a pris le temps de']);
  });
});
