/**
 * bench/api: the GraphQL API under load on a simulated bank.
 *
 * Prepares once (reused by later runs) a 100,000-client world ingested, analysed and trained into a
 * dedicated embedded Neo4j under data/bench/api-N/, then starts `nbg serve` in a child process and
 * drives it with autocannon on 127.0.0.1 (server, Neo4j and load generator share the machine).
 *
 *   npx tsx bench/api.ts [--clients 100000] [--connections 50] [--rate 300] [--seconds 30]
 *                        [--soak-minutes 10] [--outage] [--prepare-only] [--no-load] [--skip-analyze]
 *                        [--warmup 30] [--profile DIR]   (the server writes a V8 CPU profile into DIR when it stops)
 *
 * Phases: `load` (--seconds of recommendations for random advisors' clients, each request with its
 * advisor's token, --rate requests/s arriving at random over at most --connections sockets (open
 * loop, bench/lib/paced-load.ts; --rate 0: autocannon's closed loop): p50/p95/p99 latency from the
 * moment each request was due, and requests/s answered; then, when --rate is not 0, `capacity`:
 * autocannon with the same connections in a closed loop, the most requests/s the stack answers,
 * whose latency is connections / throughput by Little's law);
 * `soak` (--soak-minutes at --rate, errors and
 * the server's memory growth from the end of the first minute to the end); `outage` (load plus
 * acknowledgement and outcome mutations while Neo4j is stopped and started again: the answers while
 * it is down, the time to recover, and the mutations answered as done but missing from the graph,
 * outageLostWrites). Figures of phases not run are kept from bench/results/api.json.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { analyze } from '../src/analyze/index.js';
import { signToken } from '../src/api/auth.js';
import { openDriver } from '../src/db/driver.js';
import { type EmbeddedInstance, startEmbedded } from '../src/db/embedded.js';
import { Db } from '../src/db/executor.js';
import { migrate } from '../src/db/migrate.js';
import { QueryRegistry, query } from '../src/db/queries.js';
import { ingest } from '../src/ingest/index.js';
import { trainOnGraph } from '../src/models/suite/train-on-graph.js';
import { projectRoot } from '../src/paths.js';
import { createRng } from '../src/rng.js';
import { simulate } from '../src/simulate/index.js';
import { pacedLoad } from './lib/paced-load.js';
import { type BenchTable, type Figures, reportBench } from './lib/report.js';

const Q = {
  clientAdvisors: query('read/api-client-advisors'),
  writtenMutations: query('read/api-written-mutations'),
};

/** The part of autocannon 9's API used here (it ships no types). */
interface CannonRequest {
  method: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: {
    method: string;
    setupRequest: (req: CannonRequest) => CannonRequest;
    onResponse?: (status: number, body: string) => void;
  }[];
}
interface CannonResult {
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface CannonInstance extends PromiseLike<CannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: CannonOptions) => CannonInstance;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '300' },
    profile: { type: 'string' },
    warmup: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '30' },
    'soak-minutes': { type: 'string', default: '0' },
    outage: { type: 'boolean', default: false },
    'prepare-only': { type: 'boolean', default: false },
    'no-load': { type: 'boolean', default: false },
    'skip-analyze': { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    heap: { type: 'string', default: '1g' },
    pagecache: { type: 'string', default: '1g' },
  },
});
const clients = Number(values.clients);
const root = projectRoot();
const world = join(root, 'data', 'bench', `ingest-${clients}-4m-s1`);
const store = join(root, 'data', 'bench', `api-${clients}`);
const home = join(store, 'neo4j');
const readyFile = join(store, 'ready.json');
const ingestedFile = join(store, 'ingested.json');
const PASSWORD = 'bench-api-password';

const log = (line: string): void => {
  process.stderr.write(`[bench/api ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startNeo4j(port: number): Promise<EmbeddedInstance> {
  return startEmbedded({
    home,
    port,
    password: PASSWORD,
    heap: values.heap,
    pagecache: values.pagecache,
    timeoutSeconds: 300,
    mode: 'attached',
  });
}

/**
 * Simulates, ingests, analyses and trains (the suite `nbg serve` then ranks with, as `npm start`
 * does) the world once; later runs find ingested.json / ready.json and skip what is done. `--skip-analyze` marks the world ready without the analysis (no SIMILAR_TO or
 * communities: explanation paths then come from journeys, verbatims and same-advisor clients only).
 */
async function prepare(neo4j: EmbeddedInstance): Promise<void> {
  if (existsSync(readyFile)) return;
  if (!existsSync(join(world, 'clients.csv'))) {
    log(`simulating ${clients} clients into ${world}`);
    await simulate({ clients, months: 4, seed: 1, out: world });
  }
  const db = new Db(await openDriver(neo4j.uri, 'neo4j', PASSWORD), QueryRegistry.load(), 'neo4j');
  try {
    if (!existsSync(ingestedFile)) {
      await migrate(db);
      log('ingesting');
      const summary = await ingest(db, world, { reportDir: join(store, 'ingest-report') });
      log(`ingested ${summary.rowsRead} rows in ${summary.seconds.toFixed(0)} s`);
      writeFileSync(
        ingestedFile,
        `${JSON.stringify({ world, rows: summary.rowsRead, ingestSeconds: summary.seconds }, null, 2)}\n`,
      );
    }
    let analysis: Record<string, unknown> = { analyze: 'skipped (--skip-analyze)' };
    if (!values['skip-analyze']) {
      log('analysing');
      const a = await analyze(db, { seed: 42 });
      log(`analysed in ${a.seconds.toFixed(0)} s: ${a.communities} communities, ${a.similarTo} SIMILAR_TO`);
      analysis = { analyzeSeconds: a.seconds, communities: a.communities, similarTo: a.similarTo };
    }
    log('training the model suite (nbg train)');
    const trained = await trainOnGraph(db, { dataDir: store, onProgress: (step) => log(`train: ${step}`) });
    log(
      `trained ${trained.manifest.version} in ${Object.values(trained.seconds)
        .reduce((a, b) => a + b, 0)
        .toFixed(0)} s`,
    );
    const ingested = JSON.parse(readFileSync(ingestedFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      readyFile,
      `${JSON.stringify({ ...ingested, ...analysis, model: trained.manifest.version }, null, 2)}\n`,
    );
  } finally {
    await db.close();
  }
}

const SECRET = 'bench-api-secret-0123456789abcdef0123';
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

interface Caller {
  readonly clientId: string;
  readonly token: string;
}

/** 2,000 random clients (seeded) with a token of their own advisor. */
async function callers(db: Db, n: number): Promise<Caller[]> {
  const rows = await db.read<{ clientId: string; advisorId: string }>(Q.clientAdvisors);
  const rng = createRng(Number(values.seed));
  const tokens = new Map<string, string>();
  const out: Caller[] = [];
  for (let i = 0; i < n && rows.length > 0; i++) {
    const r = rows[rng.int(rows.length)]!;
    let token = tokens.get(r.advisorId);
    if (token === undefined) {
      token = await signToken(SECRET, 'advisor', { advisorId: r.advisorId, ttl: '12h' });
      tokens.set(r.advisorId, token);
    }
    out.push({ clientId: r.clientId, token });
  }
  return out;
}

interface ApiChild {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * `nbg serve` in a child process on the bench's Neo4j, as users run it: the compiled CLI (built
 * first, `npm run build`), not tsx, whose source maps make every stack trace the driver captures
 * cost more. Resolves when it prints its URL.
 */
async function startServer(neo4jUri: string): Promise<ApiChild> {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0)
    throw new Error('bench/api: `npm run build` failed; the server runs the compiled CLI');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile]),
      'bin/nbg.mjs',
      'serve',
      '--port',
      String(port),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NEO4J_URI: neo4jUri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: PASSWORD,
        NBG_JWT_SECRET: SECRET,
        NBG_DATA_DIR: store,
        NODE_ENV: 'production',
        NBG_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[serve] ${d}`));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`bench/api: nbg serve exited with ${code} before it was ready`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^API ready at (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  return {
    child,
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const RECS = `query($c: ID!) { recommendations(clientId: $c, limit: 3) { id productId channel action scores { value uplift } checks { rule passed } paths { kind } } }`;

interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly codes: Map<string, number>;
}

const percentile = (sorted: Float64Array, q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * autocannon on `recommendations`, each request for the next random caller. A response is an
 * error when its status is not 200 or its body carries GraphQL errors (counted by code).
 */
async function drive(
  url: string,
  who: readonly Caller[],
  seconds: number,
  onBody: (body: string) => void = () => {},
): Promise<LoadResult> {
  let next = 0;
  const times: number[] = [];
  const codes = new Map<string, number>();
  let errors = 0;
  const instance = autocannon({
    url,
    connections: Number(values.connections),
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const c = who[next++ % who.length]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
            body: JSON.stringify({ query: RECS, variables: { c: c.clientId } }),
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"errors"')) {
            onBody(body);
            return;
          }
          errors++;
          const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP_${status}`;
          codes.set(code, (codes.get(code) ?? 0) + 1);
        },
      },
    ],
  });
  instance.on('response', (_c, _s, _b, ms) => times.push(ms));
  const r = await instance;
  const sorted = Float64Array.from(times).sort();
  const transport = r.errors + r.timeouts;
  if (transport > 0) codes.set('NO_ANSWER', transport);
  return {
    requests: times.length,
    seconds: r.duration,
    requestsPerSecond: times.length / r.duration,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    errors: errors + transport,
    codes,
  };
}

/**
 * `rate` requests/s of `recommendations` arriving at random (open loop, bench/lib/paced-load.ts) over
 * at most `connections` sockets, each for the next random caller; errors as in drive().
 */
async function paced(
  url: string,
  who: readonly Caller[],
  seconds: number,
  rate: number,
): Promise<LoadResult> {
  const r = await pacedLoad({
    url,
    rate,
    seconds,
    connections: Number(values.connections),
    seed: Number(values.seed),
    next: (i) => {
      const c = who[i % who.length]!;
      return {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
        body: JSON.stringify({ query: RECS, variables: { c: c.clientId } }),
      };
    },
    check: (status, body) =>
      status === 200 && !body.includes('"errors"')
        ? { ok: true }
        : { ok: false, code: /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP_${status}` },
  });
  return {
    requests: r.answered,
    seconds: r.seconds,
    requestsPerSecond: r.requestsPerSecond,
    p50: percentile(r.latencies, 0.5),
    p95: percentile(r.latencies, 0.95),
    p99: percentile(r.latencies, 0.99),
    errors: r.errors,
    codes: r.codes,
  };
}

/** Waits (at most 10 minutes) until a recommendation is answered without error: the database is online. */
async function untilServing(url: string, who: readonly Caller[]): Promise<number> {
  const t0 = Date.now();
  for (let i = 0; Date.now() - t0 < 600_000; i++) {
    const c = who[i % who.length]!;
    const text = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
      body: JSON.stringify({ query: RECS, variables: { c: c.clientId } }),
      signal: AbortSignal.timeout(30_000),
    })
      .then((r) => r.text())
      .catch(() => '"errors"');
    if (!text.includes('"errors"')) return Date.now();
    await new Promise((r) => setTimeout(r, 200));
  }
  return Number.NaN;
}

/** Resident memory of a process, MB (VmRSS). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

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

const codesText = (codes: Map<string, number>): string =>
  codes.size === 0 ? 'none' : [...codes].map(([k, v]) => `${k} ${v}`).join(', ');

interface Mutation {
  readonly kind: 'outcome' | 'acknowledge';
  readonly id: string;
  readonly decision?: string;
  result: 'done' | 'refused' | 'no-answer';
  code?: string;
}

/** Sends one GraphQL mutation; classifies the answer (done, refused with an error code, or none). */
async function mutate(url: string, token: string, body: string, m: Mutation): Promise<void> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const j = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (j.errors && j.errors.length > 0) {
      m.result = 'refused';
      m.code = j.errors[0]?.extensions?.code ?? `HTTP_${res.status}`;
    } else m.result = 'done';
  } catch {
    m.result = 'no-answer';
  }
}

/**
 * Load and mutations while Neo4j is stopped and started again on the same port and store. Counts
 * the recommendation answers while it is down, the seconds from its restart to the first good
 * answer, and the mutations answered 'done' (or not answered) that the graph does not have.
 */
async function outage(
  neo4jRef: { current: EmbeddedInstance },
  port: number,
  api: ApiChild,
  who: readonly Caller[],
  admin: string,
): Promise<{ figures: Figures; notes: string[] }> {
  const recIds: { id: string; token: string }[] = [];
  // a pool of served recommendations to acknowledge
  await drive(api.url, who.slice(0, 200), 5, (body) => {
    for (const m of body.matchAll(/"id":"(rec-[0-9a-f-]+)"/g))
      if (recIds.length < 5000) recIds.push({ id: m[1]!, token: admin });
  });
  const mutations: Mutation[] = [];
  let stopMutations = false;
  const products = ['P_LIVRET_A', 'P_HOME_INSURANCE', 'P_PEA'];
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; !stopMutations; n++) {
      const caller = who[(w * 7919 + n) % who.length]!;
      if (n % 2 === 0) {
        const m: Mutation = { kind: 'outcome', id: `bench-sol-${Date.now()}-${w}-${n}`, result: 'no-answer' };
        mutations.push(m);
        const body = JSON.stringify({
          query: `mutation($i: SolicitationOutcomeInput!) { recordSolicitationOutcome(input: $i) { id } }`,
          variables: {
            i: {
              id: m.id,
              clientId: caller.clientId,
              productId: products[n % 3],
              channel: 'email',
              outcome: 'opened',
            },
          },
        });
        await mutate(api.url, caller.token, body, m);
      } else {
        const rec = recIds.pop();
        if (rec === undefined) continue;
        const decision = n % 4 === 1 ? 'accepted' : 'declined';
        const m: Mutation = { kind: 'acknowledge', id: rec.id, decision, result: 'no-answer' };
        mutations.push(m);
        const body = JSON.stringify({
          query: `mutation($id: ID!) { acknowledgeRecommendation(id: $id, decision: ${decision}) { id decision } }`,
          variables: { id: rec.id },
        });
        await mutate(api.url, rec.token, body, m);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  const t0 = Date.now();
  const phases: { name: string; result: Promise<LoadResult> }[] = [];
  phases.push({ name: 'before (10 s)', result: drive(api.url, who, 10) });
  await phases[0]!.result;
  log('stopping Neo4j');
  const stoppedAt = Date.now();
  await neo4jRef.current.stop();
  phases.push({ name: 'Neo4j down (15 s)', result: drive(api.url, who, 15) });
  const down = await phases[1]!.result;
  log('starting Neo4j again');
  const restarting = Date.now();
  neo4jRef.current = await startNeo4j(port);
  const readyAt = Date.now();
  log(
    `Neo4j back after ${((readyAt - stoppedAt) / 1000).toFixed(1)} s down (start ${((readyAt - restarting) / 1000).toFixed(1)} s)`,
  );
  // the first good answer after the restart
  const recoveredAt = await untilServing(api.url, who);
  await new Promise((r) => setTimeout(r, 10_000));
  stopMutations = true;
  await Promise.all(workers);
  const after = await drive(api.url, who, 10);
  const seconds = (Date.now() - t0) / 1000;
  // let the server write what it queued, then look for every mutation in the graph
  await new Promise((r) => setTimeout(r, 3_000));
  const db = new Db(await openDriver(neo4jRef.current.uri, 'neo4j', PASSWORD), QueryRegistry.load(), 'neo4j');
  let lost = 0;
  let unansweredLost = 0;
  let written = 0;
  try {
    const [row] = await db.read<{ solicitations: string[]; decided: string[] }>(Q.writtenMutations, {
      solicitationIds: mutations.filter((m) => m.kind === 'outcome').map((m) => m.id),
      decisions: mutations
        .filter((m) => m.kind === 'acknowledge')
        .map((m) => ({ id: m.id, decision: m.decision })),
    });
    const found = new Set([...(row?.solicitations ?? []), ...(row?.decided ?? [])]);
    for (const m of mutations) {
      if (found.has(m.id)) written++;
      else if (m.result === 'done') lost++;
      else if (m.result === 'no-answer') unansweredLost++;
    }
  } finally {
    await db.close();
  }
  const refused = mutations.filter((m) => m.result === 'refused').length;
  const unanswered = mutations.filter((m) => m.result === 'no-answer').length;
  const refusedCodes = new Map<string, number>();
  for (const m of mutations) if (m.code) refusedCodes.set(m.code, (refusedCodes.get(m.code) ?? 0) + 1);
  const figures: Figures = {
    outageSeconds: seconds,
    outageDownRequests: down.requests,
    outageDownServiceUnavailable: down.codes.get('SERVICE_UNAVAILABLE') ?? 0,
    outageDownOtherAnswers: down.requests - (down.codes.get('SERVICE_UNAVAILABLE') ?? 0),
    outageDownP99Ms: down.p99,
    outageRecoverySeconds: (recoveredAt - readyAt) / 1000,
    outageAfterErrors: after.errors,
    outageMutations: mutations.length,
    outageMutationsWritten: written,
    outageMutationsRefused: refused,
    outageMutationsUnanswered: unanswered,
    outageLostWrites: lost,
    outageUnansweredNotWritten: unansweredLost,
  };
  const notes = [
    `While Neo4j was down: ${down.requests} recommendation answers in 15 s (${codesText(down.codes)}), p99 ${down.p99.toFixed(0)} ms. ` +
      `First good answer ${((recoveredAt - readyAt) / 1000).toFixed(1)} s after Neo4j was ready again (no API restart); errors in the 10 s after: ${codesText(after.codes)}.`,
    `Mutations during the test: ${mutations.length} (${mutations.filter((m) => m.kind === 'outcome').length} outcomes, ${mutations.filter((m) => m.kind === 'acknowledge').length} acknowledgements): ` +
      `${written} found in the graph, ${refused} refused with an error (${codesText(refusedCodes)}), ${unanswered} unanswered (no answer within the client's 15 s); answered done but not in the graph (lost silently): ${lost}; unanswered and not in the graph: ${unansweredLost}.`,
  ];
  return { figures, notes };
}

mkdirSync(store, { recursive: true });
const port = await freePort();
const neo4jRef = { current: await startNeo4j(port) };
log(`Neo4j ready in ${neo4jRef.current.readySeconds.toFixed(1)} s at ${neo4jRef.current.uri}`);
let api: ApiChild | undefined;
try {
  await prepare(neo4jRef.current);
  if (!values['prepare-only']) {
    const db = new Db(
      await openDriver(neo4jRef.current.uri, 'neo4j', PASSWORD),
      QueryRegistry.load(),
      'neo4j',
    );
    let who: Caller[];
    try {
      who = await callers(db, 2000);
    } finally {
      await db.close();
    }
    const admin = await signToken(SECRET, 'admin', { ttl: '12h' });
    api = await startServer(neo4jRef.current.uri);
    await untilServing(api.url, who);
    const warmup = Number(values.warmup);
    const warmRate = Number(values.rate);
    log(`API at ${api.url} (pid ${api.child.pid}); ${who.length} callers; warming up ${warmup} s`);
    // at the measured rate: a closed-loop warm-up leaves the server in another regime than the one
    // measured next (twice as many requests a second, and their served suggestions to write)
    if (warmRate > 0) await paced(api.url, who, warmup, warmRate);
    else await drive(api.url, who, warmup);
    const tables: BenchTable[] = [];
    const old = join(root, 'bench', 'results', 'api.json');
    const figures: Figures = existsSync(old) ? (JSON.parse(readFileSync(old, 'utf8')) as Figures) : {};
    delete figures.date;
    delete figures.machine;
    const rows: (string | number)[][] = [];
    if (!values['no-load']) {
      const rate = Number(values.rate);
      let before = load();
      const r =
        rate > 0
          ? await paced(api.url, who, Number(values.seconds), rate)
          : await drive(api.url, who, Number(values.seconds));
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
        connections: Number(values.connections),
      });
      log(
        `load: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(1)} ms, errors ${codesText(r.codes)}; load ${after}`,
      );
      if (rate > 0) {
        // capacity: the same connections each sending its next request as soon as the last is
        // answered (closed loop); latency is then connections / throughput (Little's law)
        before = load();
        const c = await drive(api.url, who, Number(values.seconds));
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
    }
    const soakMinutes = Number(values['soak-minutes']);
    if (soakMinutes > 0) {
      const pid = api.child.pid!;
      const samples: number[] = [];
      const timer = setInterval(() => samples.push(rssMb(pid)), 5_000);
      const before = load();
      const rate = Number(values.rate);
      const r =
        rate > 0
          ? await paced(api.url, who, soakMinutes * 60, rate)
          : await drive(api.url, who, soakMinutes * 60);
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
    const notes: string[] = [];
    if (values.outage) {
      const o = await outage(neo4jRef, port, api, who, admin);
      notes.push(...o.notes);
      Object.assign(figures, o.figures, { outageLoadAverage: load() });
    }
    tables.push({
      title: `GraphQL recommendations, ${clients.toLocaleString('en')}-client world, ${values.connections} connections (autocannon on 127.0.0.1; server, Neo4j and load generator on this machine)`,
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
    });
    reportBench('api', tables, figures);
  }
} finally {
  await api?.stop();
  await neo4jRef.current.stop();
}
