/**
 * Benchmark of graph/: projection + Louvain + FastRP + exact top-k cosine on a bank world, with
 * the quality figures of issue 5.
 *
 *   npx tsx bench/graph.ts [--clients 100000] [--seed 7] [--dimensions 128] [--k 20]
 *                          [--backend wasm|js] [--threads 2] [--resolution R (of the kNN Louvain; default nbg analyze's, 0.5)] [--data DIR]
 *
 * Without --data, a synthetic world made here: personas x products with planted holding rates and
 * journey events. With --data, a dataset folder of the data contract (holdings.csv, events.csv,
 * solicitations.csv) and its truth/clients.csv (personas), read with the one CSV reader.
 *
 * One holding per client with at least two is held out: every edge of that (client, product) pair
 * is removed from the projection (holdings, journeys, solicitations alike), so nothing leaks it.
 * Figures: time and peak memory of the pipeline; modularity of Louvain on the client–product
 * projection; persona NMI of Louvain on that projection and on the kNN graph of client FastRP
 * embeddings; AUC of ranking the held-out product among the products a client does not hold by the
 * share of its k nearest clients holding it, against the popularity baseline.
 */

import { parseArgs } from 'node:util';
import {
  createProjectionBuilder,
  csrToGraph,
  fastRp,
  knnGraph,
  louvain,
  modularity as modularityOf,
  nmi,
  type ProjectionSource,
  type TopKResult,
  topKCosine,
  topKCosineTf,
} from '../graph/index.js';
import { DEFAULTS as GRAPH_ANALYSIS_DEFAULTS } from '../src/analyze/graph-analysis.js';
import { stopwatch } from '../src/stopwatch.js';
import { cpuClock } from './lib/cpu-clock.js';
import { folderWorld, heldOutAuc, syntheticWorld } from './lib/graph-world.js';
import { type Figures, peakRssMbSelf, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '7' },
    dimensions: { type: 'string', default: '128' },
    k: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '2' },
    'holdout-fraction': { type: 'string', default: '0.2' },
    shrinkage: { type: 'string', default: '0' },
    resolution: { type: 'string', default: String(GRAPH_ANALYSIS_DEFAULTS.resolution) },
    data: { type: 'string' },
    personas: { type: 'string', default: '8' },
    products: { type: 'string', default: '12' },
    'iteration-weights': { type: 'string', default: '0,1,1' },
    beta: { type: 'string', default: '-0.5' },
    sources: { type: 'string', default: 'holdings,journeys,solicitations,profile' },
  },
});

const seed = Number(values.seed);
const dimensions = Number(values.dimensions);
const K = Number(values.k);
const resolution = Number(values.resolution);
const iterationWeights = values['iteration-weights'].split(',').map(Number);
const normalizationStrength = Number(values.beta);
const sources = values.sources.split(',') as ProjectionSource[];
const backend = values.backend;
if (backend !== 'wasm' && backend !== 'js')
  throw new Error(`bench/graph: --backend must be wasm or js, got ${backend}`);

// ---------- the pipeline ----------

const worldOptions = { seed, holdoutFraction: Number(values['holdout-fraction']) };
const world = values.data
  ? await folderWorld(values.data, worldOptions)
  : syntheticWorld(Number(values.clients), Number(values.personas), Number(values.products), worldOptions);
const n = world.clientIds.length;
const P = world.productIds.length;
process.stdout.write(`bench/graph: ${world.name}\n`);

// Wall and CPU seconds per stage: CPU time (user + system of this process) is the fairer figure
// when other work shares the machine.
const times: [string, number, number][] = [];
const wall = stopwatch();
const cpu = stopwatch(cpuClock);
const lap = (label: string): void => {
  const seconds = wall.lap(label);
  const cpuSeconds = cpu.lap(label);
  times.push([label, seconds, cpuSeconds]);
  process.stdout.write(`  ${label}: ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s)\n`);
};

const builder = createProjectionBuilder({ sources });
builder.addNodes('client', world.clientIds);
for await (const page of world.pages) builder.add(page);
const projection = builder.build();
const clientRows = new Int32Array(n);
for (let i = 0; i < n; i++) clientRows[i] = projection.index.get(`client:${world.clientIds[i]}`) ?? -1;
lap('projection');

const bipartite = projection.toGraph();
const bip = louvain.detailed(bipartite, { seed, resolution: 1 });
lap('louvain (client–product)');

const emb = fastRp(projection.csr, { dimensions, seed, iterationWeights, normalizationStrength });
lap(`fastRP (d = ${dimensions})`);

const top: TopKResult =
  backend === 'wasm'
    ? await topKCosineTf(emb, dimensions, {
        k: K,
        queries: clientRows,
        candidates: clientRows,
        threads: Number(values.threads),
      })
    : topKCosine(emb, dimensions, { k: K, queries: clientRows, candidates: clientRows });
lap(`top-${K} cosine (${backend})`);

// The kNN graph over clients only: neighbour rows of the projection mapped to client order.
const rowToClient = new Int32Array(projection.csr.nodeCount).fill(-1);
for (let i = 0; i < n; i++) rowToClient[clientRows[i]!] = i;
const clientTop: TopKResult = { ...top, indices: top.indices.map((v) => (v < 0 ? -1 : rowToClient[v]!)) };
// Node keys are client indices: short keys make the graphology graph faster to build.
const clientKeys = world.clientIds.map((_, i) => String(i));
const knn = knnGraph(clientTop, { nodes: clientKeys, minSimilarity: 0 });
const knnGraphology = csrToGraph(knn);
const knnComm = louvain.detailed(knnGraphology, { seed, resolution });
lap('louvain (client kNN)');

// The pipeline of the acceptance point: projection, FastRP, top-k and the Louvain that finds the
// client communities (on the kNN graph). Louvain on the bipartite projection is reported beside it.
const BESIDE = 'louvain (client–product)';
const pipeline = times.filter(([l]) => l !== BESIDE);
const totalSeconds = pipeline.reduce((s, [, t]) => s + t, 0);
const totalCpuSeconds = pipeline.reduce((s, [, , c]) => s + c, 0);
const peakMb = peakRssMbSelf();

// ---------- quality ----------

const bipClients = world.clientIds.map((c) => bip.communities[`client:${c}`]!);
const knnClients = clientKeys.map((key) => knnComm.communities[key]!);
const nmiBipartite = nmi(world.persona, bipClients);
const nmiKnn = nmi(world.persona, knnClients);
const modularityKnn = modularityOf(
  knn,
  Int32Array.from(clientKeys, (key) => knnComm.communities[key]!),
);

// Held-out ranking: candidates are the products a client does not visibly hold.
const identity = Int32Array.from({ length: n }, (_, i) => i);
const heldOut = heldOutAuc(world, clientTop, identity, Number(values.shrinkage));
const aucKnn = heldOut.knn;
const aucPopularity = heldOut.popularity;
const evaluated = heldOut.clients;

const figures: Figures = {
  world: world.name,
  clients: n,
  products: P,
  nodes: projection.csr.nodeCount,
  edges: projection.edgeCount,
  dimensions,
  k: K,
  backend,
  seconds: Number(totalSeconds.toFixed(2)),
  cpuSeconds: Number(totalCpuSeconds.toFixed(2)),
  peakRssMb: peakMb,
  ...Object.fromEntries(times.map(([l, t]) => [`seconds ${l}`, Number(t.toFixed(2))])),
  ...Object.fromEntries(times.map(([l, , c]) => [`cpuSeconds ${l}`, Number(c.toFixed(2))])),
  modularityClientProduct: Number(bip.modularity.toFixed(4)),
  communitiesClientProduct: bip.count,
  nmiPersonaClientProduct: Number(nmiBipartite.toFixed(4)),
  modularityKnn: Number(modularityKnn.toFixed(4)),
  communitiesKnn: knnComm.count,
  nmiPersonaKnn: Number(nmiKnn.toFixed(4)),
  heldOutClients: evaluated,
  aucKnn: Number(aucKnn.toFixed(4)),
  aucPopularity: Number(aucPopularity.toFixed(4)),
};

reportBench(
  'graph',
  [
    {
      title: `graph/ pipeline on ${world.name}, seed ${seed}`,
      columns: ['stage', 'seconds', 'cpu seconds'],
      rows: [
        ...times.map(([l, t, c]) => [l, Number(t.toFixed(2)), Number(c.toFixed(2))]),
        [`total without ${BESIDE}`, Number(totalSeconds.toFixed(2)), Number(totalCpuSeconds.toFixed(2))],
      ],
      notes: [
        `Peak RSS ${peakMb} MB. Projection: ${projection.csr.nodeCount} nodes, ${projection.edgeCount} edges.`,
      ],
    },
    {
      title: 'Quality',
      columns: ['figure', 'value', 'target'],
      rows: [
        ['Louvain modularity, client–product projection', bip.modularity, '>= 0.3'],
        ['communities, client–product projection', bip.count, ''],
        ['persona NMI, Louvain on client–product projection', nmiBipartite, ''],
        [`modularity, Louvain on client ${K}-NN graph (FastRP)`, modularityKnn, ''],
        [`communities, client ${K}-NN graph`, knnComm.count, ''],
        [`persona NMI, Louvain on client ${K}-NN graph`, nmiKnn, '>= 0.5'],
        [`held-out holding AUC, ${K} nearest clients (${evaluated} clients)`, aucKnn, '>= 0.75'],
        ['held-out holding AUC, popularity', aucPopularity, '< kNN'],
      ],
    },
  ],
  figures,
);
