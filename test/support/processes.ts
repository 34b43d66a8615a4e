import { execFileSync } from 'node:child_process';

/** PIDs of live processes whose command line mentions `needle` (e.g. a fixture path). */
export function processesRunning(needle: string): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat = '', ...args]) => !stat.startsWith('Z') && args.join(' ').includes(needle) && args[0] !== 'ps')
    .map(([pid]) => Number(pid))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}
