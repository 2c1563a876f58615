import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientState, PastContact } from '../../domain/client-state.js';
import { type ConsentStatus, RISK_PROFILES, SEGMENTS } from '../../domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../../domain/ids.js';
import { DAY_MS } from '../../domain/time.js';
import { createRng, type Rng } from '../../rng.js';

/** 12 products of a retail bank: families, credit flag, age limits, risk profile, margin (EUR). */
export const SYNTHETIC_PRODUCTS: readonly ProductInfo[] = [
  { id: 'P_CURRENT' as ProductId, family: 'account', isCredit: false, unitValue: 60 },
  { id: 'P_YOUTH' as ProductId, family: 'account', isCredit: false, maxAge: 25, unitValue: 40 },
  { id: 'P_LIVRET' as ProductId, family: 'savings', isCredit: false, unitValue: 80 },
  { id: 'P_PEL' as ProductId, family: 'savings', isCredit: false, unitValue: 120 },
  { id: 'P_CONSUMER' as ProductId, family: 'credit', isCredit: true, minAge: 18, unitValue: 300 },
  {
    id: 'P_MORTGAGE' as ProductId,
    family: 'credit',
    isCredit: true,
    minAge: 18,
    maxAge: 70,
    unitValue: 1500,
  },
  { id: 'P_HOME_INS' as ProductId, family: 'insurance', isCredit: false, unitValue: 150 },
  {
    id: 'P_LIFE_INS' as ProductId,
    family: 'insurance',
    isCredit: false,
    minAge: 18,
    maxAge: 80,
    unitValue: 400,
  },
  {
    id: 'P_FUND_BAL' as ProductId,
    family: 'investment',
    isCredit: false,
    requiredRiskProfile: 'balanced',
    unitValue: 500,
  },
  {
    id: 'P_FUND_DYN' as ProductId,
    family: 'investment',
    isCredit: false,
    requiredRiskProfile: 'dynamic',
    unitValue: 700,
  },
  {
    id: 'P_PEA' as ProductId,
    family: 'investment',
    isCredit: false,
    minAge: 18,
    requiredRiskProfile: 'prudent',
    unitValue: 350,
  },
  { id: 'P_PREMIUM' as ProductId, family: 'service', isCredit: false, unitValue: 90 },
];

/** The five channels of the data contract's examples, with costs per contact in EUR. */
export const SYNTHETIC_CHANNELS: readonly ChannelInfo[] = [
  { id: 'branch' as ChannelId, costPerContact: 25 },
  { id: 'phone' as ChannelId, costPerContact: 6 },
  { id: 'email' as ChannelId, costPerContact: 0.1 },
  { id: 'sms' as ChannelId, costPerContact: 0.08 },
  { id: 'app_push' as ChannelId, costPerContact: 0.02 },
];

const SEGMENT_WEIGHTS = [0.55, 0.2, 0.05, 0.1, 0.1];
const CONSENT_GRANTED = [0.9, 0.35, 0.8, 0.3, 0.7];

/** One random client: segment, age, risk profile, fragility, holdings, consents, past contacts, refusals. */
export function syntheticClient(
  rng: Rng,
  index: number,
  now: number,
  products = SYNTHETIC_PRODUCTS,
  channels = SYNTHETIC_CHANNELS,
): ClientState {
  const segment = SEGMENTS[rng.weighted(SEGMENT_WEIGHTS)]!;
  const year = new Date(now).getUTCFullYear();
  const birthYear = segment === 'young' ? year - 18 - rng.int(10) : year - 18 - rng.int(70);
  const held = new Set<ProductId>();
  for (const p of products) if (rng.bernoulli(0.2)) held.add(p.id);
  const consents = new Map<ChannelId, ConsentStatus>();
  channels.forEach((ch, c) => {
    if (rng.bernoulli(0.7))
      consents.set(
        ch.id,
        rng.bernoulli(CONSENT_GRANTED[c % CONSENT_GRANTED.length]!) ? 'granted' : 'refused',
      );
  });
  const pastContacts: PastContact[] = [];
  const k = rng.poisson(0.6);
  for (let j = 0; j < k; j++) {
    pastContacts.push({
      at: now - rng.int(60) * DAY_MS - 1,
      channel: channels[rng.int(channels.length)]!.id,
    });
  }
  const lastRefusalAt = new Map<ProductId, number>();
  if (rng.bernoulli(0.15))
    lastRefusalAt.set(products[rng.int(products.length)]!.id, now - rng.int(200) * DAY_MS);
  return {
    id: `C${index}` as ClientId,
    birthYear,
    segment,
    riskProfile: RISK_PROFILES[rng.int(RISK_PROFILES.length)]!,
    financiallyFragile: rng.bernoulli(0.08),
    heldProducts: held,
    consents,
    pastContacts,
    lastRefusalAt,
  };
}

/** Batches of `batchSize` synthetic clients, `count` in all, deterministic for a seed. */
export function* syntheticClients(
  count: number,
  seed: number,
  now: number,
  batchSize = 4096,
): Generator<ClientState[]> {
  const rng = createRng(seed).fork('clients');
  for (let i = 0; i < count; i += batchSize) {
    const batch: ClientState[] = [];
    for (let j = i; j < Math.min(count, i + batchSize); j++) batch.push(syntheticClient(rng, j, now));
    yield batch;
  }
}
