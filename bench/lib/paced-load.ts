import { Agent, request } from 'node:http';
import { createRng } from '../../src/rng.js';

/**
 * An open-loop load generator: requests arrive at a fixed average rate (Poisson arrivals, seeded
 * exponential gaps) whatever the server's latency, over at most `connections` keep-alive sockets.
 * Latency is measured from the moment a request was due, not from when a socket was free to send
 * it, so a server that falls behind is charged for the queue it builds (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a quota per second and sends
 * it back to back at the start of each second, so 300 req/s over 50 connections arrive as a burst
 * of 300 at every second tick: the latency is then that of a closed loop, not of a steady rate.
 * autocannon still measures the closed-loop capacity (bench/api.ts).
 */
export interface PacedLoadOptions {
  readonly url: string;
  /** Requests per second, on average. */
  readonly rate: number;
  readonly seconds: number;
  /** Sockets kept open (requests beyond them wait in the agent's queue, and that wait counts). */
  readonly connections: number;
  /** Give up on a request after this long (counted as an error). Default 10 s. */
  readonly timeoutMs?: number;
  /** The i-th request's headers and body. */
  readonly next: (i: number) => { headers: Record<string, string>; body: string };
  /** A response's status and body; return false when it is an error (counted, with `code`). */
  readonly check: (status: number, body: string) => { ok: boolean; code?: string };
  /** Seed of the arrival times. */
  readonly seed?: number;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly answered: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Latencies in ms, ascending (answered requests, errors included). */
  readonly latencies: Float64Array;
  readonly errors: number;
  readonly codes: Map<string, number>;
}

export async function pacedLoad(o: PacedLoadOptions): Promise<PacedLoadResult> {
  if (!(o.rate > 0) || !(o.seconds > 0) || !(o.connections >= 1)) {
    throw new Error(
      `bench/paced-load: rate, seconds and connections must be positive (got ${o.rate}, ${o.seconds}, ${o.connections})`,
    );
  }
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const target = new URL(o.url);
  const rng = createRng(o.seed ?? 1);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const latencies: number[] = [];
  const codes = new Map<string, number>();
  let errors = 0;
  let sent = 0;
  const fail = (code: string): void => {
    errors++;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  };
  const inflight = new Set<Promise<void>>();
  const one = (i: number, due: number): Promise<void> =>
    new Promise<void>((done) => {
      const { headers, body } = o.next(i);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            const verdict = o.check(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            if (!verdict.ok) fail(verdict.code ?? `HTTP_${res.statusCode}`);
            done();
          });
          res.on('error', (e: NodeJS.ErrnoException) => {
            fail(`NO_ANSWER_${e.code ?? 'ERROR'}`);
            done();
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        fail(`NO_ANSWER_${e.code ?? 'ERROR'}`);
        done();
      });
      req.end(body);
    });
  const t0 = performance.now();
  const end = t0 + o.seconds * 1000;
  let due = t0;
  for (let i = 0; ; i++) {
    due += (-Math.log(1 - rng.next()) / o.rate) * 1000;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sent++;
    const p = one(i, due).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    sent,
    answered: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latencies: Float64Array.from(latencies).sort(),
    errors,
    codes,
  };
}
