import type { Caller } from './auth.js';
import type { ApiService } from './services/api-service.js';

/** Per-request context: the verified caller, the service, and the pseudonym key. */
export interface ApiContext {
  readonly caller: Caller;
  readonly service: ApiService;
  readonly secret: string;
}
