import type { RunnerFactory } from '../runners/adapter.js';
import { SessionError } from './errors.js';
import { Session, type SessionLimits } from './session.js';
import { resolveCreateInput, type CreateSessionInput } from './session-input.js';
import type { Runtime } from './types.js';
import type { Workspace } from './workspace.js';

/**
 * Every session of this server, in memory, by id.
 *
 * Lookups take the caller's subject: a session that is not yours is reported exactly like one
 * that does not exist, so ids leak nothing.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  #closed = false;

  constructor(
    private readonly runners: Partial<Record<Runtime, RunnerFactory>>,
    readonly workspace: Workspace,
    private readonly limits: SessionLimits,
  ) {}

  /** Validates the input, launches the program and returns the session (FAILED if it could not start). */
  async create(owner: string, input: CreateSessionInput): Promise<Session> {
    if (this.#closed) throw new SessionError('INVALID_STATE', 'the server is shutting down');
    const { spec, breakpoints, exceptionFilters } = resolveCreateInput(input, this.workspace);
    const factory = this.runners[spec.runtime];
    if (!factory) throw new SessionError('BAD_USER_INPUT', `runtime ${spec.runtime} is not available on this server`);
    const runner = factory();
    const unsupported = exceptionFilters.filter((f) => !runner.capabilities.exceptionFilters.includes(f));
    if (unsupported.length > 0) {
      throw new SessionError('BAD_USER_INPUT', `this runtime does not support exception filter(s): ${unsupported.join(', ')}`);
    }
    const session = new Session(owner, spec, runner, this.limits);
    this.#sessions.set(session.id, session);
    await session.start(breakpoints, exceptionFilters);
    return session;
  }

  /** The caller's session, or undefined (missing and not-yours look the same). */
  find(id: string, owner: string): Session | undefined {
    const session = this.#sessions.get(id);
    return session && session.owner === owner ? session : undefined;
  }

  /** The caller's session; NOT_FOUND otherwise. */
  get(id: string, owner: string): Session {
    const session = this.find(id, owner);
    if (!session) throw new SessionError('NOT_FOUND', `no session with id "${id}"`);
    return session;
  }

  /** The caller's sessions, oldest first. */
  list(owner: string): Session[] {
    return [...this.#sessions.values()].filter((s) => s.owner === owner);
  }

  /** Every session of every owner (for metrics and shutdown). */
  all(): Session[] {
    return [...this.#sessions.values()];
  }

  /** Refuses new sessions and terminates every debuggee. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.all().map((s) => s.terminate()));
  }
}
