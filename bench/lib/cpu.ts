/**
 * CPU time per thread and of reaped child processes, from Linux's /proc (seconds). Empty figures
 * elsewhere. Lets a benchmark say where a run's CPU went: the debuggee, the server's thread, the
 * readers' thread, and the rest (V8's GC helpers, libuv's pool).
 */
import { readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ, 100 on every Linux we run on

/** utime + stime of a /proc stat line, and cutime + cstime (reaped children). */
function parseStat(stat: string): { self: number; children: number } {
  // The command name is in parentheses and may hold spaces: fields count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number): number => Number(fields[i - 3]);
  return { self: (n(14) + n(15)) / TICK, children: (n(16) + n(17)) / TICK };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU seconds of the calling thread. */
export function threadCpu(): number {
  const stat = read('/proc/thread-self/stat');
  return stat ? parseStat(stat).self : Number.NaN;
}

/** CPU seconds of this process (every thread) and of its reaped children. */
export function processCpu(): { threads: number; children: number } {
  const stat = read('/proc/self/stat');
  if (!stat) return { threads: Number.NaN, children: Number.NaN };
  const { self, children } = parseStat(stat);
  return { threads: self, children };
}
