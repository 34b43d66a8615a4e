/**
 * What sessions and the registry report as they work, for metrics. The sessions layer knows the
 * interface only; the server plugs its metrics in (a no-op by default).
 */
export interface SessionObserver {
  sessionCreated(runtime: string): void;
  /** A run reached an end state (EXITED, FAILED, TERMINATED). */
  sessionEnded(runtime: string, state: string): void;
  /** Lines appended to a session's log. */
  linesRead(runtime: string, count: number): void;
  /** A runner call failed with this code. */
  runnerError(runtime: string, code: string): void;
  /** A session was refused by a quota. */
  refused(reason: 'sessions_per_owner' | 'sessions_total'): void;
}

/** Reports nothing. */
export const NO_OBSERVER: SessionObserver = {
  sessionCreated: () => undefined,
  sessionEnded: () => undefined,
  linesRead: () => undefined,
  runnerError: () => undefined,
  refused: () => undefined,
};
