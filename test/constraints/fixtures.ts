import type { ChannelInfo, ProductInfo } from '../../src/domain/catalog.js';
import type { ClientState } from '../../src/domain/client-state.js';
import type { ConsentStatus } from '../../src/domain/enums.js';
import type { ChannelId, ClientId, ProductId } from '../../src/domain/ids.js';
import { DAY_MS } from '../../src/domain/time.js';

export const NOW = Date.parse('2025-06-15T12:00:00Z');
export const DAY = DAY_MS;

export function client(overrides: Partial<ClientState> = {}): ClientState {
  return {
    id: 'C1' as ClientId,
    birthYear: 1980,
    segment: 'mass',
    riskProfile: 'balanced',
    financiallyFragile: false,
    heldProducts: new Set<ProductId>(),
    consents: new Map<ChannelId, ConsentStatus>(),
    pastContacts: [],
    lastRefusalAt: new Map<ProductId, number>(),
    ...overrides,
  };
}

export function product(overrides: Partial<ProductInfo> = {}): ProductInfo {
  return { id: 'P_SAVINGS' as ProductId, family: 'savings', isCredit: false, unitValue: 100, ...overrides };
}

export function channel(id: string, costPerContact = 1): ChannelInfo {
  return { id: id as ChannelId, costPerContact };
}

export const ch = (id: string): ChannelId => id as ChannelId;
export const pr = (id: string): ProductId => id as ProductId;
