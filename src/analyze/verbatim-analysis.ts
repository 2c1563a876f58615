import { ErrorCode, NbgError } from '../errors.js';
import { stopwatch } from '../stopwatch.js';
import { type About, attributeAbout, type CatalogEntry } from '../text/about.js';
import type { Embedder } from '../text/embed.js';
import { classifyEmbeddedSentiment, type SentimentResult } from '../text/sentiment.js';
import { topicsOfEmbeddings } from '../text/topics.js';
import type { VerbatimText } from './read-verbatims.js';

export interface VerbatimAnalysisOptions {
  /** Number of topics; 0 = round(√(n/2)) clamped to [2, 12]. */
  readonly topics: number;
  /** Terms kept per topic (the first three name it). */
  readonly topTerms: number;
  readonly seed: number;
  /** Texts per progress report (and per call to the embedder). */
  readonly chunk: number;
  /** Catalogue names, to find the product or channel of a verbatim that has no ABOUT link. */
  readonly products: readonly CatalogEntry[];
  readonly channels: readonly CatalogEntry[];
}

export const VERBATIM_ANALYSIS_DEFAULTS: Readonly<VerbatimAnalysisOptions> = Object.freeze({
  topics: 0,
  topTerms: 5,
  seed: 42,
  chunk: 1_000,
  products: [],
  channels: [],
});

export interface VerbatimTopic {
  /** `T0`, `T1`, … in order of size (largest first). */
  readonly id: string;
  /** The top three terms, joined by ' / '. */
  readonly name: string;
  readonly terms: readonly string[];
  readonly size: number;
  /** Share of its verbatims classified negative. */
  readonly negativeShare: number;
  /** The (at most 2) products and channels its verbatims are most about, most frequent first. */
  readonly products: readonly string[];
  readonly channels: readonly string[];
}

export interface VerbatimAnalysis {
  readonly ids: readonly string[];
  /** One unit-norm E5 row (384 floats) per verbatim, in the order of `ids`. */
  readonly embeddings: readonly Float32Array[];
  readonly sentiment: readonly SentimentResult[];
  /** Index into `topics` per verbatim. */
  readonly topic: Uint32Array;
  readonly topics: readonly VerbatimTopic[];
  /** Product and channel per verbatim: from its ABOUT links, else from its text (src/text/about.ts). */
  readonly about: readonly About[];
  /** Seconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The text half of `nbg analyze`, in memory: embeds every verbatim with the local E5 model
 * (src/text/embed.ts), classifies sentiment (regression on the scored verbatims, zero-shot when
 * scores are too few; src/text/sentiment.ts) and finds topics (centred spherical k-means named by
 * class-based TF-IDF; src/text/topics.ts), reusing the one embedding per verbatim, and what each
 * verbatim is about (its ABOUT links, else the catalogue names in its text). Deterministic
 * for the same pages and seed. `onProgress(phase, done)` reports texts embedded.
 * Memory: n × 384 floats (about 1.5 KB per verbatim).
 */
export async function analyzeVerbatims(
  pages: AsyncIterable<readonly VerbatimText[]> | Iterable<readonly VerbatimText[]>,
  embedder: Embedder,
  options: Partial<VerbatimAnalysisOptions> & { onProgress?: (phase: string, done: number) => void } = {},
): Promise<VerbatimAnalysis | undefined> {
  const o = { ...VERBATIM_ANALYSIS_DEFAULTS, ...options };
  if (!Number.isInteger(o.chunk) || o.chunk < 1)
    throw new NbgError(
      ErrorCode.BAD_INPUT,
      `analyze verbatims: chunk must be a positive integer, got ${o.chunk}`,
    );
  const sw = stopwatch();
  const verbatims: VerbatimText[] = [];
  const embeddings: Float32Array[] = [];
  let done = 0;
  // Embeds in chunks so long runs report progress; the clauses of mixed texts go through it too.
  const chunked: Embedder = {
    ...embedder,
    embed: async (texts) => {
      const out: Float32Array[] = [];
      for (let s = 0; s < texts.length; s += o.chunk) {
        out.push(...(await embedder.embed(texts.slice(s, s + o.chunk))));
        done += Math.min(o.chunk, texts.length - s);
        options.onProgress?.('embed', done);
      }
      return out;
    },
  };
  for await (const page of pages) {
    verbatims.push(...page);
    embeddings.push(...(await chunked.embed(page.map((v) => v.text))));
  }
  sw.lap('embed');
  if (verbatims.length < 2) return undefined;
  const sentiment = await classifyEmbeddedSentiment(chunked, verbatims, embeddings);
  sw.lap('sentiment');
  const texts = verbatims.map((v) => v.text);
  const found = topicsOfEmbeddings(texts, embeddings, {
    k: o.topics,
    seed: o.seed,
    topTerms: o.topTerms,
  });
  // stable ids by size, largest first
  const order = found.topics
    .map((c) => c.label)
    .sort((a, b) => {
      const sa = found.topics.find((c) => c.label === a)?.size ?? 0;
      const sb = found.topics.find((c) => c.label === b)?.size ?? 0;
      return sb - sa || a - b;
    });
  const rank = new Map(order.map((label, r) => [label, r]));
  const negatives = new Float64Array(order.length);
  const topic = Uint32Array.from(found.assignment, (label) => rank.get(label) as number);
  topic.forEach((r, i) => {
    if (sentiment[i]?.label === 0) negatives[r] = (negatives[r] as number) + 1;
  });
  const about = verbatims.map((v) =>
    attributeAbout(
      { text: v.text, product_id: v.productId, channel_id: v.channelId },
      o.products,
      o.channels,
    ),
  );
  const counts = order.map(() => ({
    products: new Map<string, number>(),
    channels: new Map<string, number>(),
  }));
  topic.forEach((r, i) => {
    const a = about[i] as About;
    const c = counts[r] as (typeof counts)[number];
    if (a.productId) c.products.set(a.productId, (c.products.get(a.productId) ?? 0) + 1);
    if (a.channelId) c.channels.set(a.channelId, (c.channels.get(a.channelId) ?? 0) + 1);
  });
  const top2 = (m: Map<string, number>): string[] =>
    [...m]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, 2)
      .map(([id]) => id);
  const topics = order.map((label, r): VerbatimTopic => {
    const c = found.topics.find((x) => x.label === label);
    const terms = (c?.terms ?? []).map((x) => x.term);
    const size = c?.size ?? 0;
    return {
      id: `T${r}`,
      name: terms.slice(0, 3).join(' / '),
      terms,
      size,
      negativeShare: size > 0 ? (negatives[r] as number) / size : 0,
      products: top2(counts[r]?.products ?? new Map()),
      channels: top2(counts[r]?.channels ?? new Map()),
    };
  });
  sw.lap('topics');
  return { ids: verbatims.map((v) => v.id), embeddings, sentiment, topic, topics, about, timings: sw.laps };
}
