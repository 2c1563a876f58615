/**
 * Real-time ranking for one client: every rule checked on every (product, channel), the allowed
 * actions ranked, 'no contact' when nothing is worth it. The model's scoring is excluded (values
 * are scored beforehand); the live state is read from memory (in production it comes from Neo4j
 * through ClientStateReader, a network round trip this benchmark does not measure).
 *
 *   npx tsx bench/realtime.ts [--clients 2000] [--requests 20000] [--seed 1]
 */

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { rankActions } from '../src/allocate/real-time/rank-actions.js';
import { SyntheticValueSource } from '../src/allocate/stand-ins/synthetic-value-source.js';
import {
  SYNTHETIC_CHANNELS,
  SYNTHETIC_PRODUCTS,
  syntheticClients,
} from '../src/allocate/stand-ins/synthetic-world.js';
import type { ClientState } from '../src/domain/client-state.js';
import type { Policy } from '../src/domain/policy.js';
import { percentile } from '../src/numeric/percentile.js';
import { createRng } from '../src/rng.js';
import { stopwatch } from '../src/stopwatch.js';
import { reportBench } from './lib/report.js';

export const REALTIME_POLICY: Policy = {
  horizonDays: 30,
  maxContactsPerClient: 2,
  maxContactsPerClientPerChannel: { phone: 1, branch: 1 },
  cooldownDaysAfterRefusal: 90,
  noCreditOffersToFragileClients: true,
  suitability: true,
};

export interface RealtimeFigures {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly noContactShare: number;
}

/** Ranks `requests` random clients of a synthetic world of `clients`; latencies per request. */
export function measureRealtime(clients = 2000, requests = 20_000, seed = 1): RealtimeFigures {
  const now = Date.parse('2025-06-15T00:00:00Z');
  const world: ClientState[] = [];
  for (const batch of syntheticClients(clients, seed, now)) world.push(...batch);
  const P = SYNTHETIC_PRODUCTS.length;
  const C = SYNTHETIC_CHANNELS.length;
  const values = new Float64Array(clients * P * C);
  new SyntheticValueSource({ seed }).score(world, SYNTHETIC_PRODUCTS, SYNTHETIC_CHANNELS, values);
  const rng = createRng(seed).fork('requests');
  const times = new Float64Array(requests);
  let noContact = 0;
  for (let r = -500; r < requests; r++) {
    const i = rng.int(clients);
    const sw = stopwatch();
    const ranking = rankActions({
      client: world[i]!,
      products: SYNTHETIC_PRODUCTS,
      channels: SYNTHETIC_CHANNELS,
      policy: REALTIME_POLICY,
      now,
      values: values.subarray(i * P * C, (i + 1) * P * C),
      limit: 5,
    });
    const dt = sw.seconds() * 1000;
    if (r >= 0) {
      times[r] = dt;
      if (ranking.decision === 'no-contact') noContact++;
    }
  }
  times.sort();
  const q = (p: number): number => percentile(times, p);
  return {
    requests,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: times[requests - 1]!,
    noContactShare: noContact / requests,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { clients: { type: 'string' }, requests: { type: 'string' }, seed: { type: 'string' } },
  });
  const f = measureRealtime(
    Number(values.clients ?? 2000),
    Number(values.requests ?? 20_000),
    Number(values.seed ?? 1),
  );
  reportBench(
    'realtime',
    [
      {
        title: 'Real-time ranking of one client: 12 products × 5 channels, 7 rules each (scoring excluded)',
        columns: ['requests', 'p50 ms', 'p99 ms', 'max ms', 'no-contact share'],
        rows: [[f.requests, f.p50Ms, f.p99Ms, f.maxMs, f.noContactShare]],
        notes: ['Target: p99 ≤ 10 ms.'],
      },
    ],
    { realtimeMsP50: f.p50Ms, realtimeMsP99: f.p99Ms, realtimeMsMax: f.maxMs, requests: f.requests },
  );
}
