/**
 * What a test sees of session boxes from the host: their processes, and the sockets those
 * processes listen on as the host's network namespace shows them.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { descendantsOf } from '../../src/sandbox/process-tree.js';

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Every process of the boxes that bind `workspace` (their bwrap processes and all below them). */
export function boxProcesses(workspace: string): number[] {
  const roots = allPids().filter((pid) => {
    const argv = cmdline(pid);
    return argv[0]?.endsWith('bwrap') === true && argv.includes(workspace);
  });
  return [...new Set(roots.flatMap((root) => [root, ...descendantsOf(root)]))];
}

/** Inodes of the sockets the processes hold open. */
function socketInodes(pids: number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return inodes;
}

/** A listening socket as the host's network namespace lists it. */
export interface Listener {
  kind: 'tcp' | 'tcp6' | 'unix';
  /** "127.0.0.1:PORT" for TCP (hex as in /proc), the path (or @name) for Unix sockets. */
  address: string;
  /** True when a process on the host could connect: any TCP listener, an abstract Unix socket, a path that exists here. */
  reachable: boolean;
}

/** Listening sockets held by `pids`, from /proc/net of the caller's network namespace. */
export function listenersOf(pids: number[]): Listener[] {
  const inodes = socketInodes(pids);
  const out: Listener[] = [];
  for (const kind of ['tcp', 'tcp6'] as const) {
    for (const line of readFileSync(`/proc/net/${kind}`, 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // st 0A = LISTEN; inode is field 10.
      if (f[3] === '0A' && f[9] !== undefined && inodes.has(f[9])) out.push({ kind, address: f[1] ?? '', reachable: true });
    }
  }
  for (const line of readFileSync('/proc/net/unix', 'utf8').trim().split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // Flags 00010000 = __SO_ACCEPTCON (listening); inode field 7, path field 8.
    if (f[3] !== '00010000' || f[6] === undefined || !inodes.has(f[6])) continue;
    const address = f[7] ?? '';
    const reachable = address.startsWith('@') || (address !== '' && existsSync(address));
    out.push({ kind: 'unix', address, reachable });
  }
  return out;
}
