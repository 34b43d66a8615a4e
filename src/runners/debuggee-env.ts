/** Builds the environment of a debuggee (or of the debug adapter that starts it). */

/**
 * What a debuggee inherits of the server's own environment: what programs need to find
 * executables, format text and know the time. Nothing else: the server's environment is the
 * operator's (keys, tokens, cloud credentials), not the session owner's.
 */
const INHERITED_NAMES = new Set(['PATH', 'LANG', 'LANGUAGE', 'TZ', 'TERM', 'HOME', 'USER', 'LOGNAME']);
const INHERITED_PREFIXES = ['LC_'];
/** Home inside a session box: its private, writable /tmp (the server's home is not in the box). */
export const BOX_HOME = '/tmp';

/**
 * The inherited part of `base` (see {@link INHERITED_NAMES}) with `extra` (the client's validated
 * variables, see session-input.ts) merged over it.
 */
export function buildDebuggeeEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>, boxed = false): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (INHERITED_NAMES.has(name) || INHERITED_PREFIXES.some((prefix) => name.startsWith(prefix))) env[name] = value;
  }
  if (boxed) env.HOME = BOX_HOME;
  return { ...env, ...extra };
}
