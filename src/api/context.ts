import type { Caller } from './auth.js';
import type { ApiServices } from './services/api-services.js';

/** Per-request context: the verified caller, the services, and the pseudonym key. */
export interface ApiContext {
  readonly caller: Caller;
  readonly services: ApiServices;
  readonly secret: string;
}
