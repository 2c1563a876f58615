import fc from 'fast-check';
import {
  SYNTHETIC_CHANNELS,
  SYNTHETIC_PRODUCTS,
  syntheticClient,
} from '../../src/allocate/stand-ins/synthetic-world.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { Policy } from '../../src/domain/policy.js';
import { createRng } from '../../src/rng.js';

export const NOW = Date.parse('2025-06-15T00:00:00Z');

/** A random world: a seed and a client count, turned into synthetic client states. */
export function clientsOf(seed: number, count: number): ClientState[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => syntheticClient(rng, i, NOW));
}

const channelIds = SYNTHETIC_CHANNELS.map((c) => c.id as string);
const productIds = SYNTHETIC_PRODUCTS.map((p) => p.id as string);

const perKey = (ids: readonly string[], max: number) =>
  fc.dictionary(fc.constantFrom(...ids), fc.integer({ min: 0, max }), { maxKeys: ids.length });

/** Random policies: every key optional, values from tight to loose (zero limits included). */
export const policyArb: fc.Arbitrary<Policy> = fc.record(
  {
    horizonDays: fc.integer({ min: 1, max: 60 }),
    maxContactsPerClient: fc.integer({ min: 0, max: 4 }),
    maxContactsPerClientPerChannel: perKey(channelIds, 3),
    cooldownDaysAfterRefusal: fc.integer({ min: 0, max: 180 }),
    channelDailyCapacity: perKey(channelIds, 3),
    productQuota: perKey(productIds, 6),
    budgetEUR: fc.double({ min: 0, max: 400, noNaN: true }),
    noCreditOffersToFragileClients: fc.boolean(),
    suitability: fc.boolean(),
    maxSegmentShareRatio: fc.double({ min: 1, max: 3, noNaN: true }),
  },
  { requiredKeys: [] },
);
