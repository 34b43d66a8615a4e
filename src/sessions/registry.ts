import type { RunnerFactory } from '../runners/adapter.js';
import { SessionError } from './errors.js';
import { NO_OBSERVER, type SessionObserver } from './observer.js';
import { Session } from './session.js';
import type { SessionLimits } from './types.js';
import { resolveCreateInput, type CreateSessionInput } from './session-input.js';
import type { Runtime } from './types.js';
import type { Workspace } from './workspace.js';

/** How many live sessions the server runs (a live session has, or is starting, a process). */
export interface SessionQuotas {
  perOwner: number;
  total: number;
}

/** How long an ended session is kept (its logs readable, restartable) before it is removed. */
export interface SessionRetention {
  endedTtlMs: number;
}

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
    private readonly quotas: SessionQuotas = { perOwner: Number.POSITIVE_INFINITY, total: Number.POSITIVE_INFINITY },
    private readonly retention: SessionRetention = { endedTtlMs: Number.POSITIVE_INFINITY },
    private readonly observer: SessionObserver = NO_OBSERVER,
  ) {
    if (Number.isFinite(retention.endedTtlMs)) {
      // Often enough that a session goes within a quarter of its TTL after it is due.
      const every = Math.min(30_000, Math.max(50, retention.endedTtlMs / 4));
      this.#reaper = setInterval(() => void this.reap(), every);
      this.#reaper.unref();
    }
  }

  #reaper: NodeJS.Timeout | undefined;

  /**
   * Removes sessions that ended (terminated, or their run ended and nobody restarted it) longer
   * than the TTL ago, with their logs: their streams complete first, then lookups say NOT_FOUND.
   */
  async reap(now = Date.now()): Promise<void> {
    const due = this.all().filter((s) => s.endedAt !== undefined && now - s.endedAt >= this.retention.endedTtlMs);
    for (const session of due) {
      this.#sessions.delete(session.id);
      // Completes every subscription (a terminated session has done so already).
      await session.terminate();
    }
  }

  /** Validates the input, launches the program and returns the session (FAILED if it could not start). */
  async create(owner: string, input: CreateSessionInput): Promise<Session> {
    if (this.#closed) throw new SessionError('INVALID_STATE', 'the server is shutting down');
    const { spec, breakpoints, exceptionFilters } = resolveCreateInput(input, this.workspace);
    this.assertCanRun(owner);
    const factory = this.runners[spec.runtime];
    if (!factory) throw new SessionError('BAD_USER_INPUT', `runtime ${spec.runtime} is not available on this server`);
    const runner = factory();
    const unsupported = exceptionFilters.filter((f) => !runner.capabilities.exceptionFilters.includes(f));
    if (unsupported.length > 0) {
      throw new SessionError('BAD_USER_INPUT', `this runtime does not support exception filter(s): ${unsupported.join(', ')}`);
    }
    const session = new Session(owner, spec, runner, this.limits, this.observer);
    this.#sessions.set(session.id, session);
    this.observer.sessionCreated(spec.runtime);
    await session.start(breakpoints, exceptionFilters);
    return session;
  }

  /**
   * Throws LIMIT_EXCEEDED when `owner` may not have one more live session (one that has, or is
   * starting, a process; an ended one holds none until it is restarted).
   */
  assertCanRun(owner: string): void {
    const live = this.all().filter((s) => !s.ended);
    const mine = live.filter((s) => s.owner === owner).length;
    if (mine >= this.quotas.perOwner) {
      this.observer.refused('sessions_per_owner');
      throw new SessionError('LIMIT_EXCEEDED', `you have ${mine} live sessions, the most allowed per owner (terminate one first)`);
    }
    if (live.length >= this.quotas.total) {
      this.observer.refused('sessions_total');
      throw new SessionError('LIMIT_EXCEEDED', 'the server runs as many live sessions as it allows; try again later');
    }
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
    clearInterval(this.#reaper);
    await Promise.allSettled(this.all().map((s) => s.terminate()));
  }
}
