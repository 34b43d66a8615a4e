import type { Principal } from '../auth/scopes.js';
import type { ApiMetrics, Transport } from '../metrics/metrics.js';
import type { SessionRegistry } from '../sessions/registry.js';

/** What every resolver sees: who calls (if anyone), the sessions, and how the call came in. */
export interface ApiContext {
  principal: Principal | undefined;
  registry: SessionRegistry;
  metrics: ApiMetrics;
  transport: Transport;
}
