import { CodedError, type SessionErrorCode } from '../errors.js';
import { RunnerError } from '../runners/adapter.js';

export type { SessionErrorCode };

/** A failure of the session core, with a code the API passes on. */
export class SessionError extends CodedError<SessionErrorCode> {}

/** Maps a runner failure to a session error with a code the API understands. */
export function mapRunnerError(err: unknown): SessionError {
  if (err instanceof SessionError) return err;
  if (err instanceof RunnerError) {
    const code = err.code === 'LAUNCH_FAILED' ? 'RUNNER_ERROR' : err.code;
    return new SessionError(code, err.message, { cause: err });
  }
  return new SessionError('RUNNER_ERROR', err instanceof Error ? err.message : String(err), { cause: err });
}
