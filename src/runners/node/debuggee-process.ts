/**
 * The debuggee OS process: spawns `node` with the inspector options of a channel (see
 * inspector-channel.ts), decodes and forwards its output (minus the inspector banner), hands out
 * the inspector pipe, and tracks its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { BannerFilter } from './banner-filter.js';
import type { BannerKind } from './inspector-url.js';
import { killGracefully } from '../graceful-kill.js';
import { trackGroup, untrackGroup } from '../process-groups.js';
import type { Box } from '../../sandbox/box.js';

/** How the process ended. */
export interface DebuggeeExit {
  /** Exit code; null when killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
  /** The box limit that ended it (e.g. "memory limit 2048 MiB"). */
  limit?: string;
}

export interface DebuggeeProcessOptions {
  /** Node options placed before the program (how the inspector is reached). */
  nodeArgs: string[];
  /** Open a pipe as file descriptor 3 of the debuggee (see {@link DebuggeeProcess.inspectorPipe}). */
  inspectorPipe?: boolean;
  program: string;
  args: string[];
  cwd: string;
  /** The complete environment (see buildDebuggeeEnv). */
  env: Record<string, string>;
  /** Debuggee output, banner lines removed, in arrival order. */
  onOutput(category: 'stdout' | 'stderr', text: string): void;
  /** An inspector banner line was seen on stderr. */
  onBanner?(kind: BannerKind, line: string): void;
  /** Node executable; default: the one running this server. */
  execPath?: string;
  /** The session box to run in (see src/sandbox); none: a plain child process. */
  box?: Box;
}

/** After 'exit', how long to wait for the pipes to drain ('close') before cutting them. */
const PIPE_DRAIN_MS = 2000;
/** How much of the stderr tail to keep for error messages. */
const STDERR_TAIL_CHARS = 4000;

/** One spawned debuggee. */
export class DebuggeeProcess {
  /** Resolves once the process is gone and every byte of its output was passed to onOutput. */
  readonly exit: Promise<DebuggeeExit>;
  private readonly child: ChildProcess;
  private done = false;
  private stderrTailText = '';

  constructor(private readonly options: DebuggeeProcessOptions) {
    const argv = [...options.nodeArgs, options.program, ...options.args];
    let resolveExit!: (exit: DebuggeeExit) => void;
    this.exit = new Promise((resolve) => (resolveExit = resolve));

    const filter = new BannerFilter((kind, line) => options.onBanner?.(kind, line));
    const stdoutDecoder = new StringDecoder('utf8');
    const stderrDecoder = new StringDecoder('utf8');
    const emitStdout = (text: string): void => {
      if (text) options.onOutput('stdout', text);
    };
    const emitStderr = (text: string): void => {
      if (!text) return;
      this.stderrTailText = (this.stderrTailText + text).slice(-STDERR_TAIL_CHARS);
      options.onOutput('stderr', text);
    };

    const box = options.box;
    const finish = (exit: DebuggeeExit): void => {
      if (this.done) return;
      this.done = true;
      if (this.child.pid !== undefined) untrackGroup(this.child.pid);
      emitStdout(stdoutDecoder.end());
      emitStderr(filter.push(stderrDecoder.end()) + filter.flush());
      if (!box) {
        resolveExit(exit);
        return;
      }
      // The box's status is the command's (signals as 128 + N); whatever is left in it goes now.
      const boxed = exit.error ? exit : box.exit(exit.exitCode, exit.signal);
      void box.dispose().then(() => resolveExit({ ...exit, ...boxed }));
    };

    const execPath = options.execPath ?? process.execPath;
    // Throws (nothing spawned) when the box cannot be made.
    const command = box ? box.command(execPath, argv) : { command: execPath, args: argv };
    this.child = spawn(command.command, command.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.inspectorPipe ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    // A debuggee left at --inspect-brk would wait for a debugger forever: never orphan one.
    if (this.child.pid !== undefined) trackGroup(this.child.pid);
    box?.started(this.child.pid);
    this.child.stdout?.on('data', (chunk: Buffer) => emitStdout(stdoutDecoder.write(chunk)));
    this.child.stderr?.on('data', (chunk: Buffer) => emitStderr(filter.push(stderrDecoder.write(chunk))));
    this.child.on('error', (error) => {
      // Only a failed spawn ends the process here; a failed kill() also lands here and is harmless.
      if (this.child.pid === undefined) finish({ exitCode: null, signal: null, error });
    });
    this.child.on('exit', () => {
      // A grandchild holding our pipes would delay 'close' forever: cut the pipes after a while.
      setTimeout(() => {
        for (const stream of this.child.stdio) stream?.destroy();
      }, PIPE_DRAIN_MS).unref();
    });
    // 'close' comes after 'exit' once both pipes are drained: only then has all output been seen.
    this.child.on('close', (code, signal) => finish({ exitCode: code, signal }));
  }

  /** OS process id (undefined if the spawn failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * The debuggee's end of it is file descriptor 3 (with `inspectorPipe`); undefined otherwise or
   * when the spawn failed.
   */
  get inspectorPipe(): Duplex | undefined {
    return this.options.inspectorPipe ? ((this.child.stdio[3] as Duplex | null | undefined) ?? undefined) : undefined;
  }

  /** True once the process is gone (see {@link exit}). */
  get exited(): boolean {
    return this.done;
  }

  /** The last few KB of stderr output (for error messages). */
  get stderrTail(): string {
    return this.stderrTailText;
  }

  /**
   * Resolves once the output the program wrote before the inspector message being handled has
   * been passed to onOutput. That output is in its pipe before the message is in the inspector's,
   * but one poll of the event loop can report the inspector's pipe first (epoll re-queues a
   * level-triggered descriptor behind the ones it reported before); by the next turn (check
   * phase) every descriptor of that poll has been read.
   */
  outputRead(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Ends the process: SIGTERM, then SIGKILL after `graceMs`. Resolves once it is gone.
   */
  kill(graceMs = 1000): Promise<DebuggeeExit> {
    return killGracefully((signal) => this.signal(signal), this.exit, this.done, graceMs);
  }

  private signal(signal: NodeJS.Signals): void {
    // exitCode/signalCode are set on 'exit'; the pipes may still be draining then.
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
    if (this.options.box) {
      this.options.box.signal(signal);
      return;
    }
    try {
      this.child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
