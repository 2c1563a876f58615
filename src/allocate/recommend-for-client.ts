import type { ChannelInfo, ProductInfo } from '../constraints/client-state.js';
import { DEFAULT_HORIZON_DAYS } from '../constraints/rule.js';
import type { ClientId } from '../domain/ids.js';
import type { Policy } from '../domain/policy.js';
import { ErrorCode, NbgError } from '../errors.js';
import type { ActionValueSource } from './action-value-source.js';
import type { ClientStateReader } from './client-state-reader.js';
import { type ClientRanking, rankActions } from './rank-actions.js';

export interface RecommendForClientInput {
  readonly reader: ClientStateReader;
  readonly values: ActionValueSource;
  readonly products: readonly ProductInfo[];
  readonly channels: readonly ChannelInfo[];
  readonly policy: Policy;
  readonly clientId: ClientId;
  readonly now: number;
  readonly limit?: number;
}

/**
 * Real time, end to end: read the client's live state and pressure counters, score the actions,
 * rank them under every rule (rankActions). Throws NOT_FOUND for an unknown client.
 */
export async function recommendForClient(input: RecommendForClientInput): Promise<ClientRanking> {
  const { reader, products, channels, policy, now, clientId } = input;
  const windowDays = policy.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const client = await reader.readClientState(clientId, now, windowDays);
  if (client === undefined) throw new NbgError(ErrorCode.NOT_FOUND, `client ${clientId} not found`);
  const planned = reader.plannedContacts ? await reader.plannedContacts(clientId, now) : undefined;
  const values = new Float64Array(products.length * channels.length);
  await input.values.score([client], products, channels, values);
  return rankActions({
    client,
    products,
    channels,
    policy,
    now,
    values,
    ...(planned ? { planned } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
  });
}
