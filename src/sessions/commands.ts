/**
 * Session commands whose checks go beyond one Session method, shared by every transport that
 * offers them (the GraphQL mutations and the `/sessions/:id/debug` socket), so each rule lives
 * once.
 */
import type { Breakpoint } from '../runners/adapter.js';
import type { SessionRegistry } from './registry.js';
import { resolveBreakpoints, type BreakpointInput } from './session-input.js';
import type { Session } from './session.js';

/** True when any of the breakpoints runs code in the debuggee (a condition or a logpoint message). */
export function runsCode(breakpoints: readonly BreakpointInput[]): boolean {
  return breakpoints.some((b) => b.condition || b.logMessage);
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
