/**
 * bench/api: the GraphQL API under load on a simulated bank.
 *
 * Prepares once (reused by later runs) a simulated world (--clients, simulator --seed) ingested,
 * analysed, trained with `nbg train`'s defaults and scored (every client's ScoreSet, as `nbg train`
 * ends) into a dedicated embedded Neo4j under data/bench/api-N-sSEED/, then starts `nbg serve` in a
 * child process and drives it on 127.0.0.1 (server, Neo4j and load generator share the machine).
 *
 *   npx tsx bench/api.ts [--clients 100000] [--seed 1] [--connections 50] [--rate 300] [--seconds 60]
 *                        [--soak-minutes 10] [--outage] [--prepare-only] [--no-load] [--skip-analyze]
 *                        [--warmup 30] [--load-seed 7] [--profile DIR]   (the server writes a V8 CPU profile into DIR when it stops)
 *
 * The default run is the API acceptance of issue 16: 300 requests/s arriving at random (Poisson)
 * over 50 connections on the 100,000-client world, each request for a client drawn uniformly at
 * random from all of them (every phase draws new ones: the warm-up does not warm the measured
 * clients), the trained default suite.
 *
 * Phases: `load` (--seconds of recommendations for random clients, each request with its
 * advisor's token, --rate requests/s arriving at random over at most --connections sockets (open
 * loop, bench/lib/paced-load.ts; --rate 0: autocannon's closed loop): p50/p95/p99 latency from the
 * moment each request was due, and requests/s answered; then, when --rate is not 0, `capacity`:
 * autocannon with the same connections in a closed loop, the most requests/s the stack answers,
 * whose latency is connections / throughput by Little's law);
 * `rescore` (after the load phases: the live rescoring of 100 clients as the API does it for a
 * client whose records are newer than its scores, rescoreP50Ms / rescoreP95Ms);
 * `soak` (--soak-minutes at --rate, errors and
 * the server's memory growth from the end of the first minute to the end); `outage` (load plus
 * acknowledgement and outcome mutations while Neo4j is stopped and started again: the answers while
 * it is down, the time to recover, and the mutations answered as done but missing from the graph,
 * outageLostWrites). Every run writes bench/results/api.json whole: the phases not run have no
 * figures (RESULTS.md's current-figures table shows them as not run).
 *
 * Latency percentiles interpolate linearly between order statistics (src/numeric/percentile.ts;
 * before issue 15 they took the nearest rank: the figures move by less than the gap between two samples).
 * The parts: bench/api/prepare.ts (the world), server.ts (`nbg serve`), load.ts (the callers and
 * the load generators), outage.ts (the outage phase).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScoringModels } from '../src/allocate/precomputed/score-all-clients.js';
import { signToken } from '../src/api/auth.js';
import { PrecomputedValueSource } from '../src/api/services/precomputed-values.js';
import { freePort } from '../src/db/embedded/free-port.js';
import type { ClientState } from '../src/domain/client-state.js';
import { latestSuiteDir, modelsRoot } from '../src/models/suite/model-store.js';
import { percentile } from '../src/numeric/percentile.js';
import { projectRoot } from '../src/paths.js';
import {
  type Caller,
  callers,
  codesText,
  drive,
  type LoadResult,
  type LoadSettings,
  paced,
  SECRET,
  untilServing,
} from './api/load.js';
import { type OutageNeo4j, outage } from './api/outage.js';
import { prepare } from './api/prepare.js';
import { type ApiChild, rssMb, startServer } from './api/server.js';
import { benchDb, startBenchNeo4j } from './lib/neo4j.js';
import { type BenchTable, type Figures, reportBench } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '300' },
    profile: { type: 'string' },
    warmup: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '60' },
    'soak-minutes': { type: 'string', default: '0' },
    outage: { type: 'boolean', default: false },
    'prepare-only': { type: 'boolean', default: false },
    'no-load': { type: 'boolean', default: false },
    'skip-analyze': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    'load-seed': { type: 'string', default: '7' },
    heap: { type: 'string', default: '1g' },
    pagecache: { type: 'string', default: '2g' },
  },
});
const clients = Number(values.clients);
const worldSeed = Number(values.seed);
const root = projectRoot();
const store = join(root, 'data', 'bench', `api-${clients}-s${worldSeed}`);
const PASSWORD = 'bench-api-password';
const settings: LoadSettings = {
  connections: Number(values.connections),
  seed: Number(values['load-seed']),
};

const log = (line: string): void => {
  process.stderr.write(`[bench/api ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const tableRow = (phase: string, r: LoadResult, before: string, after: string): (string | number)[] => [
  phase,
  r.requests,
  r.requestsPerSecond,
  r.p50,
  r.p95,
  r.p99,
  r.errors,
  `${before} → ${after}`,
];

/** --rate requests/s arriving at random, or autocannon's closed loop when the rate is 0. */
const atRate = (url: string, who: readonly Caller[], seconds: number): Promise<LoadResult> => {
  const rate = Number(values.rate);
  return rate > 0 ? paced(url, who, seconds, rate, settings) : drive(url, who, seconds, settings);
};

/** The `load` phase, then, at a positive --rate, the closed-loop `capacity` phase. */
async function loadPhases(
  api: ApiChild,
  who: readonly Caller[],
  rows: (string | number)[][],
  figures: Figures,
) {
  const rate = Number(values.rate);
  let before = load();
  const r = await atRate(api.url, who, Number(values.seconds));
  let after = load();
  rows.push(
    tableRow(rate > 0 ? `load, ${rate} req/s arriving at random` : 'load, closed loop', r, before, after),
  );
  Object.assign(figures, {
    p50Ms: r.p50,
    p95Ms: r.p95,
    p99Ms: r.p99,
    requestsPerSecond: r.requestsPerSecond,
    offeredRate: rate,
    loadErrors: r.errors,
    loadAverage: after,
    connections: settings.connections,
  });
  log(
    `load: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(1)} ms, errors ${codesText(r.codes)}; load ${after}`,
  );
  if (rate <= 0) return;
  // capacity: the same connections each sending its next request as soon as the last is
  // answered (closed loop); latency is then connections / throughput (Little's law)
  before = load();
  const c = await drive(api.url, who, Number(values.seconds), settings);
  after = load();
  rows.push(tableRow('capacity, closed loop', c, before, after));
  Object.assign(figures, {
    capacityRequestsPerSecond: c.requestsPerSecond,
    capacityP50Ms: c.p50,
    capacityP95Ms: c.p95,
    capacityP99Ms: c.p99,
    capacityErrors: c.errors,
  });
  log(
    `capacity: ${c.requestsPerSecond.toFixed(0)} req/s, p50 ${c.p50.toFixed(1)} p95 ${c.p95.toFixed(1)} ms, errors ${codesText(c.codes)}; load ${after}`,
  );
}

/** The `soak` phase: --soak-minutes at --rate, with the server's memory sampled every 5 s. */
async function soakPhase(
  api: ApiChild,
  who: readonly Caller[],
  soakMinutes: number,
  rows: (string | number)[][],
  figures: Figures,
) {
  const pid = api.child.pid!;
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMb(pid)), 5_000);
  const before = load();
  const r = await atRate(api.url, who, soakMinutes * 60);
  clearInterval(timer);
  const after = load();
  // growth from the end of the first minute (heap sized, caches warm) to the end
  const base = samples[Math.min(samples.length - 1, 11)]!;
  const end = samples.at(-1)!;
  const growth = ((end - base) / base) * 100;
  rows.push(tableRow(`soak ${soakMinutes} min`, r, before, after));
  Object.assign(figures, {
    soakMinutes,
    soakRequests: r.requests,
    soakErrors: r.errors,
    soakRssStartMb: Math.round(base),
    soakRssEndMb: Math.round(end),
    soakRssPeakMb: Math.round(Math.max(...samples)),
    soakMemoryGrowthPct: growth,
    soakLoadAverage: after,
  });
  log(
    `soak: ${r.requests} requests, errors ${codesText(r.codes)}, RSS ${base.toFixed(0)} → ${end.toFixed(0)} MB (${growth.toFixed(1)}%)`,
  );
}

/**
 * What a stale client costs (one whose records are newer than its scores, or who has none): the
 * API's live rescoring (PrecomputedValueSource: its own records read, its rows scored by
 * ModelValueSource.fromRows) of `n` callers' clients, one after the other, in this process while the
 * server is idle.
 */
async function rescorePhase(uri: string, who: readonly Caller[], n: number, figures: Figures) {
  const db = await benchDb(uri, PASSWORD);
  try {
    const dir = latestSuiteDir(modelsRoot(store))!;
    const source = new PrecomputedValueSource(db, await loadScoringModels(dir), {
      asOf: String(figures.scoredAsOf),
      layout: { productIds: [], channelIds: [] },
    });
    const ms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const client = { id: who[who.length - 1 - i]!.clientId } as ClientState;
      await source.score([client], [], [], new Float64Array(0));
      ms[i] = performance.now() - t0;
    }
    ms.sort();
    Object.assign(figures, {
      rescoreClients: n,
      rescoreP50Ms: percentile(ms, 0.5),
      rescoreP95Ms: percentile(ms, 0.95),
    });
    log(
      `rescoring one stale client: p50 ${percentile(ms, 0.5).toFixed(1)} ms, p95 ${percentile(ms, 0.95).toFixed(1)} ms`,
    );
  } finally {
    await db.close();
  }
}

/** Warms the server up, runs the phases asked for and reports. */
async function measure(
  neo4j: OutageNeo4j,
  api: ApiChild,
  who: readonly Caller[],
  world: Figures,
): Promise<void> {
  const admin = await signToken(SECRET, 'admin', { ttl: '12h' });
  await untilServing(api.url, who);
  const warmup = Number(values.warmup);
  log(`API at ${api.url} (pid ${api.child.pid}); ${who.length} callers; warming up ${warmup} s`);
  // at the measured rate: a closed-loop warm-up leaves the server in another regime than the one
  // measured next (twice as many requests a second, and their served suggestions to write)
  await atRate(api.url, who, warmup);
  // written whole by every run: a phase not run has no figure (never one kept from an older run)
  const figures: Figures = { ...world };
  const rows: (string | number)[][] = [];
  if (!values['no-load']) await loadPhases(api, who, rows, figures);
  if (!values['no-load']) await rescorePhase(neo4j.current.uri, who, 100, figures);
  const soakMinutes = Number(values['soak-minutes']);
  if (soakMinutes > 0) await soakPhase(api, who, soakMinutes, rows, figures);
  const notes: string[] = [];
  if (values.outage) {
    const o = await outage(neo4j, api, who, admin, settings, log);
    notes.push(...o.notes);
    Object.assign(figures, o.figures, { outageLoadAverage: load() });
  }
  const table: BenchTable = {
    title: `GraphQL recommendations, ${clients.toLocaleString('en')}-client world (simulator seed ${worldSeed}), clients drawn uniformly at random, trained default suite with precomputed scores, ${values.connections} connections (127.0.0.1; server, Neo4j and load generator on this machine)`,
    columns: [
      'phase',
      'requests',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'load average (1/5/15 min) before → after',
    ],
    rows,
    notes,
  };
  reportBench('api', [table], figures);
}

/** 200,000 callers drawn uniformly (seeded) from every client of the bench's graph. */
async function benchCallers(uri: string): Promise<Caller[]> {
  const db = await benchDb(uri, PASSWORD);
  try {
    return await callers(db, 200_000, settings.seed);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(store, { recursive: true });
  const port = await freePort();
  const start = () =>
    startBenchNeo4j({
      home: join(store, 'neo4j'),
      port,
      password: PASSWORD,
      heap: values.heap,
      pagecache: values.pagecache,
      timeoutSeconds: 300,
    });
  const neo4j: OutageNeo4j = { current: await start(), password: PASSWORD, restart: start };
  log(`Neo4j ready in ${neo4j.current.readySeconds.toFixed(1)} s at ${neo4j.current.uri}`);
  let api: ApiChild | undefined;
  try {
    await prepare(neo4j.current, {
      clients,
      seed: worldSeed,
      world: join(root, 'data', 'bench', `ingest-${clients}-4m-s${worldSeed}`),
      store,
      password: PASSWORD,
      skipAnalyze: values['skip-analyze'],
      log,
    });
    if (!values['prepare-only']) {
      const who = await benchCallers(neo4j.current.uri);
      api = await startServer({
        root,
        neo4jUri: neo4j.current.uri,
        neo4jPassword: PASSWORD,
        dataDir: store,
        profile: values.profile,
      });
      const ready = JSON.parse(readFileSync(join(store, 'ready.json'), 'utf8')) as Record<string, unknown>;
      const world: Figures = {
        clients,
        worldSeed,
        modelVersion: String(ready.model),
        trainSeconds: Number(ready.trainSeconds),
        scoreSeconds: Number(ready.scoreSeconds),
        scoredAsOf: String(ready.scoredAsOf),
        serverReadySeconds: api.readySeconds,
        callersDrawn: who.length,
      };
      await measure(neo4j, api, who, world);
    }
  } finally {
    await api?.stop();
    await neo4j.current.stop();
  }
}

await main();
