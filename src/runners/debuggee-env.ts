/** Builds the environment of a debuggee (or of the debug adapter that starts it). */

/**
 * Variables never passed on, by exact name: they would change how Node starts (NODE_OPTIONS could
 * add a second --inspect or preload code; NODE_INSPECT_RESUME_ON_START makes `--inspect-brk` not
 * stop).
 */
const DROPPED_NAMES = new Set(['NODE_OPTIONS', 'NODE_INSPECT_RESUME_ON_START']);

/**
 * Prefixes of variables never passed on: the server's own configuration (secrets included) and
 * the test runner's, which would make a debuggee think it runs under vitest.
 */
const DROPPED_PREFIXES = ['DEBUG_SERVER_', 'VITEST'];

/**
 * Returns `base` minus the server's, Node's and vitest's control variables, with `extra` merged
 * over it (so callers can still set e.g. NODE_OPTIONS explicitly).
 */
export function buildDebuggeeEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (DROPPED_NAMES.has(name) || DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
