import type { Db } from '../db/executor.js';
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
}

/**
 * `nbg analyze`, graph part: reads the client projection from Neo4j in pages, computes embeddings,
 * similar clients and communities (src/analyze/graph-analysis.ts), and writes them back.
 */
export async function analyze(
  db: Db,
  options: Partial<GraphAnalysisOptions> & { onProgress?: (phase: string, done: number) => void } = {},
): Promise<AnalyzeSummary> {
  const started = performance.now();
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
  const t = performance.now();
  const w = await writeGraphAnalysis(db, a, profiles, {
    onRows: (n) => {
      written += n;
      options.onProgress?.('write', written);
    },
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
    seconds: (performance.now() - started) / 1000,
    timings: { ...a.timings, 'write back': (performance.now() - t) / 1000 },
  };
}
