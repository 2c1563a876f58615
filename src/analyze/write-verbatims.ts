import type { Db, Row } from '../db/executor.js';
import { query } from '../db/queries.js';
import type { VerbatimAnalysis } from './verbatim-analysis.js';

const Q = {
  topics: query('write/analyze-topics'),
  verbatims: query('write/analyze-verbatims'),
  deleteStale: query('admin/delete-stale-topics'),
  vectorIndex: query('vector/verbatim-embedding-index'),
};

/**
 * Writes a verbatim analysis back into the graph, in batches: `(:Topic {id, name, terms, size,
 * negativeShare})` nodes, then per verbatim `sentiment` ('positive' | 'negative'),
 * `sentimentMixed`, `sentimentMethod`, the `embedding` vector, `ABOUT {from: 'text'}` the product or
 * channel its text names when it had no such link, and one `MENTIONS` link to its topic
 * (replacing an earlier analysis's), then removes topics nobody mentions and creates the vector
 * index on verbatim embeddings. Idempotent.
 */
export async function writeVerbatimAnalysis(
  db: Db,
  a: VerbatimAnalysis,
  options: { batchSize?: number; onRows?: (n: number) => void } = {},
): Promise<{ topics: number; mentions: number; vectorIndex: boolean }> {
  const batchSize = options.batchSize ?? 1_000;
  const analyzedAt = new Date().toISOString();
  await db.writeBatches(Q.topics, [a.topics.map((t) => ({ ...t, terms: [...t.terms], analyzedAt }))], {
    batchSize,
  });
  function* rows(): Generator<Row[]> {
    for (let start = 0; start < a.ids.length; start += batchSize) {
      const out: Row[] = [];
      for (let i = start; i < Math.min(a.ids.length, start + batchSize); i++) {
        const s = a.sentiment[i];
        out.push({
          id: a.ids[i],
          sentiment: s?.label === 1 ? 'positive' : 'negative',
          mixed: s?.mixed ?? false,
          method: s?.method ?? null,
          embedding: Array.from(a.embeddings[i] as Float32Array),
          topic: a.topics[a.topic[i] as number]?.id,
          textProduct: a.about[i]?.productFrom === 'text' ? a.about[i]?.productId : null,
          textChannel: a.about[i]?.channelFrom === 'text' ? a.about[i]?.channelId : null,
        });
      }
      yield out;
    }
  }
  const w = await db.writeBatches(Q.verbatims, rows(), { batchSize, onBatch: options.onRows });
  await db.write(Q.deleteStale);
  await db.schema(Q.vectorIndex);
  return { topics: a.topics.length, mentions: w.relationshipsCreated, vectorIndex: true };
}
