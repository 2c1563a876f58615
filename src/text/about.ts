/**
 * What a verbatim is about: its product and channel. The verbatims.csv columns product_id and
 * channel_id win when filled; otherwise the text is matched against the catalogue names: a name
 * matches when every content word of it (accent-folded, ≥ 3 letters, stop words and parenthesised
 * parts dropped) appears in the text, or when one of the extra keywords does. Among matches the
 * name with the most words wins (the most specific), ties by catalogue order.
 */
import { FRENCH_STOP_WORDS } from './class-tfidf.js';
import { tokenizeFrench } from './lexicon-sentiment.js';

export interface CatalogEntry {
  readonly id: string;
  readonly name: string;
  /** Extra accent-folded words that alone identify the entry (e.g. 'appli' for the mobile app). */
  readonly keywords?: readonly string[];
}

export interface About {
  readonly productId: string | undefined;
  readonly channelId: string | undefined;
  readonly productFrom: 'column' | 'text' | 'none';
  readonly channelFrom: 'column' | 'text' | 'none';
}

function nameWords(name: string): string[] {
  return tokenizeFrench(name.replace(/\([^)]*\)/g, ' ')).filter(
    (w) => w.length >= 3 && !FRENCH_STOP_WORDS.has(w),
  );
}

/** Best catalogue entry mentioned in `words`, or undefined. */
export function matchCatalog(
  words: ReadonlySet<string>,
  catalog: readonly CatalogEntry[],
): string | undefined {
  let best: string | undefined;
  let bestLen = 0;
  for (const e of catalog) {
    const ws = nameWords(e.name);
    const byName = ws.length > 0 && ws.every((w) => words.has(w));
    const byKeyword = (e.keywords ?? []).some((k) => words.has(k));
    const len = byName ? ws.length : byKeyword ? 1 : 0;
    if (len > bestLen) {
      best = e.id;
      bestLen = len;
    }
  }
  return best;
}

export function attributeAbout(
  verbatim: {
    readonly text: string;
    readonly product_id?: string | undefined;
    readonly channel_id?: string | undefined;
  },
  products: readonly CatalogEntry[],
  channels: readonly CatalogEntry[],
): About {
  const words = new Set(tokenizeFrench(verbatim.text));
  const p = verbatim.product_id ? verbatim.product_id : matchCatalog(words, products);
  const c = verbatim.channel_id ? verbatim.channel_id : matchCatalog(words, channels);
  return {
    productId: p,
    channelId: c,
    productFrom: verbatim.product_id ? 'column' : p ? 'text' : 'none',
    channelFrom: verbatim.channel_id ? 'column' : c ? 'text' : 'none',
  };
}
