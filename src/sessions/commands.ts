/**
 * Session commands whose checks go beyond one Session method, shared by every transport that
 * offers them (the GraphQL mutations and the `/sessions/:id/debug` socket), so each rule lives
 * once.
 */
import { SCOPES, type Scope } from '../auth/scopes.js';
import type { Breakpoint } from '../runners/adapter.js';
import type { SessionRegistry } from './registry.js';
import { resolveBreakpoints, type BreakpointInput } from './session-input.js';
import type { Session } from './session.js';

/** True when any of the breakpoints runs code in the debuggee (a condition or a logpoint message). */
export function runsCode(breakpoints: readonly BreakpointInput[]): boolean {
  return breakpoints.some((b) => b.condition || b.logMessage);
}

/**
 * The scope each session command needs, whatever the transport: the GraphQL fields declare these
 * as their `authScopes`, the `/sessions/:id/debug` socket checks them per command.
 */
export const COMMAND_SCOPES = {
  createSession: SCOPES.SESSIONS_WRITE,
  step: SCOPES.DEBUG_CONTROL,
  continue: SCOPES.DEBUG_CONTROL,
  pause: SCOPES.DEBUG_CONTROL,
  setBreakpoints: SCOPES.DEBUG_CONTROL,
  setExceptionBreakpoints: SCOPES.DEBUG_CONTROL,
  eval: SCOPES.DEBUG_EVAL,
  stackTrace: SCOPES.SESSIONS_READ,
  scopes: SCOPES.SESSIONS_READ,
  variables: SCOPES.SESSIONS_READ,
  restart: SCOPES.SESSIONS_WRITE,
  terminate: SCOPES.SESSIONS_WRITE,
} as const satisfies Record<string, Scope>;

/** A command every transport offers. */
export type SessionCommand = keyof typeof COMMAND_SCOPES;

/** Every scope `command` needs: its own, and `debug:eval` when its breakpoints run code in the debuggee, like eval. */
export function scopesFor(command: SessionCommand, breakpoints: readonly BreakpointInput[] = []): Scope[] {
  const own = COMMAND_SCOPES[command];
  return runsCode(breakpoints) && own !== SCOPES.DEBUG_EVAL ? [own, SCOPES.DEBUG_EVAL] : [own];
}

/** Replaces one file's breakpoints; `source` is relative to the session's cwd or absolute, inside the workspace. */
export function setBreakpoints(
  registry: SessionRegistry,
  session: Session,
  source: string,
  breakpoints: BreakpointInput[],
): Promise<Breakpoint[]> {
  const file = registry.workspace.resolve(source, 'source', 'file', session.spec.cwd);
  return session.setBreakpoints(file, resolveBreakpoints(breakpoints));
}

/** Runs the program again; an ended session holds no process, so restarting it is within the quotas. */
export async function restart(registry: SessionRegistry, session: Session): Promise<void> {
  if (session.ended) registry.assertCanRun(session.owner);
  await session.restart();
}
