import type { ClientState, PlannedContacts } from '../constraints/client-state.js';
import type { ClientId } from '../domain/ids.js';

/**
 * How the allocator reads a client's live state. The db layer implements it with named Cypher
 * queries on the knowledge graph (consents, holdings, solicitations in the window with their
 * channels and outcomes); `nbg plan` on a dataset folder reads the CSV files instead.
 */
export interface ClientStateReader {
  /**
   * The client's state at `now`, with the contacts of the last `windowDays` days; undefined when
   * the client does not exist.
   */
  readClientState(clientId: ClientId, now: number, windowDays: number): Promise<ClientState | undefined>;
  /** Contacts already suggested or planned for the client and not yet sent (live pressure counters). */
  plannedContacts?(clientId: ClientId, now: number): Promise<PlannedContacts>;
}
