import { describe, expect, it } from 'vitest';
import type { ClientStateReader } from '../../../src/allocate/real-time/client-state-reader.js';
import { recommendForClient } from '../../../src/allocate/real-time/recommend-for-client.js';
import { SyntheticValueSource } from '../../../src/allocate/stand-ins/synthetic-value-source.js';
import { SYNTHETIC_CHANNELS, SYNTHETIC_PRODUCTS } from '../../../src/allocate/stand-ins/synthetic-world.js';
import type { ClientState } from '../../../src/domain/client-state.js';
import type { ClientId } from '../../../src/domain/ids.js';
import { ErrorCode, NbgError } from '../../../src/errors.js';
import { clientsOf, NOW } from '../world.js';

/** An in-memory reader: the seam the db layer implements with named Cypher queries. */
function memoryReader(
  clients: readonly ClientState[],
  planned = 0,
): ClientStateReader & { windows: number[] } {
  const byId = new Map(clients.map((c) => [c.id as string, c]));
  const windows: number[] = [];
  return {
    windows,
    async readClientState(id, _now, windowDays) {
      windows.push(windowDays);
      const state = byId.get(id);
      return state && { state, planned: { total: planned, perChannel: new Map() } };
    },
  };
}

describe('recommendForClient', () => {
  const clients = clientsOf(3, 50);
  const values = new SyntheticValueSource({ seed: 2, meanUplift: 0.05 });
  const base = { values, products: SYNTHETIC_PRODUCTS, channels: SYNTHETIC_CHANNELS, now: NOW };

  it('reads the state with the policy window, scores, and ranks', async () => {
    const reader = memoryReader(clients);
    const id = clients[0]!.id;
    const r = await recommendForClient({
      ...base,
      reader,
      policy: { horizonDays: 45 },
      clientId: id,
      limit: 3,
    });
    expect(reader.windows).toEqual([45]);
    expect(r.clientId).toBe(id);
    expect(r.actions.length).toBeLessThanOrEqual(3);
    const scored = new Float64Array(SYNTHETIC_PRODUCTS.length * SYNTHETIC_CHANNELS.length);
    values.score([clients[0]!], SYNTHETIC_PRODUCTS, SYNTHETIC_CHANNELS, scored);
    if (r.actions[0]) {
      const p = SYNTHETIC_PRODUCTS.findIndex((x) => x.id === r.actions[0]!.product);
      const c = SYNTHETIC_CHANNELS.findIndex((x) => x.id === r.actions[0]!.channel);
      expect(r.actions[0].value).toBe(scored[p * SYNTHETIC_CHANNELS.length + c]);
    }
  });

  it('live planned contacts can leave nothing to suggest', async () => {
    const r = await recommendForClient({
      ...base,
      reader: memoryReader(clients, 2),
      policy: { maxContactsPerClient: 2 },
      clientId: clients[1]!.id,
    });
    expect(r.decision).toBe('no-contact');
    expect(r.excluded.every((e) => e.excludedBy.includes('contact-pressure'))).toBe(true);
  });

  it('an unknown client is NOT_FOUND', async () => {
    const p = recommendForClient({
      ...base,
      reader: memoryReader(clients),
      policy: {},
      clientId: 'NOPE' as ClientId,
    });
    await expect(p).rejects.toBeInstanceOf(NbgError);
    await expect(p).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, message: 'client NOPE not found' });
  });
});
