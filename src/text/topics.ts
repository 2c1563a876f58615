/**
 * Topics of a set of verbatims, end to end: embed (E5) → centre on the corpus mean and re-normalise
 * → spherical k-means (seeded; k from `chooseK(n) = round(√(n/2))` in [2, 12] unless given) →
 * cluster names from class-based TF-IDF (Grootendorst 2022, BERTopic). Shapes: n texts in,
 * `assignment` n cluster ids out, one `ClassTerms` per non-empty cluster.
 */
import { ErrorCode, NbgError } from '../errors.js';
import { type ClassTerms, classTfIdf } from './class-tfidf.js';
import type { Embedder } from './embed.js';
import { centerRows, chooseK, kmeans } from './kmeans.js';

export interface TopicsOptions {
  /** Number of clusters; 0 = chooseK(n). */
  k: number;
  seed: number;
  topTerms: number;
}
export const TOPICS_DEFAULTS: Readonly<TopicsOptions> = Object.freeze({ k: 0, seed: 42, topTerms: 5 });

export interface Topics {
  readonly k: number;
  readonly assignment: Uint32Array;
  readonly topics: ClassTerms[];
}

/** Embeds the texts, then `topicsOfEmbeddings`. */
export async function findTopics(
  embedder: Embedder,
  texts: readonly string[],
  options: Partial<TopicsOptions> = {},
): Promise<Topics> {
  if (texts.length < 2)
    throw new NbgError(ErrorCode.BAD_INPUT, `topics: need at least 2 verbatims, got ${texts.length}`);
  return topicsOfEmbeddings(texts, await embedder.embed(texts), options);
}

/** Topics of texts whose E5 embeddings (`rows[i]` for `texts[i]`, unit norm) are already computed. */
export function topicsOfEmbeddings(
  texts: readonly string[],
  rows: readonly Float32Array[],
  options: Partial<TopicsOptions> = {},
): Topics {
  const o = { ...TOPICS_DEFAULTS, ...options };
  if (texts.length < 2)
    throw new NbgError(ErrorCode.BAD_INPUT, `topics: need at least 2 verbatims, got ${texts.length}`);
  if (rows.length !== texts.length)
    throw new NbgError(ErrorCode.BAD_INPUT, `topics: ${texts.length} texts but ${rows.length} embeddings`);
  const k = o.k > 0 ? o.k : chooseK(texts.length);
  if (k > texts.length)
    throw new NbgError(ErrorCode.BAD_INPUT, `topics: k = ${k} exceeds the ${texts.length} verbatims`);
  const { assignment } = kmeans(centerRows(rows), k, { seed: o.seed });
  return { k, assignment, topics: classTfIdf(texts, assignment, { topTerms: o.topTerms }) };
}
