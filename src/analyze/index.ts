import type { Db } from '../db/executor.js';
import { stopwatch } from '../stopwatch.js';
import { locateTextModel } from '../text/embed.js';
import { analyzeText, type TextSummary } from './analyze-text.js';
import { analyzeGraph, type GraphAnalysisOptions } from './graph-analysis.js';
import { type ClientProfile, readCatalog, readProjection } from './read-projection.js';
import { writeGraphAnalysis } from './write-back.js';

export interface AnalyzeSummary {
  readonly clients: number;
  readonly nodes: number;
  readonly edges: number;
  readonly communities: number;
  readonly modularity: number;
  readonly projectionModularity: number;
  readonly similarTo: number;
  readonly vectorIndex: boolean;
  readonly seconds: number;
  readonly timings: Readonly<Record<string, number>>;
  /** The text phase (verbatims), unless `text: false`. */
  readonly text: TextSummary | undefined;
}

/**
 * `nbg analyze`, graph part: reads the client projection from Neo4j in pages, computes embeddings,
 * similar clients and communities (src/analyze/graph-analysis.ts), and writes them back; then the
 * text part (src/analyze/analyze-text.ts): verbatim embeddings, sentiment and topics.
 */
export async function analyze(
  db: Db,
  options: Partial<GraphAnalysisOptions> & {
    onProgress?: (phase: string, done: number) => void;
    /** Run the text phase after the graph phase (default true); `modelsDir` for the text model. */
    text?: boolean;
    modelsDir?: string;
  } = {},
): Promise<AnalyzeSummary> {
  if (options.text !== false) locateTextModel(options.modelsDir); // fail before the long graph phase
  const sw = stopwatch();
  const profiles = new Map<string, ClientProfile>();
  let read = 0;
  const pages = readProjection(db, {
    onClient: (c) => {
      profiles.set(c.id, c);
      read++;
      if (read % 1000 === 0) options.onProgress?.('read', read);
    },
  });
  const a = await analyzeGraph(pages, await readCatalog(db), options);
  let written = 0;
  sw.lap('analysis');
  const w = await writeGraphAnalysis(db, a, profiles, {
    onRows: (n) => {
      written += n;
      options.onProgress?.('write', written);
    },
  });
  const writeBack = sw.lap('write back');
  const graphSeconds = sw.seconds();
  const text =
    options.text === false
      ? undefined
      : await analyzeText(db, {
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }),
          onProgress: (phase, done) => options.onProgress?.(`text:${phase}`, done),
        });
  return {
    clients: a.clientIds.length,
    nodes: a.nodes,
    edges: a.edges,
    communities: w.communities,
    modularity: a.modularity,
    projectionModularity: a.projectionModularity,
    similarTo: w.similarTo,
    vectorIndex: w.vectorIndex,
    seconds: graphSeconds,
    timings: { ...a.timings, 'write back': writeBack },
    text,
  };
}
