import type { ClientState, PlannedContacts } from '../../domain/client-state.js';
import type { ClientId } from '../../domain/ids.js';

/** What a reader gives for one client: the state at `now` and, when it knows them, planned contacts. */
export interface ClientReading {
  readonly state: ClientState;
  /** Contacts already suggested or planned for the client and not yet sent (live pressure counters). */
  readonly planned?: PlannedContacts | undefined;
}

/**
 * How the allocator reads a client's live state. The API implements it on the knowledge graph
 * (Neo4jClientStateReader: one named Cypher read, then domain's clientStateAt); `nbg plan` on a
 * dataset folder derives the same states from the CSV files (readDatasetWorld).
 */
export interface ClientStateReader {
  /**
   * The client's state at `now`, with the contacts of the last `windowDays` days; undefined when
   * the client does not exist.
   */
  readClientState(clientId: ClientId, now: number, windowDays: number): Promise<ClientReading | undefined>;
}
