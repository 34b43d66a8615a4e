/**
 * OS processes of a DAP session: the adapter we spawn (speaking DAP on its stdio) and the debuggee
 * the adapter spawns. Spawning, signalling whole process groups, and waiting until they are gone.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { killGracefully } from '../graceful-kill.js';
import { signalGroup, trackGroup, untrackGroup } from '../process-groups.js';
import type { Box } from '../../sandbox/box.js';

/** How the adapter process ended. */
export interface AdapterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
  /** The box limit that ended it (e.g. "memory limit 2048 MiB"). */
  limit?: string;
}

/** How to start an adapter process. */
export interface AdapterCommand {
  command: string;
  args: string[];
  /** The adapter's complete environment. */
  env: Record<string, string>;
  cwd?: string;
}

/** After 'exit', how long to wait for the pipes to drain ('close') before cutting them. */
const PIPE_DRAIN_MS = 2000;
/** How much adapter stderr to keep for error messages. */
const STDERR_TAIL_CHARS = 4000;

/** True when the process has a handler installed for `signal` (Linux: SigCgt in /proc status). */
export function catchesSignal(pid: number, signal: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    return mask !== undefined && ((BigInt(`0x${mask}`) >> BigInt(signal - 1)) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** The adapter process, in a process group of its own (so its children die with it). */
export class AdapterProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once the process is gone. */
  readonly exit: Promise<AdapterExit>;
  private stderrText = '';
  private done = false;

  /**
   * Spawns the adapter, in `box` when given (the adapter, its launcher and the debuggee then share
   * the box). Throws, spawning nothing, when the box cannot be made.
   */
  constructor(command: AdapterCommand, box?: Box) {
    let resolveExit!: (exit: AdapterExit) => void;
    this.exit = new Promise((resolve) => (resolveExit = resolve));
    const boxed = box ? box.command(command.command, command.args) : command;
    this.child = spawn(boxed.command, boxed.args, {
      cwd: command.cwd,
      env: command.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // A group of its own: one signal reaches the adapter and whatever it spawned in its group.
      detached: true,
      windowsHide: true,
    });
    const pid = this.child.pid;
    if (pid !== undefined) trackGroup(pid);
    box?.started(pid);
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderrText = (this.stderrText + text).slice(-STDERR_TAIL_CHARS);
    });
    // Writing to an adapter that just died raises EPIPE on stdin: the exit handler reports it.
    this.child.stdin.on('error', () => {});
    const finish = (exit: AdapterExit): void => {
      if (this.done) return;
      this.done = true;
      if (pid !== undefined) untrackGroup(pid);
      if (!box) {
        resolveExit(exit);
        return;
      }
      // A failed spawn made the box's cgroup all the same: it goes too.
      if (exit.error) {
        void box.dispose().then(() => resolveExit(exit));
        return;
      }
      const { exitCode, signal, limit } = box.exit(exit.code, exit.signal);
      void box.dispose().then(() => resolveExit({ code: exitCode, signal, ...(limit ? { limit } : {}) }));
    };
    this.child.on('error', (error) => {
      // Only a failed spawn ends the process here; a failed kill() also lands here and is harmless.
      if (this.child.pid === undefined) finish({ code: null, signal: null, error });
    });
    this.child.on('exit', () => {
      // Whatever the adapter left in its group (its launcher) goes with it.
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      // A process outside the group holding our pipes would delay 'close' forever: cut them.
      setTimeout(() => {
        this.child.stdout.destroy();
        this.child.stderr.destroy();
      }, PIPE_DRAIN_MS).unref();
    });
    // 'close' comes after 'exit' once stdout is drained: only then was every DAP message read.
    this.child.on('close', (code, signal) => finish({ code, signal }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.done;
  }

  /** The last few KB the adapter wrote to stderr. */
  get stderrTail(): string {
    return this.stderrText;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the adapter is gone. */
  kill(graceMs: number): Promise<AdapterExit> {
    const pid = this.child.pid;
    if (pid === undefined) return this.exit; // Never started.
    return killGracefully((signal) => signalGroup(pid, signal), this.exit, this.done, graceMs);
  }
}
