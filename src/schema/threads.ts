import { SessionError } from '../sessions/errors.js';

/** A thread id argument: a positive integer, or absent; BAD_USER_INPUT otherwise. */
export function threadArg(id: string | number | null | undefined): number | undefined {
  if (id == null) return undefined;
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1) throw new SessionError('BAD_USER_INPUT', `"${String(id)}" is not a thread id`);
  return n;
}
