/**
 * One session run's box: the command line that starts a process tree inside bubblewrap, the
 * cgroup and rlimits around it, and the translation of what happens inside (pids, exit statuses,
 * limits hit) into what the runners report.
 *
 * The box is structural, not best-effort: its processes live in their own PID namespace whose
 * init (bwrap's) dies with the bwrap process we spawn (`--die-with-parent`), and that one dies with
 * the server. When a namespace's init dies the kernel kills everything left in it, so no fork,
 * `setsid` or double fork outlives the box.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:os';
import type { BoxCgroup, CgroupFactory } from './cgroup.js';
import { childrenOf, descendantsOf, innermostPid } from './process-tree.js';

/** A host file or directory shown read-only inside the box, at `box`. */
export interface BoxFile {
  host: string;
  box: string;
}

/** What one run's box contains. */
export interface BoxSpec {
  /** Working directory (inside the workspace). */
  cwd: string;
  /** true: the host's network namespace; false: a private one with loopback only. */
  network: boolean;
  /** Files of the runner itself (preloads, shims) the processes need, read-only. */
  files: readonly BoxFile[];
}

/** Everything a box needs from the server's configuration (see sandbox.ts). */
export interface BoxSettings {
  bwrap: string;
  workspace: string;
  /** bwrap options showing the system's runtime files read-only (computed once). */
  systemArgs: readonly string[];
  /** Paths inside the workspace the box hides (the server's own files, when it is there). */
  hidden: readonly string[];
  /** Files shown in place of hidden files (see writeStandIns in sandbox.ts). */
  standIns: { empty: string; packageJson: string };
  /** More host paths shown read-only at the same path (configured). */
  readOnlyPaths: readonly string[];
  memoryBytes: number;
  maxProcesses: number;
  maxOpenFiles: number;
  cgroups: CgroupFactory | undefined;
  /** The compiled seccomp filter (see seccomp.ts), loaded by bwrap; none where it is not built. */
  seccompFile: string | undefined;
}

/** An exit status as the runners report it, with the limit that ended the box, if one did. */
export interface BoxedExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** e.g. "memory limit 2048 MiB": the box was ended because it hit that limit. */
  limit?: string;
}

/** How often a running box's cgroup counters are read. */
const LIMIT_POLL_MS = 200;
/** bwrap reports a command killed by signal N as exit status 128 + N, as shells do. */
const SIGNAL_STATUS_BASE = 128;
/** Exit status of the launch shim when it could not apply the cgroup or the rlimits. */
export const SHIM_FAILED_STATUS = 125;

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/**
 * Puts the shim's own pid into the box's cgroups and applies the rlimits, then becomes bwrap, so
 * that every process of the box is limited from its first instruction. Arguments: the number of
 * cgroup.procs files, the files, the open-files limit, the address-space limit in KiB (or "-"),
 * the seccomp filter file to open as fd 9 for bwrap's `--seccomp 9` (or "-"), then the command.
 */
const SHIM = [
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done',
  'ulimit -n "$1" || exit 125; shift',
  '[ "$1" = - ] || ulimit -v "$1" || exit 125; shift',
  '[ "$1" = - ] || exec 9< "$1" || exit 125; shift',
  'exec "$@"',
].join('\n');

let boxCount = 0;

/** One run's box. Create it, put {@link command} into spawn, then call {@link started}. */
export class Box {
  #pid: number | undefined;
  #cgroup: BoxCgroup | undefined;
  #limit: string | undefined;
  #poll: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(
    private readonly settings: BoxSettings,
    private readonly spec: BoxSpec,
  ) {}

  /**
   * The command line that runs `command args` in this box (a tiny shell shim that enters the
   * cgroup, then bwrap). Throws when the cgroup cannot be made.
   */
  command(command: string, args: readonly string[]): { command: string; args: string[] } {
    const s = this.settings;
    if (s.cgroups && !this.#cgroup) {
      this.#cgroup = s.cgroups.create(`debug-server-${process.pid}-${++boxCount}`, {
        memoryBytes: s.memoryBytes,
        maxProcesses: s.maxProcesses,
      });
    }
    const procs = this.#cgroup?.procsFiles ?? [];
    // Without a cgroup, the address-space rlimit is the memory limit (per process, and looser:
    // it counts reservations too, so it is not used when the cgroup is there).
    const addressSpace = this.#cgroup ? '-' : String(Math.ceil(s.memoryBytes / 1024));
    const bwrap = [...this.bwrapArgs(), command, ...args];
    return {
      command: '/bin/sh',
      args: [
        '-c',
        SHIM,
        'debug-server-box',
        String(procs.length),
        ...procs,
        String(s.maxOpenFiles),
        addressSpace,
        s.seccompFile ?? '-',
        s.bwrap,
        ...bwrap,
      ],
    };
  }

  /** Tell the box the pid of the process spawned with {@link command} (undefined: spawn failed). */
  started(pid: number | undefined): void {
    this.#pid = pid;
    if (pid === undefined || !this.#cgroup) return;
    this.#poll = setInterval(() => this.checkLimits(), LIMIT_POLL_MS);
    this.#poll.unref();
  }

  /** The path inside the box of a host file given in the spec's `files` (others are unchanged). */
  inBox(hostPath: string): string {
    return this.spec.files.find((f) => f.host === hostPath)?.box ?? hostPath;
  }

  /** The host pid of the box's process whose pid inside is `innerPid`, if it is alive. */
  hostPid(innerPid: number): number | undefined {
    if (this.#pid === undefined) return undefined;
    return descendantsOf(this.#pid).find((pid) => innermostPid(pid) === innerPid);
  }

  /**
   * Sends a signal. SIGKILL ends the whole box at once; any other signal goes to the command the
   * box runs (so a program can still clean up on SIGTERM), or to bwrap before it started one.
   */
  signal(signal: NodeJS.Signals): void {
    const outer = this.#pid;
    if (outer === undefined) return;
    let target = outer;
    if (signal !== 'SIGKILL') {
      // bwrap → its init in the new PID namespace → the command: the init's first child, so the
      // lowest pid inside (orphans the init adopted later come after it).
      const init = childrenOf(outer)[0];
      const children = init === undefined ? [] : childrenOf(init);
      const inner = children.map((pid) => ({ pid, inner: innermostPid(pid) ?? Number.MAX_SAFE_INTEGER }));
      target = inner.sort((a, b) => a.inner - b.inner)[0]?.pid ?? outer;
    }
    try {
      process.kill(target, signal);
    } catch {
      /* gone */
    }
  }

  /** Translates the bwrap process's exit into the command's, with the limit that ended it. */
  exit(exitCode: number | null, signal: NodeJS.Signals | null): BoxedExit {
    this.checkLimits();
    const limit = this.#limit;
    if (exitCode !== null && exitCode > SIGNAL_STATUS_BASE) {
      const name = SIGNAL_NAMES.get(exitCode - SIGNAL_STATUS_BASE);
      if (name) return { exitCode: null, signal: name, ...(limit ? { limit } : {}) };
    }
    return { exitCode, signal, ...(limit ? { limit } : {}) };
  }

  /** Stops watching, kills what may be left and removes the cgroup. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#poll);
    this.signal('SIGKILL');
    await this.#cgroup?.remove();
  }

  /** The limit this box hit, if any (the counters are read now, not at the last poll). */
  get limit(): string | undefined {
    this.checkLimits();
    return this.#limit;
  }

  private checkLimits(): void {
    if (this.#limit !== undefined || !this.#cgroup || this.#disposed) return;
    const { oomKills, forkRefusals } = this.#cgroup.events();
    if (oomKills > 0) this.#limit = `memory limit ${Math.round(this.settings.memoryBytes / 1024 / 1024)} MiB`;
    else if (forkRefusals > 0) this.#limit = `process limit ${this.settings.maxProcesses}`;
    else return;
    // A box that hit a limit is over: half a program (the OOM killer's pick, a refused fork) is
    // not one to debug.
    this.signal('SIGKILL');
  }

  private bwrapArgs(): string[] {
    const s = this.settings;
    const args = [
      '--die-with-parent',
      // A session of its own: no TIOCSTI into a terminal of the server's.
      '--new-session',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      '--cap-drop',
      'ALL',
      // No set-uid/set-gid files in the host's file system (see seccomp.ts); fd 9 comes from the shim.
      ...(s.seccompFile ? ['--seccomp', '9'] : []),
      ...(this.spec.network ? [] : ['--unshare-net']),
      ...s.systemArgs,
      '--proc',
      '/proc',
      // Kernel settings are the host's, and uid 0 may write them even without capabilities
      // (kernel.core_pattern runs a program as root on the host): read-only.
      '--ro-bind',
      '/proc/sys',
      '/proc/sys',
      '--dev',
      '/dev',
      '--tmpfs',
      '/dev/shm',
      '--tmpfs',
      '/tmp',
    ];
    for (const file of this.spec.files) args.push('--ro-bind', file.host, file.box);
    // After /tmp, so a workspace under /tmp is not hidden by the private /tmp.
    args.push('--bind', s.workspace, s.workspace);
    for (const hidden of s.hidden) {
      if (isDirectory(hidden)) args.push('--tmpfs', hidden);
      else args.push('--ro-bind', path.basename(hidden) === 'package.json' ? s.standIns.packageJson : s.standIns.empty, hidden);
    }
    // Last: what the operator configured is shown even inside a hidden directory.
    for (const extra of s.readOnlyPaths) args.push('--ro-bind-try', extra, extra);
    args.push('--chdir', this.spec.cwd);
    return args;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the hard open-files limit of this process (the box cannot raise it). */
export function hardOpenFilesLimit(limitsText: string): number | undefined {
  const match = /^Max open files\s+\S+\s+(\S+)/m.exec(limitsText);
  if (!match || match[1] === 'unlimited') return undefined;
  return Number(match[1]);
}
