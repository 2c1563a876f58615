import type { Db } from '../db/executor.js';
import { stopwatch } from '../stopwatch.js';
import { createEmbedder } from '../text/embed.js';
import { readTextCatalog, readVerbatims, type VerbatimText } from './read-verbatims.js';
import { analyzeVerbatims, type VerbatimAnalysisOptions } from './verbatim-analysis.js';
import { writeVerbatimAnalysis } from './write-verbatims.js';

export interface TextSummary {
  readonly verbatims: number;
  readonly topics: number;
  /** Topic names, largest topic first, with the products and channels they are most about. */
  readonly topicNames: readonly string[];
  readonly topicAbout: readonly string[];
  /** Verbatims whose product or channel was found in their text (no ABOUT link before). */
  readonly aboutFromText: number;
  readonly positive: number;
  readonly negative: number;
  readonly mixed: number;
  readonly method: 'logistic' | 'zero-shot' | 'none';
  readonly vectorIndex: boolean;
  readonly seconds: number;
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * `nbg analyze`, text part: reads the verbatims from Neo4j in pages, embeds them with the local
 * text model, classifies sentiment, finds topics (src/analyze/verbatim-analysis.ts) and writes
 * them back (src/analyze/write-verbatims.ts). With fewer than 2 verbatims there is nothing to
 * cluster: nothing is written and the model is not loaded.
 */
export async function analyzeText(
  db: Db,
  options: Partial<VerbatimAnalysisOptions> & {
    modelsDir?: string;
    onProgress?: (phase: string, done: number) => void;
  } = {},
): Promise<TextSummary> {
  const sw = stopwatch();
  const pages: VerbatimText[][] = [];
  for await (const page of readVerbatims(db)) pages.push(page);
  const none: TextSummary = {
    verbatims: pages.reduce((s, p) => s + p.length, 0),
    topics: 0,
    topicNames: [],
    topicAbout: [],
    aboutFromText: 0,
    positive: 0,
    negative: 0,
    mixed: 0,
    method: 'none',
    vectorIndex: false,
    seconds: 0,
    timings: {},
  };
  if (none.verbatims < 2) return { ...none, seconds: sw.seconds() };
  const embedder = await createEmbedder(options.modelsDir ? { modelsDir: options.modelsDir } : {});
  try {
    const a = await analyzeVerbatims(pages, embedder, { ...options, ...(await readTextCatalog(db)) });
    if (!a) return none;
    let written = 0;
    sw.lap('analysis');
    const w = await writeVerbatimAnalysis(db, a, {
      onRows: (n) => {
        written += n;
        options.onProgress?.('write', written);
      },
    });
    const positive = a.sentiment.filter((s) => s.label === 1).length;
    return {
      verbatims: a.ids.length,
      topics: w.topics,
      topicNames: a.topics.map((x) => x.name),
      topicAbout: a.topics.map((x) => [...x.products, ...x.channels].join(', ')),
      aboutFromText: a.about.filter((b) => b.productFrom === 'text' || b.channelFrom === 'text').length,
      positive,
      negative: a.ids.length - positive,
      mixed: a.sentiment.filter((s) => s.mixed).length,
      method: a.sentiment[0]?.method ?? 'none',
      vectorIndex: w.vectorIndex,
      seconds: sw.seconds(),
      timings: { ...a.timings, 'write back': sw.lap('write back') },
    };
  } finally {
    await embedder.dispose();
  }
}
