/**
 * Processes this server started (adapters, debuggees), by process group: signalled as a group
 * (or alone, for a process that leads none), and killed if the server exits without cleaning up.
 * One list for every runner.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../sandbox/process-tree.js';

/** Process groups alive in this server process, killed if the server exits without cleaning up. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Kills a process group (or the process, if it leads none) at server exit unless untracked. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A debuggee stopped at a breakpoint (or an adapter waiting for us) would wait forever: never orphan one.
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

/** Stops tracking a process group (it is gone, or someone else owns it now). */
export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/**
 * Sends a signal to the process group led by `pid`, or to the process alone when it leads no
 * group. Never throws (the process may be gone).
 */
export function signalGroup(pid: number, signal: NodeJS.Signals | number): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    /* not a group leader, or gone */
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

/** Resolves true once the process is gone, false if it still lives after `timeoutMs`. */
export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}
