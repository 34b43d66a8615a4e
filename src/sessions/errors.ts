import { CodedError, type SessionErrorCode } from '../errors.js';

export type { SessionErrorCode };

/** A failure of the session core, with a code the API passes on. */
export class SessionError extends CodedError<SessionErrorCode> {}
