import { z } from 'zod';

/**
 * The contact policy (`policy.json`). Every key is optional; a missing key means "no such
 * constraint". Unknown keys are refused (a typo must not silently drop a constraint).
 */
const positiveInt = z.number().int().min(0);
const perKey = z.record(z.string().min(1), positiveInt);

export const policySchema = z.strictObject({
  /** Days the plan covers. */
  horizonDays: z.number().int().min(1).max(3660).optional(),
  /** Most contacts one client may receive over the horizon, past contacts in the window included. */
  maxContactsPerClient: positiveInt.optional(),
  /** Same, per channel id. */
  maxContactsPerClientPerChannel: perKey.optional(),
  /** No contact about a product for this many days after the client refused an offer of it. */
  cooldownDaysAfterRefusal: positiveInt.optional(),
  /** Contacts per day, per channel id. */
  channelDailyCapacity: perKey.optional(),
  /** Contacts over the horizon, per product id. */
  productQuota: perKey.optional(),
  /** Total contact cost over the horizon, EUR. */
  budgetEUR: z.number().min(0).optional(),
  noCreditOffersToFragileClients: z.boolean().optional(),
  suitability: z.boolean().optional(),
  /** A segment's share of contacts may be at most this times its share of clients (≥ 1). */
  maxSegmentShareRatio: z.number().min(1).optional(),
});

export type Policy = z.output<typeof policySchema>;
