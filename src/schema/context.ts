import type { Principal } from '../auth/scopes.js';
import type { SessionRegistry } from '../sessions/registry.js';

/** What every resolver sees: who calls (if anyone) and the sessions. */
export interface ApiContext {
  principal: Principal | undefined;
  registry: SessionRegistry;
}
