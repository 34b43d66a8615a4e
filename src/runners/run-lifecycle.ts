/**
 * The run lifecycle every runner shares: `launch` once, `restart` any number of times,
 * `terminate` at the end (idempotent), a session box per run, and events that reach the same
 * listeners across restarts. A runner supplies what is its own (how a run starts, how it stops,
 * where breakpoints live) through the abstract hooks, as vscode-js-debug's launchers do under
 * `NodeLauncherBase`.
 */
import type { Box, BoxFile } from '../sandbox/box.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import {
  RunnerError,
  type ExceptionFilter,
  type LaunchOptions,
  type RunnerEventMap,
  type RunnerEventName,
  type RunnerListener,
  type SourceBreakpoint,
} from './adapter.js';
import { TypedEmitter } from './typed-emitter.js';

/** A promise with its settle functions, and whether it settled. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
  settled: boolean;
}

/** A new {@link Deferred}; its rejection is never unhandled (whoever awaits it observes it). */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      d.settled = true;
      resolve(value);
    },
    reject: (error) => {
      d.settled = true;
      reject(error);
    },
  };
  return d;
}

/** `promise`, or a TIMEOUT RunnerError ("No <what> within N ms") if it takes longer. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RunnerError('TIMEOUT', `No ${what} within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise` (a rejection is thrown), or resolves after `timeoutMs` all the same. */
export async function settledOrAfter(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The exception filters of the API, checked and without repeats. */
export function validateFilters(filters: readonly ExceptionFilter[]): ExceptionFilter[] {
  for (const filter of filters) {
    if (filter !== 'uncaught' && filter !== 'all') throw new RunnerError('BAD_USER_INPUT', `Unknown exception filter: ${String(filter)}`);
  }
  return [...new Set(filters)];
}

/** What the lifecycle knows of a run: whether it may still report anything. */
export interface LifecycleRun {
  /** Set when the runner dropped the run (restart): it emits no more events. */
  quiet: boolean;
}

/** The shared half of a runner; see the module comment. */
export abstract class RunLifecycle<R extends LifecycleRun> {
  protected readonly emitter = new TypedEmitter<RunnerEventMap>();
  /** What `launch` got (copied); every restart runs it again. */
  protected options: LaunchOptions | undefined;
  protected exceptionFilters: ExceptionFilter[] = [];
  /** The current run (the last one started). */
  protected run: R | undefined;
  protected terminating: Promise<void> | undefined;

  protected constructor(private readonly sandbox: Sandbox | undefined) {}

  on<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void {
    this.emitter.on(event, listener);
  }

  off<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void {
    this.emitter.off(event, listener);
  }

  async launch(options: LaunchOptions): Promise<void> {
    this.assertNotTerminated();
    if (this.options) throw new RunnerError('INVALID_STATE', 'The runner was already launched');
    this.exceptionFilters = validateFilters(options.exceptionFilters ?? []);
    const own = { ...options, args: [...options.args], env: { ...options.env }, breakpoints: new Map(options.breakpoints) };
    await this.adoptBreakpoints(own.breakpoints);
    this.options = own;
    await this.beginRun(own);
  }

  async restart(): Promise<void> {
    this.assertNotTerminated();
    const options = this.options;
    if (!options) throw new RunnerError('INVALID_STATE', 'The runner was never launched');
    const old = this.run;
    if (old) {
      old.quiet = true; // The old run emits nothing any more (no exited/terminated).
      await this.stopRun(old);
    }
    await this.beginRun(options);
  }

  terminate(): Promise<void> {
    this.terminating ??= (async () => {
      const run = this.run;
      if (!run) {
        this.emit('terminated', {});
        return;
      }
      await this.stopRun(run);
    })();
    return this.terminating;
  }

  /** The breakpoints `launch` got, before the first run starts. */
  protected abstract adoptBreakpoints(breakpoints: Map<string, SourceBreakpoint[]>): Promise<void> | void;

  /** Starts a run of the program; resolves once it runs or stopped, rejects with LAUNCH_FAILED. */
  protected abstract startRun(options: LaunchOptions): Promise<void>;

  /** Ends a run; resolves once its processes are gone and its events (unless quiet) were emitted. */
  protected abstract stopRun(run: R): Promise<void>;

  protected emit<K extends RunnerEventName>(event: K, payload: RunnerEventMap[K]): void {
    this.emitter.emit(event, payload);
  }

  protected assertNotTerminated(): void {
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
  }

  /**
   * A new session box for a run (none without a sandbox) and what `spawn` starts in it. A box per
   * run: a restart leaves nothing of the old run's process tree behind. If the spawn fails, the
   * box goes and the launch fails.
   */
  protected spawnBoxed<T>(
    options: LaunchOptions,
    files: readonly BoxFile[],
    spawn: (box: Box | undefined) => T,
  ): { box: Box | undefined; spawned: T } {
    const box = this.sandbox?.box({ cwd: options.cwd, network: options.network ?? true, files: [...files] });
    try {
      return { box, spawned: spawn(box) };
    } catch (error) {
      void box?.dispose();
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError('LAUNCH_FAILED', `Cannot make the session box: ${message}`, { cause: error });
    }
  }

  private async beginRun(options: LaunchOptions): Promise<void> {
    // terminate() may have run while launch/restart awaited something: start nothing then.
    this.assertNotTerminated();
    await this.startRun(options);
  }
}
