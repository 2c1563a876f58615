import { DEFAULT_HORIZON_DAYS } from '../../constraints/rule.js';
import type { ChannelInfo, ProductInfo } from '../../domain/catalog.js';
import type { ClientId } from '../../domain/ids.js';
import type { Policy } from '../../domain/policy.js';
import { ErrorCode, NbgError } from '../../errors.js';
import type { ActionValueSource } from '../value-sources/action-value-source.js';
import type { ClientReading, ClientStateReader } from './client-state-reader.js';
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

/** The ranking, with what it was computed from (for the record of what was served). */
export interface ClientRecommendation extends ClientRanking {
  /** The state the rules checked and the planned contacts they counted. */
  readonly reading: ClientReading;
}

/**
 * Real time, end to end: read the client's live state and pressure counters (one call of the
 * reader), score the actions, rank them under every rule (rankActions). Throws NOT_FOUND for an
 * unknown client.
 */
export async function recommendForClient(input: RecommendForClientInput): Promise<ClientRecommendation> {
  const { reader, products, channels, policy, now, clientId } = input;
  const windowDays = policy.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const reading = await reader.readClientState(clientId, now, windowDays);
  if (reading === undefined) throw new NbgError(ErrorCode.NOT_FOUND, `client ${clientId} not found`);
  const { state: client, planned } = reading;
  const values = new Float64Array(products.length * channels.length);
  await input.values.score([client], products, channels, values);
  const ranking = rankActions({
    client,
    products,
    channels,
    policy,
    now,
    values,
    ...(planned ? { planned } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
  });
  return { ...ranking, reading };
}
