/** Every scope the API knows, and what it allows. */
export const SCOPES = {
  /** Read sessions, their state, stack, variables and events. */
  SESSIONS_READ: 'sessions:read',
  /** Create, restart and terminate sessions. */
  SESSIONS_WRITE: 'sessions:write',
  /** Step, continue, pause, set breakpoints. */
  DEBUG_CONTROL: 'debug:control',
  /** Evaluate expressions in the debuggee: runs arbitrary code, hence its own scope. */
  DEBUG_EVAL: 'debug:eval',
  /** Read the debuggee's output. */
  LOGS_READ: 'logs:read',
  /** Scrape `GET /metrics` (Prometheus): server-wide figures, no session contents. */
  METRICS_READ: 'metrics:read',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

/** Who is calling: the token's `sub` owns sessions; `scopes` limit what it may do. */
export interface Principal {
  subject: string;
  scopes: ReadonlySet<string>;
  /** Token expiry, seconds since the epoch (undefined: no expiry claim). */
  expiresAt: number | undefined;
}
