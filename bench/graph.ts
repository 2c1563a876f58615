/**
 * Benchmark of graph/: projection + Louvain + FastRP + exact top-k cosine on a bank world, with
 * the quality figures of issue 5.
 *
 *   npx tsx bench/graph.ts [--clients 100000] [--seed 7] [--dimensions 128] [--k 20]
 *                          [--backend wasm|js] [--threads 2] [--resolution 1 (of the kNN Louvain)] [--data DIR]
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
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createProjectionBuilder,
  csrToGraph,
  fastRp,
  knnGraph,
  louvain,
  modularity as modularityOf,
  nmi,
  type ProjectionRow,
  type ProjectionSource,
  rocAuc,
  type TopKResult,
  topKCosine,
  topKCosineTf,
} from '../graph/index.js';
import type { JourneyEventType, SolicitationOutcome } from '../graph/projection/types.js';
import { readCsv } from '../src/csv/reader.js';
import { createRng } from '../src/rng.js';
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
    resolution: { type: 'string', default: '1' },
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

/** A world as the bench needs it: rows for the builder, personas and the held-out pairs. */
interface World {
  readonly name: string;
  readonly clientIds: string[];
  readonly persona: string[];
  readonly productIds: string[];
  /** Pages of rows with every held-out pair already removed. */
  readonly pages: AsyncIterable<ProjectionRow[]> | Iterable<ProjectionRow[]>;
  /** Visible holdings, clients x products (1 held). */
  readonly held: Uint8Array;
  /** Held-out product per client, -1 when none. */
  readonly hidden: Int32Array;
}

// ---------- synthetic world ----------

function syntheticWorld(clients: number, personas: number, products: number): World {
  const rng = createRng(seed).fork('graph-bench-world');
  // Persona profiles: each persona has 2-3 core products (rate ~0.7), the rest rare (~0.05), plus a
  // universal current account held by nearly everyone.
  const rates = new Float64Array(personas * products);
  for (let p = 0; p < personas; p++) {
    for (let j = 0; j < products; j++) rates[p * products + j] = 0.03 + 0.07 * rng.next();
    rates[p * products] = 0.95;
    const core = 2 + rng.int(2);
    for (let c = 0; c < core; c++) rates[p * products + 1 + rng.int(products - 1)] = 0.5 + 0.4 * rng.next();
  }
  const weights = Array.from({ length: personas }, () => 0.5 + rng.next());
  // Profile: each persona has a typical segment (70%) and an age centre; clients get 5-year bands.
  const SEGMENTS = ['mass', 'affluent', 'private', 'professional', 'young'];
  const personaSegment = Array.from({ length: personas }, () => rng.int(SEGMENTS.length));
  const personaAge = Array.from({ length: personas }, () => 20 + rng.int(55));
  const clientIds = Array.from({ length: clients }, (_, i) => `C${String(i).padStart(7, '0')}`);
  const productIds = Array.from({ length: products }, (_, j) => `P${String(j).padStart(2, '0')}`);
  const personaIx = new Int32Array(clients);
  const truthHeld = new Uint8Array(clients * products);
  for (let i = 0; i < clients; i++) {
    const p = rng.weighted(weights);
    personaIx[i] = p;
    for (let j = 0; j < products; j++)
      truthHeld[i * products + j] = rng.bernoulli(rates[p * products + j]!) ? 1 : 0;
  }
  const { held, hidden } = holdOut(truthHeld, clients, products);
  const EVENT_TYPES: JourneyEventType[] = ['page_view', 'search', 'simulation', 'form_start', 'form_submit'];
  function* pages(): Generator<ProjectionRow[]> {
    const r = rng.fork('rows');
    let page: ProjectionRow[] = [];
    for (let i = 0; i < clients; i++) {
      const c = clientIds[i]!;
      const p = personaIx[i]!;
      const segment = r.bernoulli(0.7) ? personaSegment[p]! : r.int(SEGMENTS.length);
      const age = Math.max(18, Math.round(personaAge[p]! + 8 * r.normal()));
      page.push({
        source: 'profile',
        clientId: c,
        attributes: [`segment=${SEGMENTS[segment]}`, `age=${Math.floor(age / 5) * 5}`],
      });
      for (let j = 0; j < products; j++) {
        if (held[i * products + j]) page.push({ source: 'holdings', clientId: c, productId: productIds[j]! });
        // Journey interest in persona products the client does not hold yet (intent), and noise.
        if (j === hidden[i]) continue;
        const intent = held[i * products + j] ? 0.05 : rates[p * products + j]! * 0.3;
        if (r.bernoulli(intent))
          page.push({
            source: 'journeys',
            clientId: c,
            productId: productIds[j]!,
            type: EVENT_TYPES[r.int(5)]!,
          });
      }
      if (page.length >= 4096) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }
  return {
    name: `synthetic ${clients.toLocaleString('en')} clients, ${personas} personas, ${products} products`,
    clientIds,
    persona: Array.from(personaIx, (p) => `persona${p}`),
    productIds,
    pages: pages(),
    held,
    hidden,
  };
}

/** Hides one random holding of a random share (--holdout-fraction) of the clients holding two or more. */
function holdOut(
  truthHeld: Uint8Array,
  clients: number,
  products: number,
): { held: Uint8Array; hidden: Int32Array } {
  const rng = createRng(seed).fork('graph-bench-holdout');
  const held = truthHeld.slice();
  const hidden = new Int32Array(clients).fill(-1);
  const fraction = Number(values['holdout-fraction']);
  for (let i = 0; i < clients; i++) {
    if (!rng.bernoulli(fraction)) continue;
    let count = 0;
    for (let j = 0; j < products; j++) count += truthHeld[i * products + j]!;
    if (count < 2) continue;
    let pick = rng.int(count);
    for (let j = 0; j < products; j++)
      if (truthHeld[i * products + j] && pick-- === 0) {
        hidden[i] = j;
        held[i * products + j] = 0;
        break;
      }
  }
  return { held, hidden };
}

// ---------- a dataset folder ----------

async function* records(path: string): AsyncGenerator<{ col: Map<string, number>; rows: string[][] }> {
  let col: Map<string, number> | null = null;
  for await (const batch of readCsv(path)) {
    let rows = batch.map((r) => r.fields);
    if (!col) {
      col = new Map(rows[0]!.map((name, i) => [name, i]));
      rows = rows.slice(1);
    }
    yield { col, rows };
  }
}

function column(col: Map<string, number>, name: string, file: string): number {
  const i = col.get(name);
  if (i === undefined) throw new Error(`bench/graph: ${file} has no column ${name}`);
  return i;
}

async function folderWorld(dir: string): Promise<World> {
  const clientIds: string[] = [];
  const persona: string[] = [];
  const clientIx = new Map<string, number>();
  for await (const { col, rows } of records(join(dir, 'truth', 'clients.csv'))) {
    const ci = column(col, 'client_id', 'truth/clients.csv');
    const pi = column(col, 'persona', 'truth/clients.csv');
    for (const r of rows) {
      clientIx.set(r[ci]!, clientIds.length);
      clientIds.push(r[ci]!);
      persona.push(r[pi]!);
    }
  }
  const productIds: string[] = [];
  for await (const { col, rows } of records(join(dir, 'products.csv'))) {
    const pi = column(col, 'product_id', 'products.csv');
    for (const r of rows) productIds.push(r[pi]!);
  }
  const productIx = new Map(productIds.map((p, j) => [p, j]));
  const n = clientIds.length;
  const P = productIds.length;
  // Currently open holdings are the ones to predict; closed ones stay as weak edges.
  const truthHeld = new Uint8Array(n * P);
  for await (const { col, rows } of records(join(dir, 'holdings.csv'))) {
    const c = column(col, 'client_id', 'holdings.csv');
    const p = column(col, 'product_id', 'holdings.csv');
    const closed = column(col, 'closed_at', 'holdings.csv');
    for (const r of rows) if (!r[closed]) truthHeld[clientIx.get(r[c]!)! * P + productIx.get(r[p]!)!] = 1;
  }
  const { held, hidden } = holdOut(truthHeld, n, P);
  const isHidden = (client: string, product: string | undefined): boolean => {
    const i = clientIx.get(client);
    return i !== undefined && product !== undefined && hidden[i] === productIx.get(product);
  };
  async function* pages(): AsyncGenerator<ProjectionRow[]> {
    for await (const { col, rows } of records(join(dir, 'clients.csv'))) {
      const c = column(col, 'client_id', 'clients.csv');
      const seg = column(col, 'segment', 'clients.csv');
      const birth = column(col, 'birth_year', 'clients.csv');
      const income = column(col, 'income_band', 'clients.csv');
      const risk = column(col, 'risk_profile', 'clients.csv');
      const fragile = column(col, 'financially_fragile', 'clients.csv');
      yield rows.map((r) => ({
        source: 'profile',
        clientId: r[c]!,
        attributes: [
          `segment=${r[seg]}`,
          `birth=${Math.floor(Number(r[birth]) / 5) * 5}`,
          `income=${r[income]}`,
          `risk=${r[risk]}`,
          `fragile=${r[fragile]}`,
        ],
      }));
    }
    for await (const { col, rows } of records(join(dir, 'holdings.csv'))) {
      const c = column(col, 'client_id', 'holdings.csv');
      const p = column(col, 'product_id', 'holdings.csv');
      const closed = column(col, 'closed_at', 'holdings.csv');
      yield rows
        .filter((r) => !isHidden(r[c]!, r[p]))
        .map((r) => ({ source: 'holdings', clientId: r[c]!, productId: r[p]!, closedAt: r[closed] || null }));
    }
    for await (const { col, rows } of records(join(dir, 'events.csv'))) {
      const c = column(col, 'client_id', 'events.csv');
      const p = column(col, 'product_id', 'events.csv');
      const t = column(col, 'type', 'events.csv');
      yield rows
        .filter((r) => r[p] && !isHidden(r[c]!, r[p]))
        .map((r) => ({
          source: 'journeys',
          clientId: r[c]!,
          productId: r[p]!,
          type: r[t] as JourneyEventType,
        }));
    }
    for await (const { col, rows } of records(join(dir, 'solicitations.csv'))) {
      const c = column(col, 'client_id', 'solicitations.csv');
      const p = column(col, 'product_id', 'solicitations.csv');
      const ch = column(col, 'channel_id', 'solicitations.csv');
      const o = column(col, 'outcome', 'solicitations.csv');
      yield rows
        .filter((r) => !isHidden(r[c]!, r[p]))
        .map((r) => ({
          source: 'solicitations',
          clientId: r[c]!,
          productId: r[p]!,
          channelId: r[ch]!,
          outcome: r[o] as SolicitationOutcome,
        }));
    }
  }
  return {
    name: `dataset ${dir} (${n.toLocaleString('en')} clients)`,
    clientIds,
    persona,
    productIds,
    pages: pages(),
    held,
    hidden,
  };
}

// ---------- the pipeline ----------

const world = values.data
  ? await folderWorld(values.data)
  : syntheticWorld(Number(values.clients), Number(values.personas), Number(values.products));
const n = world.clientIds.length;
const P = world.productIds.length;
process.stdout.write(`bench/graph: ${world.name}\n`);

// Wall and CPU seconds per stage: CPU time (user + system of this process) is the fairer figure
// when other work shares the machine.
const times: [string, number, number][] = [];
let t0 = performance.now();
let cpu0 = process.cpuUsage();
const lap = (label: string): void => {
  const t = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  times.push([label, (t - t0) / 1000, cpuSeconds]);
  process.stdout.write(`  ${label}: ${((t - t0) / 1000).toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s)\n`);
  t0 = t;
  cpu0 = process.cpuUsage();
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
const popularity = new Float64Array(P);
for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) popularity[j]! += world.held[i * P + j]!;
const knnScores: number[] = [];
const popScores: number[] = [];
const labels: number[] = [];
const share = new Float64Array(P);
// Shrinkage toward the popularity rate: score_j = (sum_r s_r held_rj + a * rate_j) / (sum_r s_r + a).
const shrinkage = Number(values.shrinkage);
for (let i = 0; i < n; i++) {
  if (world.hidden[i]! < 0) continue;
  share.fill(0);
  let mass = 0;
  for (let r = 0; r < top.k; r++) {
    const v = top.indices[i * top.k + r]!;
    if (v < 0) continue;
    const other = clientTop.indices[i * top.k + r]!;
    const w = Math.max(0, top.scores[i * top.k + r]!);
    mass += w;
    for (let j = 0; j < P; j++) share[j]! += w * world.held[other * P + j]!;
  }
  for (let j = 0; j < P; j++) {
    if (world.held[i * P + j]) continue;
    // Similarity-weighted share of neighbours holding j; popularity breaks ties (and, with
    // --shrinkage a > 0, is the prior the share shrinks toward).
    const rate = popularity[j]! / n;
    knnScores.push(
      shrinkage > 0 ? (share[j]! + shrinkage * rate) / (mass + shrinkage) : share[j]! + 1e-6 * rate,
    );
    popScores.push(popularity[j]!);
    labels.push(j === world.hidden[i] ? 1 : 0);
  }
}
const aucKnn = rocAuc(knnScores, labels);
const aucPopularity = rocAuc(popScores, labels);
const evaluated = world.hidden.filter((h) => h >= 0).length;

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
