/**
 * Reading a process tree from Linux /proc: children, and the pid a process has inside the PID
 * namespace it lives in (a box reports its own pids; signals from here need the host's).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Direct children of `pid`, whichever of its threads started them. */
export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (child) children.push(Number(child));
      }
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return children;
}

/** Every descendant of `pid`, parents before children. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...childrenOf(next));
  }
  return out;
}

/** The pid of `pid` in its innermost PID namespace (the last NSpid field), or undefined. */
export function innermostPid(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const fields = /^NSpid:\s*(.+)$/m.exec(status)?.[1]?.trim().split(/\s+/);
    const last = fields?.[fields.length - 1];
    return last === undefined ? undefined : Number(last);
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie (Linux /proc; else signal 0). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name (which may itself contain spaces or parens).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
