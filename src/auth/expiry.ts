/** Acting when a token expires, for the streams that outlive the request that opened them. */

/** setTimeout takes at most 2^31 - 1 ms (~24.8 days); a later expiry is re-armed then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` once the token whose `exp` is `expiresAt` (seconds since the epoch) has expired.
 * Returns a function that cancels it. Nothing happens for a token without `exp`.
 */
export function atExpiry(expiresAt: number | undefined, expire: () => void): () => void {
  if (expiresAt === undefined) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const ms = Math.max(0, expiresAt * 1000 - Date.now());
    timer = setTimeout(() => (ms > MAX_TIMER_MS ? arm() : expire()), Math.min(ms, MAX_TIMER_MS));
    // An expiry is no reason to keep the process alive.
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
