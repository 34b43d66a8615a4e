/**
 * Every error code of the server, one list for runners, sessions and the API. Each layer raises
 * a subset (typed below); the API sends the code as `extensions.code` (and REST / WebSocket
 * endpoints as `error.code`). docs/api.md ("Errors") says when each is used.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'INVALID_STATE',
  'RUNNER_ERROR',
  'TIMEOUT',
  'LIMIT_EXCEEDED',
  'INTERNAL_SERVER_ERROR',
  /** A runner's: the program could not be started. The session shows FAILED; the API, RUNNER_ERROR. */
  'LAUNCH_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a runner (a debugger) reports. */
export type RunnerErrorCode = Extract<ErrorCode, 'INVALID_STATE' | 'RUNNER_ERROR' | 'TIMEOUT' | 'BAD_USER_INPUT' | 'LAUNCH_FAILED'>;

/** What the session core reports. */
export type SessionErrorCode = Extract<
  ErrorCode,
  'NOT_FOUND' | 'BAD_USER_INPUT' | 'INVALID_STATE' | 'RUNNER_ERROR' | 'TIMEOUT' | 'LIMIT_EXCEEDED'
>;

/** What a client sees. */
export type ApiErrorCode = Exclude<ErrorCode, 'LAUNCH_FAILED'>;

/** A failure with a code and a message that is safe to show to the caller. */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
