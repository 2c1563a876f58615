/**
 * The graph half of issue 5's acceptance figures, measured on the code `nbg analyze` runs
 * (src/analyze/graph-analysis.ts: projection, FastRP, exact top-k, Louvain on the client kNN graph),
 * fed from a simulated dataset folder instead of Neo4j.
 *
 *   npx tsx bench/analyze-graph.ts [--clients 100000] [--data DIR] [--seed 7] [--similarity exact|ivf]
 *                                  [--probes 12] [--threads N] [--resolution 0.5] [--no-beside]
 *
 * Without --data the world is data/sim-graph-<N/1000>k, simulated first (seed 7) when missing.
 * `measureGraph(options)` returns the figures (bench/analyze.ts merges them with the text ones):
 * modularity (of the communities written, on the kNN graph they were found on), personaNmi,
 * holdingsAuc, popularityAuc, seconds100k and peakRssMb100k (the pipeline's wall seconds and the
 * process's peak RSS on the world measured, 100,000 clients for the acceptance figure), and the
 * comparison figures of docs/graph.md ("Which modularity"). The held-out protocol is bench/graph.ts's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Csr,
  createProjectionBuilder,
  csrFromEdges,
  csrToGraph,
  knnGraph,
  louvain,
  nmi,
  projectedModularity,
  seededRandom,
  topKCosineTf,
} from '../graph/index.js';
import { analyzeGraph } from '../src/analyze/graph-analysis.js';
import { stopwatch } from '../src/stopwatch.js';
import { cpuClock } from './lib/cpu-clock.js';
import { folderWorld, heldOutAuc } from './lib/graph-world.js';
import { peakRssMbSelf, reportBench } from './lib/report.js';

export interface MeasureGraphOptions {
  /** Clients of the default world data/sim-graph-<N/1000>k (ignored with `data`). */
  readonly clients: number;
  /** A simulated dataset folder with truth/clients.csv. */
  readonly data?: string;
  readonly seed: number;
  readonly k: number;
  readonly dimensions: number;
  readonly resolution: number;
  readonly similarity: 'exact' | 'ivf';
  readonly probes: number;
  readonly threads?: number;
  /** Share of the clients (with two holdings or more) that get one holding hidden. */
  readonly holdoutFraction: number;
  /** Also compute the comparison figures (bipartite Louvain, rewired null model, IVF recall). */
  readonly beside: boolean;
  /** Print the stages as they end. */
  readonly verbose: boolean;
}

export const DEFAULTS: MeasureGraphOptions = {
  clients: 100_000,
  seed: 7,
  k: 20,
  dimensions: 128,
  resolution: 0.5,
  similarity: 'exact',
  probes: 12,
  holdoutFraction: 0.2,
  beside: true,
  verbose: false,
};

/** The world folder: `data`, else data/sim-graph-<N/1000>k, simulated when missing. */
function worldFolder(o: MeasureGraphOptions): string {
  if (o.data) return o.data;
  const dir = join('data', `sim-graph-${Math.round(o.clients / 1000)}k`);
  if (!existsSync(join(dir, 'truth', 'clients.csv'))) {
    const run = spawnSync(
      'npx',
      ['tsx', 'src/cli/run.ts', 'simulate', '--out', dir, '--clients', String(o.clients), '--seed', '7'],
      { stdio: 'inherit' },
    );
    if (run.status !== 0)
      throw new Error(`bench/analyze-graph: simulating ${dir} failed (exit ${run.status})`);
  }
  return dir;
}

/**
 * A random graph with the degree sequence of `csr` (configuration model: weighted stubs shuffled
 * with a seed and paired; self-loops and repeated pairs dropped): what Louvain finds there is the
 * modularity that structure-free graphs of this density reach (Guimerà et al. 2004).
 */
function rewired(csr: Csr, seed: number): Csr {
  const stubs: number[] = [];
  for (let u = 0; u < csr.nodeCount; u++)
    for (let p = csr.offsets[u]!; p < csr.offsets[u + 1]!; p++)
      if (csr.targets[p]! > u) stubs.push(u, csr.targets[p]!);
  const rng = seededRandom(seed);
  for (let i = stubs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = stubs[i]!;
    stubs[i] = stubs[j]!;
    stubs[j] = t;
  }
  const seen = new Set<number>();
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i + 1 < stubs.length; i += 2) {
    const a = Math.min(stubs[i]!, stubs[i + 1]!);
    const b = Math.max(stubs[i]!, stubs[i + 1]!);
    const key = a * csr.nodeCount + b;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    src.push(a);
    dst.push(b);
  }
  return csrFromEdges(csr.nodeCount, src, dst, undefined, { nodes: csr.nodes });
}

export async function measureGraph(
  options: Partial<MeasureGraphOptions> = {},
): Promise<Record<string, number>> {
  const o = { ...DEFAULTS, ...options };
  const dir = worldFolder(o);
  const world = await folderWorld(dir, { seed: o.seed, holdoutFraction: o.holdoutFraction });
  const n = world.clientIds.length;
  const say = (line: string): void => {
    if (o.verbose) process.stdout.write(`${line}\n`);
  };
  say(`bench/analyze-graph: ${world.name}`);

  const cpuWatch = stopwatch(cpuClock);
  const wall = stopwatch();
  const a = await analyzeGraph(
    world.pages,
    { products: world.productIds, channels: [] },
    {
      dimensions: o.dimensions,
      k: o.k,
      resolution: o.resolution,
      seed: o.seed,
      similarity: o.similarity,
      probes: o.probes,
      ...(o.threads ? { threads: o.threads } : {}),
    },
  );
  const seconds = wall.seconds();
  const cpuSeconds = cpuWatch.seconds();
  const peakRssMb = peakRssMbSelf();
  for (const [stage, s] of Object.entries(a.timings)) say(`  ${stage}: ${s.toFixed(2)} s`);
  say(`  total ${seconds.toFixed(1)} s, peak RSS ${peakRssMb} MB`);

  // Analysis order -> world order.
  const worldIx = new Map(world.clientIds.map((id, i) => [id, i]));
  const toWorld = Int32Array.from(a.clientIds, (id) => worldIx.get(id) ?? -1);
  const persona = Array.from(toWorld, (w) => world.persona[w] ?? '');
  const personaNmi = nmi(persona, Array.from(a.community));

  const heldOut = heldOutAuc(world, a.similar, toWorld);
  const figures: Record<string, number> = {
    clients: n,
    nodes: a.nodes,
    edges: a.edges,
    modularity: a.modularity,
    communities: a.communityCount,
    personaNmi,
    holdingsAuc: heldOut.knn,
    popularityAuc: heldOut.popularity,
    heldOutClients: heldOut.clients,
    seconds100k: seconds,
    cpuSeconds100k: cpuSeconds,
    peakRssMb100k: peakRssMb,
    projectionModularity: a.projectionModularity,
    ...Object.fromEntries(Object.entries(a.timings).map(([stage, s]) => [`seconds ${stage}`, s])),
  };
  if (!o.beside) return figures;

  // The same clients' true personas scored on the one-mode projection: the ceiling of what a
  // persona-like partition can show there. Rebuilt here (analyzeGraph keeps no projection).
  const again = await folderWorld(dir, { seed: o.seed, holdoutFraction: o.holdoutFraction });
  const builder = createProjectionBuilder({ sources: ['holdings', 'journeys', 'solicitations', 'profile'] });
  builder.addNodes('product', world.productIds);
  for await (const page of again.pages) builder.add(page);
  const projection = builder.build();
  const clientRows = Int32Array.from(world.clientIds, (id) => projection.index.get(`client:${id}`)!);
  const names = [...new Set(world.persona)].sort();
  const personaIx = Int32Array.from(world.persona, (p) => names.indexOf(p));
  figures.personaProjectionModularity = projectedModularity(projection.csr, clientRows, personaIx);
  figures.personaProjectionModularityUnweighted = projectedModularity(projection.csr, clientRows, personaIx, {
    weighting: 'none',
  });
  const bipartite = louvain.detailed(projection.toGraph(), { seed: o.seed });
  figures.bipartiteModularity = bipartite.modularity;
  figures.bipartiteCommunities = bipartite.count;
  figures.bipartiteNmi = nmi(
    world.persona,
    world.clientIds.map((id) => bipartite.communities[`client:${id}`] ?? -1),
  );
  say(`  bipartite Louvain: modularity ${bipartite.modularity.toFixed(3)}`);

  // The null model: Louvain on a degree-preserving random graph of the kNN graph's density.
  const keys = a.clientIds.map((_, i) => String(i));
  const knn = knnGraph(a.similar, { nodes: keys, minSimilarity: 0 });
  const nullGraph = louvain.detailed(csrToGraph(rewired(knn, o.seed)), { seed: o.seed });
  figures.rewiredKnnModularity = nullGraph.modularity;
  say(`  rewired kNN Louvain: modularity ${nullGraph.modularity.toFixed(3)}`);

  if (o.similarity === 'ivf') {
    const exact = await topKCosineTf(a.embeddings, a.dimensions, { k: o.k, threads: o.threads ?? 2 });
    let hit = 0;
    for (let q = 0; q < exact.queryCount; q++) {
      const want = new Set(exact.indices.subarray(q * exact.k, (q + 1) * exact.k));
      for (let j = 0; j < a.similar.k; j++) if (want.has(a.similar.indices[q * a.similar.k + j]!)) hit++;
    }
    figures.ivfRecall = hit / exact.indices.length;
  }
  return figures;
}

const isMain =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('analyze-graph.ts');
if (isMain) {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(DEFAULTS.clients) },
      data: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      similarity: { type: 'string', default: DEFAULTS.similarity },
      probes: { type: 'string', default: String(DEFAULTS.probes) },
      threads: { type: 'string' },
      resolution: { type: 'string', default: String(DEFAULTS.resolution) },
      'no-beside': { type: 'boolean', default: false },
    },
  });
  const similarity = values.similarity;
  if (similarity !== 'exact' && similarity !== 'ivf')
    throw new Error(`bench/analyze-graph: --similarity must be exact or ivf, got ${similarity}`);
  const f = await measureGraph({
    clients: Number(values.clients),
    ...(values.data ? { data: values.data } : {}),
    seed: Number(values.seed),
    similarity,
    probes: Number(values.probes),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    resolution: Number(values.resolution),
    beside: !values['no-beside'],
    verbose: true,
  });
  const round = (x: number | undefined): number | string => (x === undefined ? '' : Number(x.toPrecision(4)));
  const stages = Object.keys(f).filter((key) => key.startsWith('seconds '));
  reportBench(
    'analyze-graph',
    [
      {
        title: `nbg analyze, graph part, on ${f.clients?.toLocaleString('en')} simulated clients (${similarity} top-${DEFAULTS.k}), seed ${values.seed}`,
        columns: ['stage', 'seconds'],
        rows: [
          ...stages.map((key) => [key.slice('seconds '.length), round(f[key])]),
          ['total (target <= 120 s at 100,000 clients)', round(f.seconds100k)],
        ],
        notes: [
          `Peak RSS ${f.peakRssMb100k} MB (target <= 4096). CPU ${round(f.cpuSeconds100k)} s. Projection: ${f.nodes} nodes, ${f.edges} edges.`,
        ],
      },
      {
        title: 'Communities and embeddings',
        columns: ['figure', 'value', 'target'],
        rows: [
          [
            'modularity of the communities on the client kNN graph they were found on',
            round(f.modularity),
            '>= 0.3',
          ],
          ['communities', round(f.communities), ''],
          ['persona NMI of the communities', round(f.personaNmi), '>= 0.5'],
          [
            'same communities on the one-mode co-holding projection (1/(n_p-1) weights)',
            round(f.projectionModularity),
            '',
          ],
          [
            'true personas on the one-mode co-holding projection (1/(n_p-1); unweighted)',
            `${round(f.personaProjectionModularity)}; ${round(f.personaProjectionModularityUnweighted)}`,
            '',
          ],
          [
            'Louvain on the bipartite client–product graph: modularity (communities, NMI)',
            `${round(f.bipartiteModularity)} (${f.bipartiteCommunities}, ${round(f.bipartiteNmi)})`,
            '',
          ],
          [
            'Louvain on a degree-preserving rewiring of the kNN graph (null model)',
            round(f.rewiredKnnModularity),
            '',
          ],
          [
            `held-out holding AUC, ${DEFAULTS.k} nearest clients (${f.heldOutClients} clients)`,
            round(f.holdingsAuc),
            '>= 0.75',
          ],
          ['held-out holding AUC, popularity', round(f.popularityAuc), '< kNN'],
          ...(f.ivfRecall === undefined
            ? []
            : [[`IVF recall@${DEFAULTS.k} against exact`, round(f.ivfRecall), '']]),
        ],
      },
    ],
    f,
  );
}
