/**
 * A {@link RunnerAdapter} over any Debug Adapter Protocol adapter: spawns the adapter, runs DAP's
 * launch handshake, maps DAP events to runner events and owns the processes' lifetime. What is
 * specific to one adapter (how to start it, the launch arguments, its quirks) comes from a
 * {@link DapLauncher}. One run's processes are dap-run.ts's, its handshake dap-handshake.ts's,
 * its stops dap-stops.ts's.
 */
import {
  RunnerError,
  type Breakpoint,
  type EvaluateOptions,
  type EvaluateResult,
  type ExceptionFilter,
  type LaunchOptions,
  type RunnerAdapter,
  type RunnerCapabilities,
  type Scope,
  type SourceBreakpoint,
  type StackFrame,
  type Thread,
  type Variable,
  type VariablesPage,
} from '../adapter.js';
import { BreakpointSync, sendExceptionFilters } from './breakpoint-sync.js';
import { defaultPager, type DapLauncher, type DapRunnerOptions, type FetchVariables, type ResumeCommand } from './dap-launcher.js';
import { BreakpointBook } from './breakpoints.js';
import { exceptionFilterIds, mapCapabilities, type ExceptionFilterIds } from './capabilities.js';
import { DEFAULT_DAP_TIMEOUT_MS, errorMessage } from './dap-client.js';
import { handshake } from './dap-handshake.js';
import { launchError, openRun, shutdown, signalDebuggee, takeExitedEvent, wireRun, type Run, type RunHandlers } from './dap-run.js';
import { DapStops, fetchFrames, stackFrameOf, topFrameId, type PauseState } from './dap-stops.js';
import type { Capabilities } from './protocol.js';
import { RunLifecycle, validateFilters } from '../run-lifecycle.js';
import { isAlive } from '../../sandbox/process-tree.js';

/** A pause that produced no stop within this time gets the launcher's pause signal. */
const PAUSE_SIGNAL_DELAY_MS = 50;
/** Default evaluation timeout. */
const EVALUATE_TIMEOUT_MS = DEFAULT_DAP_TIMEOUT_MS;

/**
 * A {@link RunnerAdapter} for any DAP adapter described by a {@link DapLauncher}.
 *
 * Lifecycle: `launch` once; `restart` any number of times; `terminate` at the end (idempotent).
 * All events go to listeners registered with `on`, across restarts.
 */
export class DapRunner extends RunLifecycle<Run> implements RunnerAdapter {
  private readonly book = new BreakpointBook();
  private readonly sync = new BreakpointSync(this.book);
  private caps: RunnerCapabilities;
  private dapCaps: Capabilities = {};
  private filterIds: ExceptionFilterIds;
  private readonly stops: DapStops;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly launcher: DapLauncher,
    private readonly runnerOptions: DapRunnerOptions = {},
  ) {
    super(runnerOptions.sandbox);
    this.caps = { ...launcher.assumedCapabilities, exceptionFilters: [...launcher.assumedCapabilities.exceptionFilters] };
    this.filterIds = { ...launcher.exceptionFilterIds };
    this.stops = new DapStops({
      book: this.book,
      stopFilter: launcher.createStopFilter?.(),
      currentRun: () => this.run,
      supportsExceptionInfo: () => Boolean(this.dapCaps.supportsExceptionInfoRequest),
      stopped: (event) => this.emit('stopped', event),
      continued: (event) => this.emit('continued', event),
    });
    this.requestTimeoutMs = runnerOptions.requestTimeoutMs ?? DEFAULT_DAP_TIMEOUT_MS;
  }

  /** What the adapter supports: assumed until it answered `initialize`, then what it said. */
  get capabilities(): RunnerCapabilities {
    return this.caps;
  }

  /** OS process id of the current debuggee, once the adapter reported it. */
  get pid(): number | undefined {
    return this.run?.debuggeePid;
  }

  /** OS process id of the current adapter process. */
  get adapterPid(): number | undefined {
    return this.run?.adapter.pid;
  }

  protected adoptBreakpoints(breakpoints: Map<string, SourceBreakpoint[]>): void {
    for (const [source, list] of breakpoints) this.book.replace(source, list);
  }

  async threads(): Promise<Thread[]> {
    const run = this.liveRun();
    if (!run) return [];
    const body = await run.client.request('threads', {});
    return body.threads.map((t) => ({ id: t.id, name: t.name }));
  }

  async stackTrace(threadId: number, startFrame = 0, levels?: number): Promise<StackFrame[]> {
    const pause = this.requirePaused(threadId);
    const frames = await fetchFrames(pause, threadId || pause.threadId, startFrame, levels);
    return frames.map(stackFrameOf);
  }

  async scopes(frameId: number): Promise<Scope[]> {
    const pause = this.requirePaused();
    this.checkFrame(pause, frameId);
    const body = await pause.run.client.request('scopes', { frameId });
    return body.scopes.map((scope) => {
      if (scope.variablesReference > 0) pause.refs.add(scope.variablesReference);
      // DAP leaves `expensive` to the adapter; globals are costly whatever it says.
      return {
        name: scope.name,
        variablesReference: scope.variablesReference,
        expensive: scope.expensive || /^globals?$/i.test(scope.name),
        ...(scope.presentationHint === 'locals' || /^locals?$/i.test(scope.name) ? { presentationHint: 'locals' as const } : {}),
      };
    });
  }

  async variables(variablesReference: number, page?: VariablesPage): Promise<Variable[]> {
    const pause = this.requirePaused();
    if (variablesReference === 0) return [];
    if (!pause.refs.has(variablesReference))
      throw new RunnerError('BAD_USER_INPUT', `Unknown or expired variablesReference ${variablesReference}`);
    if (
      page &&
      ((page.start !== undefined && (!Number.isInteger(page.start) || page.start < 0)) ||
        (page.count !== undefined && (!Number.isInteger(page.count) || page.count < 0)))
    ) {
      throw new RunnerError('BAD_USER_INPUT', 'Variables page start and count must be non-negative integers');
    }
    const fetch: FetchVariables = async (reference, args) =>
      (await pause.run.client.request('variables', { variablesReference: reference, ...args })).variables;
    const pager = this.launcher.pageVariables ?? defaultPager;
    const children = await pager(variablesReference, page, fetch);
    return children.map((v) => {
      if (v.variablesReference > 0) pause.refs.add(v.variablesReference);
      return {
        name: v.name,
        value: v.value,
        ...(v.type ? { type: v.type } : {}),
        variablesReference: v.variablesReference,
        ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}),
        ...(v.namedVariables !== undefined ? { namedVariables: v.namedVariables } : {}),
      };
    });
  }

  async evaluate(expression: string, options: EvaluateOptions = {}): Promise<EvaluateResult> {
    const pause = this.requirePaused();
    let frameId = options.frameId;
    if (frameId !== undefined) this.checkFrame(pause, frameId);
    else frameId = await topFrameId(pause);
    const timeoutMs = options.timeoutMs ?? EVALUATE_TIMEOUT_MS;
    // 'watch' neither executes statements nor echoes output; 'repl' runs what a console would.
    const context = options.sideEffectFree ? 'watch' : 'repl';
    let response;
    try {
      response = await pause.run.client.requestRaw('evaluate', { expression, frameId, context }, { timeoutMs });
    } catch (error) {
      if (this.runEnded(pause.run)) throw new RunnerError('INVALID_STATE', 'The run ended during the evaluation', { cause: error });
      if (error instanceof RunnerError && error.code === 'TIMEOUT') {
        // DAP cannot cancel an evaluation: make the debuggee abort it so the session stays usable.
        signalDebuggee(pause.run, this.launcher.evaluationInterruptSignal);
        throw new RunnerError('TIMEOUT', `The evaluation did not finish within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    }
    if (!response.success) {
      // An evaluation the program's end cut short (pydevd's socket reset) did not throw: say so.
      const raw = errorMessage(response);
      if (this.runEnded(pause.run) || this.launcher.lostDebuggee?.(raw)) {
        throw new RunnerError('INVALID_STATE', 'The run ended during the evaluation');
      }
      const message = this.launcher.evaluationError ? this.launcher.evaluationError(raw) : raw;
      return { value: message, error: message, variablesReference: 0 };
    }
    const body = response.body as { result: string; type?: string; variablesReference?: number };
    const reference = body.variablesReference ?? 0;
    if (reference > 0) pause.refs.add(reference);
    return { value: body.result, ...(body.type ? { type: body.type } : {}), variablesReference: reference };
  }

  next(threadId: number): Promise<void> {
    return this.resume('next', threadId);
  }

  stepIn(threadId: number): Promise<void> {
    return this.resume('stepIn', threadId);
  }

  stepOut(threadId: number): Promise<void> {
    return this.resume('stepOut', threadId);
  }

  continue(threadId: number): Promise<void> {
    return this.resume('continue', threadId);
  }

  async pause(threadId: number): Promise<void> {
    this.assertNotTerminated();
    if (this.stops.current) return;
    const run = this.liveRun();
    if (!run) throw new RunnerError('INVALID_STATE', 'The program is not running');
    const thread = threadId || run.threads.values().next().value || 1;
    const epoch = this.stops.epoch;
    await run.client.request('pause', { threadId: thread });
    const pauseSignal = this.launcher.pauseSignal;
    if (pauseSignal === undefined) return;
    // A thread blocked in a call (sleep, I/O wait) takes no pause until the call returns: nudge it.
    setTimeout(() => {
      if (this.stops.epoch === epoch && this.run === run && !run.ended) signalDebuggee(run, pauseSignal);
    }, PAUSE_SIGNAL_DELAY_MS).unref();
  }

  setBreakpoints(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (this.terminating) return Promise.reject(new RunnerError('INVALID_STATE', 'The runner was terminated'));
    this.checkBreakpointFeatures(breakpoints);
    return this.sync.serialize(async () => {
      const unbound = this.book.replace(source, breakpoints);
      const run = this.liveRun();
      if (!run?.configurable) return unbound;
      return this.sync.send(run, source);
    });
  }

  async setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void> {
    this.assertNotTerminated();
    const valid = validateFilters(filters);
    for (const filter of valid) {
      if (!this.caps.exceptionFilters.includes(filter))
        throw new RunnerError('BAD_USER_INPUT', `${this.launcher.name} does not support the exception filter ${filter}`);
    }
    this.exceptionFilters = valid;
    const run = this.liveRun();
    if (run?.configurable) await this.sendFilters(run);
  }

  // ---- runs -------------------------------------------------------------------------------------

  protected async startRun(options: LaunchOptions): Promise<void> {
    this.stops.reset();
    const run = await openRun(
      options,
      this.launcher,
      this.runnerOptions,
      this.requestTimeoutMs,
      (files, spawn) => this.spawnBoxed(options, files, spawn),
      () => this.assertNotTerminated(),
    );
    this.run = run;
    this.book.unbindAll();
    wireRun(run, this.launcher, this.handlersOf(run));
    try {
      await handshake(run, this.launcher, {
        adoptCapabilities: (capabilities) => this.adoptCapabilities(capabilities),
        configure: async () => {
          await this.sync.serialize(async () => {
            for (const source of this.book.sources()) {
              // Report what the launch installed, so the session lists them (DAP's reason 'new').
              for (const breakpoint of await this.sync.send(run, source)) this.emit('breakpoint', { reason: 'new', breakpoint });
            }
          });
          await this.sendFilters(run);
        },
      });
    } catch (error) {
      // Whatever failed, neither the adapter nor the debuggee may outlive the launch.
      run.endedByRunner = true;
      void shutdown(run);
      await run.finished.promise;
      throw launchError(run, this.launcher.name, error);
    }
  }

  /** Ends a run; resolves once its processes are gone and its events (if any) were emitted. */
  protected async stopRun(run: Run): Promise<void> {
    run.endedByRunner = true;
    await shutdown(run);
    await run.finished.promise;
  }

  /** The session is over: report it (once) and let the processes go. Runs in the event chain. */
  private endRun(run: Run, error?: string): void {
    if (run.ended) return;
    run.ended = true;
    if (error) run.endError = error;
    if (this.run === run) {
      this.stops.clearPause();
      this.book.unbindAll();
    }
    if (!run.quiet) {
      this.emitExited(run);
      this.emit('terminated', error ? { error } : {});
    }
    run.started.reject(new RunnerError('LAUNCH_FAILED', 'The debug session ended before the program started'));
    run.endProcessed.resolve();
    void shutdown(run);
  }

  private emitExited(run: Run): void {
    const event = takeExitedEvent(run, this.launcher);
    if (event) this.emit('exited', event);
  }

  /** What the runner does with the DAP events of `run`. */
  private handlersOf(run: Run): RunHandlers {
    return {
      output: (event) => this.emit('output', event),
      stopped: (body) => this.stops.onStopped(run, body),
      continued: (body) => this.stops.onContinued(run, body),
      exited: () => this.emitExited(run),
      ended: (error) => this.endRun(run, error),
      thread: (event) => this.emit('thread', event),
      breakpointChanged: (bound) => {
        if (run.quiet || this.run !== run) return;
        const breakpoint = this.book.changed(bound);
        if (breakpoint) this.emit('breakpoint', { reason: 'changed', breakpoint });
      },
    };
  }

  /** Shared path of continue / next / stepIn / stepOut. */
  private async resume(command: ResumeCommand, threadId: number): Promise<void> {
    await this.stops.resume(this.requirePaused(threadId), command, threadId);
  }

  // ---- configuration ----------------------------------------------------------------------------

  private adoptCapabilities(capabilities: Capabilities): void {
    this.dapCaps = capabilities;
    this.filterIds = exceptionFilterIds(capabilities, this.launcher.exceptionFilterIds);
    this.caps = mapCapabilities(capabilities, this.filterIds);
  }

  private sendFilters(run: Run): Promise<void> {
    return sendExceptionFilters(run.client, this.dapCaps, this.filterIds, this.exceptionFilters);
  }

  private checkBreakpointFeatures(breakpoints: SourceBreakpoint[]): void {
    for (const bp of breakpoints) {
      if (bp.condition && !this.caps.conditionalBreakpoints)
        throw new RunnerError('BAD_USER_INPUT', `${this.launcher.name} does not support conditional breakpoints`);
      if (bp.hitCondition && !this.caps.hitConditionalBreakpoints)
        throw new RunnerError('BAD_USER_INPUT', `${this.launcher.name} does not support hit conditions`);
      if (bp.logMessage !== undefined && !this.caps.logPoints)
        throw new RunnerError('BAD_USER_INPUT', `${this.launcher.name} does not support logpoints`);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private requirePaused(threadId?: number): PauseState {
    this.assertNotTerminated();
    const pause = this.stops.current;
    if (!pause) throw new RunnerError('INVALID_STATE', 'The program is not paused');
    if (threadId && !pause.allThreads && !pause.threads.has(threadId)) {
      throw new RunnerError('INVALID_STATE', `Thread ${threadId} is not stopped`);
    }
    if (threadId && pause.allThreads && pause.run.threads.size > 0 && !pause.run.threads.has(threadId)) {
      throw new RunnerError('BAD_USER_INPUT', `Unknown thread ${threadId}`);
    }
    return pause;
  }

  private checkFrame(pause: PauseState, frameId: number): void {
    if (!pause.frames.has(frameId)) throw new RunnerError('BAD_USER_INPUT', `Unknown or expired frame id ${frameId}`);
  }

  /** True once the run is over or no longer ours, or its debuggee is gone (its end not yet reported). */
  private runEnded(run: Run): boolean {
    return run !== this.run || run.ended || run.client.closed || (run.debuggeePid !== undefined && !isAlive(run.debuggeePid));
  }

  private liveRun(): Run | undefined {
    const run = this.run;
    if (!run || run.ended || run.client.closed) return undefined;
    return run;
  }
}
