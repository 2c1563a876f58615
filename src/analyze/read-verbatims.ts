import neo4j from 'neo4j-driver';
import type { Db } from '../db/executor.js';
import { query } from '../db/queries.js';
import type { CatalogEntry } from '../text/about.js';

const verbatimPage = query('read/analyze-verbatim-page');
const textCatalog = query('read/analyze-text-catalog');

/** A verbatim as the text analysis reads it. */
export interface VerbatimText {
  readonly id: string;
  readonly text: string;
  /** The client's score (0..10), when the export has one. */
  readonly score: number | undefined;
  /** The product and channel it is linked ABOUT in the graph, when any. */
  readonly productId?: string | undefined;
  readonly channelId?: string | undefined;
}

/** Product and channel names (for src/text/about.ts), in id order. */
export async function readTextCatalog(
  db: Db,
): Promise<{ products: CatalogEntry[]; channels: CatalogEntry[] }> {
  const [row] = await db.read<{ products: CatalogEntry[]; channels: CatalogEntry[] }>(textCatalog);
  const byId = (a: CatalogEntry, b: CatalogEntry): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    products: [...(row?.products ?? [])].sort(byId),
    channels: [...(row?.channels ?? [])].sort(byId),
  };
}

/**
 * Streams the verbatims out of Neo4j in pages of `pageSize` (keyset pagination on the unique id
 * index, so every page is an index range scan), in id order.
 */
export async function* readVerbatims(
  db: Db,
  options: { pageSize?: number } = {},
): AsyncGenerator<VerbatimText[]> {
  const pageSize = options.pageSize ?? 1_000;
  let after = '';
  for (;;) {
    const page = await db.read<{
      id: string;
      text: string | null;
      score: number | null;
      productId: string | null;
      channelId: string | null;
    }>(verbatimPage, { after, limit: neo4j.int(pageSize) });
    if (page.length === 0) return;
    yield page.map((r) => ({
      id: r.id,
      text: r.text ?? '',
      score: r.score ?? undefined,
      productId: r.productId ?? undefined,
      channelId: r.channelId ?? undefined,
    }));
    after = page[page.length - 1]!.id;
    if (page.length < pageSize) return;
  }
}
