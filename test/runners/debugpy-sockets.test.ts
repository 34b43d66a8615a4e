/**
 * debugpy through src/runners/dap/debugpy/ (adapter.py, launcher.py, bootstrap.py), with real
 * processes: while a Python session is stopped, none of its processes (adapter, launcher,
 * debuggee) listens on TCP or on an abstract Unix socket, the adapter's listeners are Unix sockets
 * in a directory of mode 0700, and no command line carries the adapter's access token. A control
 * run with debugpy's own adapter and launcher shows that these checks do see the listeners and
 * the token when they are there.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RunnerEventLog } from '../support/runner-events.js';
import { waitUntilGone } from '../../src/runners/process-groups.js';
import type { DapLauncher } from '../../src/runners/dap/dap-launcher.js';
import { DapRunner } from '../../src/runners/dap/dap-runner.js';
import { DEBUGPY_SCRIPT_DIR, debugpyLauncher } from '../../src/runners/dap/debugpy.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/python/', import.meta.url));
const PROGRAM = `${FIXTURES}loop.py`;
const SOCKET_DIR_VARIABLE = 'DEBUG_SERVER_DEBUGPY_SOCKETS';
const TOKEN_VARIABLE = 'DEBUG_SERVER_DEBUGPY_ACCESS_TOKEN';
/** __SO_ACCEPTCON in /proc/net/unix's Flags: a listening socket. */
const ACCEPTING = 0x10000;

// ---- /proc ------------------------------------------------------------------------------------

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** `root` and all its descendants. */
function processTree(root: number): number[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const tree = [root];
  for (let grew = true; grew;) {
    grew = false;
    for (const pid of all) {
      const parent = parentOf(pid);
      if (!tree.includes(pid) && parent !== undefined && tree.includes(parent)) {
        tree.push(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Socket inode → pid, for every socket the processes hold. */
function socketInodes(pids: number[]): Map<number, number> {
  const inodes = new Map<number, number>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // Closed meanwhile.
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) inodes.set(Number(match[1]), pid);
    }
  }
  return inodes;
}

/** Inodes of listening TCP sockets (state 0A), IPv4 and IPv6. */
function tcpListeners(): Set<number> {
  const inodes = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') inodes.add(Number(fields[9]));
    }
  }
  return inodes;
}

/** Listening Unix sockets: inode → bound path ("@…" for the abstract namespace, "" if none). */
function unixListeners(): Map<number, string> {
  const listeners = new Map<number, string>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode [Path]
    const fields = line.trim().split(/\s+/);
    if (fields.length < 7 || (parseInt(fields[3] ?? '0', 16) & ACCEPTING) === 0) continue;
    listeners.set(Number(fields[6]), fields.slice(7).join(' '));
  }
  return listeners;
}

function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

/** The environment a process was started with (not what it changed since). */
function startEnvironment(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

// ---- sessions ---------------------------------------------------------------------------------

interface Stopped {
  runner: DapRunner;
  events: RunnerEventLog;
  adapterPid: number;
  debuggeePid: number;
  /** Adapter, launcher, debuggee (and anything they started). */
  pids: number[];
}

let runners: DapRunner[] = [];
/** The sessions' processes, with their command lines. */
let pids = new Map<number, string>();

afterEach(async () => {
  await Promise.all(runners.map((r) => r.terminate()));
  const alive: string[] = [];
  for (const [pid, line] of pids) {
    // A process the runner killed last (the launcher, SIGKILLed with the adapter's group once the
    // adapter exited) may take a moment to die on a busy machine.
    if (!(await waitUntilGone(pid, 2_000))) alive.push(`${pid} ${line}`);
  }
  expect(alive, 'processes that outlived terminate()').toEqual([]);
  runners = [];
  pids = new Map();
});

async function stoppedOnEntry(launcher: DapLauncher): Promise<Stopped> {
  const runner = new DapRunner(launcher);
  runners.push(runner);
  const events = new RunnerEventLog(runner, 15_000);
  await runner.launch({ program: PROGRAM, args: [], cwd: FIXTURES, env: {}, stopOnEntry: true, breakpoints: new Map() });
  expect(await events.next('stopped')).toMatchObject({ reason: 'entry' });
  const adapterPid = runner.adapterPid;
  const debuggeePid = runner.pid;
  if (adapterPid === undefined || debuggeePid === undefined) throw new Error('no adapter or debuggee pid');
  const tree = processTree(adapterPid);
  for (const pid of tree) pids.set(pid, cmdline(pid).join(' '));
  return { runner, events, adapterPid, debuggeePid, pids: tree };
}

/** debugpy as it comes: `python -m debugpy.adapter` and debugpy's own launcher. */
function stockDebugpy(): DapLauncher {
  const base = debugpyLauncher();
  return {
    ...base,
    adapterCommand: (launch) => ({ ...base.adapterCommand(launch), args: ['-m', 'debugpy.adapter'] }),
    launchArguments: (launch, stopOnEntry) => {
      const args = base.launchArguments(launch, stopOnEntry);
      delete args.debugLauncherPath;
      return args;
    },
  };
}

describe('debugpy without TCP listeners or a visible access token', () => {
  it('exports the directory of its Python files', () => {
    for (const file of ['adapter.py', 'launcher.py', 'bootstrap.py', 'local_sockets.py']) {
      expect(existsSync(`${DEBUGPY_SCRIPT_DIR}/${file}`), file).toBe(true);
    }
  });

  it.each([true, false])('listens on Unix sockets in a private directory only (speedups: %s)', async (speedups) => {
    const session = await stoppedOnEntry(debugpyLauncher({ speedups }));
    const [adapter, launcher, ...rest] = session.pids;
    expect(adapter).toBe(session.adapterPid);
    expect(launcher).toBeDefined();
    expect(rest).toEqual([session.debuggeePid]);

    // (a) No TCP listener and no abstract Unix listener among the session's sockets.
    const owned = socketInodes(session.pids);
    const tcp = [...tcpListeners()].filter((inode) => owned.has(inode));
    expect(tcp, 'TCP listeners of the session').toEqual([]);
    const unix = [...unixListeners()].filter(([inode]) => owned.has(inode));
    expect(
      unix.filter(([, path]) => path.startsWith('@')),
      'abstract Unix listeners of the session',
    ).toEqual([]);

    // The adapter's one listener (pydevd's; the launcher's closed once the launcher connected) is
    // a Unix socket in the directory the launcher and the debuggee were told about.
    expect(unix.map(([inode]) => owned.get(inode))).toEqual([session.adapterPid]);
    const [[, socketPath]] = unix as [[number, string]];
    const socketDir = dirname(socketPath);
    expect(startEnvironment(launcher as number).get(SOCKET_DIR_VARIABLE)).toBe(socketDir);
    expect(startEnvironment(session.debuggeePid).get(SOCKET_DIR_VARIABLE)).toBe(socketDir);
    // Nothing else of the session listens anywhere under that directory, not even a closed one.
    expect([...unixListeners().values()].filter((path) => path.startsWith(`${socketDir}/`))).toEqual([socketPath]);

    // (c) The directory is private.
    const dirStat = statSync(socketDir);
    expect(dirStat.isDirectory()).toBe(true);
    expect(dirStat.mode & 0o777).toBe(0o700);
    expect(dirStat.uid).toBe(process.getuid?.());

    // (b) The access token reached the debuggee through its environment, on no command line.
    const token = startEnvironment(session.debuggeePid).get(TOKEN_VARIABLE);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    for (const pid of session.pids) {
      const line = cmdline(pid);
      expect(line, `command line of ${pid}`).not.toContain('--adapter-access-token');
      expect(line.join(' '), `command line of ${pid}`).not.toContain(token);
    }
    // The program sees neither variable.
    const seen = await session.runner.evaluate(
      `[__import__('os').environ.get(n) for n in ('${SOCKET_DIR_VARIABLE}', '${TOKEN_VARIABLE}')]`,
    );
    expect(seen.value).toBe('[None, None]');

    // The session works as ever, and the directory goes with the adapter.
    await session.runner.continue(1);
    expect(await session.events.next('exited')).toEqual({ exitCode: 0, signal: null });
    await session.events.next('terminated');
    await session.runner.terminate();
    expect(existsSync(socketDir), 'socket directory after the session').toBe(false);
  });

  it('sees the TCP listeners and the token of debugpy as it comes (control)', async () => {
    const session = await stoppedOnEntry(stockDebugpy());
    const owned = socketInodes(session.pids);
    const tcp = [...tcpListeners()].filter((inode) => owned.has(inode));
    // The client listener and pydevd's, at least (the launcher's may linger: see local_sockets.py).
    expect(tcp.length).toBeGreaterThanOrEqual(2);
    expect(tcp.every((inode) => owned.get(inode) === session.adapterPid)).toBe(true);
    expect(cmdline(session.debuggeePid)).toContain('--adapter-access-token');
  });
});
