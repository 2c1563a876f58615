import type { Policy } from '../domain/policy.js';
import { CHANNELS } from './catalog.js';

/**
 * The contact policy written as policy.json: what a prudent French retail bank would set for a
 * 30-day campaign horizon. Capacities, quota and budget scale with the number of clients.
 */
export function defaultContactPolicy(clients: number, horizonDays: number): Policy {
  const scale = clients / 100_000;
  const capacity: Record<string, number> = {};
  for (const c of CHANNELS) {
    if (c.capacityPer100k !== undefined) capacity[c.id] = Math.max(1, Math.round(c.capacityPer100k * scale));
  }
  return {
    horizonDays,
    maxContactsPerClient: 2,
    maxContactsPerClientPerChannel: { phone: 1, branch: 1, sms: 1 },
    cooldownDaysAfterRefusal: 90,
    channelDailyCapacity: capacity,
    productQuota: { P_MORTGAGE: Math.max(1, Math.round(500 * scale)) },
    budgetEUR: Math.max(100, Math.round(60_000 * scale)),
    noCreditOffersToFragileClients: true,
    suitability: true,
    maxSegmentShareRatio: 1.5,
  };
}
