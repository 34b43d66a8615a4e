/** Error codes the core reports; the API layer maps them to `extensions.code`. */
export type SessionErrorCode = 'NOT_FOUND' | 'BAD_USER_INPUT' | 'INVALID_STATE' | 'RUNNER_ERROR' | 'TIMEOUT' | 'LIMIT_EXCEEDED';

/** A failure with a code and a message that is safe to show to the caller. */
export class SessionError extends Error {
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SessionError';
  }
}
