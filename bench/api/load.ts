import { createRequire } from 'node:module';
import { signToken } from '../../src/api/auth.js';
import type { Db } from '../../src/db/executor.js';
import { query } from '../../src/db/queries.js';
import { percentile } from '../../src/numeric/percentile.js';
import { createRng } from '../../src/rng.js';
import { pacedLoad } from '../lib/paced-load.js';

/**
 * The load of bench/api: `recommendations` queries for random advisors' clients, each with its
 * advisor's token, in a closed loop (autocannon) or arriving at a steady random rate
 * (bench/lib/paced-load.ts), and the latency and error figures of a run.
 */
const clientAdvisors = query('read/api-client-advisors');

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

export const RECS = `query($c: ID!) { recommendations(clientId: $c, limit: 3) { id productId channel action scores { value uplift } checks { rule passed } paths { kind } } }`;

/** The JWT secret the bench's server is started with. */
export const SECRET = 'bench-api-secret-0123456789abcdef0123';

export interface Caller {
  readonly clientId: string;
  readonly token: string;
}

/**
 * `n` clients drawn uniformly at random (with replacement, seeded) from every client of the graph,
 * each with a token of their own advisor.
 */
export async function callers(db: Db, n: number, seed: number): Promise<Caller[]> {
  const rows = await db.read<{ clientId: string; advisorId: string }>(clientAdvisors);
  const rng = createRng(seed);
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

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  readonly codes: Map<string, number>;
}

/** Sockets and the arrivals' seed of every run. */
export interface LoadSettings {
  readonly connections: number;
  readonly seed: number;
}

/**
 * Where each run starts in the callers list: every run takes the next callers, so a phase never
 * asks for the clients an earlier phase (the warm-up) asked for.
 */
let cursor = 0;
/** Moves the cursor past `used` callers; returns where the run starts. */
function take(used: () => number): { start: number; done: () => void } {
  const start = cursor;
  return { start, done: () => (cursor += used()) };
}

/** Latency percentiles of ascending latencies in ms (numpy's linear interpolation). */
function latencies(sorted: Float64Array): Pick<LoadResult, 'p50' | 'p95' | 'p99'> {
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

/**
 * autocannon on `recommendations`, each request for the next random caller. A response is an
 * error when its status is not 200 or its body carries GraphQL errors (counted by code).
 */
export async function drive(
  url: string,
  who: readonly Caller[],
  seconds: number,
  settings: LoadSettings,
  onBody: (body: string) => void = () => {},
): Promise<LoadResult> {
  const run = take(() => next - run.start);
  let next = run.start;
  const times: number[] = [];
  const codes = new Map<string, number>();
  let errors = 0;
  const instance = autocannon({
    url,
    connections: settings.connections,
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
  run.done();
  const sorted = Float64Array.from(times).sort();
  const transport = r.errors + r.timeouts;
  if (transport > 0) codes.set('NO_ANSWER', transport);
  return {
    requests: times.length,
    seconds: r.duration,
    requestsPerSecond: times.length / r.duration,
    ...latencies(sorted),
    errors: errors + transport,
    codes,
  };
}

/**
 * `rate` requests/s of `recommendations` arriving at random (open loop, bench/lib/paced-load.ts) over
 * at most `connections` sockets, each for the next random caller; errors as in drive().
 */
export async function paced(
  url: string,
  who: readonly Caller[],
  seconds: number,
  rate: number,
  settings: LoadSettings,
): Promise<LoadResult> {
  let sent = 0;
  const run = take(() => sent);
  const r = await pacedLoad({
    url,
    rate,
    seconds,
    connections: settings.connections,
    seed: settings.seed,
    next: (i) => {
      sent = Math.max(sent, i + 1);
      const c = who[(run.start + i) % who.length]!;
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
  run.done();
  return {
    requests: r.answered,
    seconds: r.seconds,
    requestsPerSecond: r.requestsPerSecond,
    ...latencies(r.latencies),
    errors: r.errors,
    codes: r.codes,
  };
}

/** Waits (at most 10 minutes) until a recommendation is answered without error: the database is online. */
export async function untilServing(url: string, who: readonly Caller[]): Promise<number> {
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

/** Error codes and their counts, for a note. */
export const codesText = (codes: Map<string, number>): string =>
  codes.size === 0 ? 'none' : [...codes].map(([k, v]) => `${k} ${v}`).join(', ');
