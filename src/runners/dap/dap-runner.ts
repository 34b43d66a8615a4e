/**
 * A {@link RunnerAdapter} over any Debug Adapter Protocol adapter: spawns the adapter, runs DAP's
 * launch handshake, maps DAP events to runner events and owns the processes' lifetime. What is
 * specific to one adapter (how to start it, the launch arguments, its quirks) comes from a
 * {@link DapLauncher}.
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
  type StoppedEvent,
  type Thread,
  type Variable,
  type VariablesPage,
} from '../adapter.js';
import { AdapterProcess, catchesSignal } from './adapter-process.js';
import { stdioStreams, type DapStreams } from './connect.js';
import {
  defaultOutputCategory,
  defaultPager,
  type DapLauncher,
  type DapRunnerOptions,
  type FetchVariables,
  type ResumeCommand,
  type StopFilter,
} from './dap-launcher.js';
import { signalGroup, trackGroup, untrackGroup, waitUntilGone } from '../process-groups.js';
import { BreakpointBook } from './breakpoints.js';
import { exceptionFilterIds, mapCapabilities, type ExceptionFilterIds } from './capabilities.js';
import { DapClient, DEFAULT_DAP_TIMEOUT_MS, errorMessage } from './dap-client.js';
import type { Capabilities, DapEventName, DapEvents, DapStackFrame } from './protocol.js';
import { deferred, RunLifecycle, validateFilters, withTimeout, type Deferred } from '../run-lifecycle.js';
import type { Box } from '../../sandbox/box.js';
import { isAlive } from '../../sandbox/process-tree.js';

/** Time for the adapter to start and answer `initialize`, and for the launch handshake. */
const STARTUP_TIMEOUT_MS = 20_000;
/** Time for the program to reach its first stop (entry) once launched. */
const FIRST_STOP_TIMEOUT_MS = 30_000;
/** Time the adapter gets to answer `disconnect` before it is killed. */
const DISCONNECT_TIMEOUT_MS = 2000;
/**
 * The same in a session box. An adapter answers `disconnect` once its launcher has read the
 * debuggee's output to the end, which never comes while a daemon the program left holds the pipe;
 * the box ends such processes with the adapter, so waiting long for the answer buys nothing.
 */
const BOXED_DISCONNECT_TIMEOUT_MS = 500;
/** SIGTERM → SIGKILL delay. */
const KILL_GRACE_MS = 1000;
/** Time the debuggee gets to die after its adapter ended it, before we kill its group. */
const DEBUGGEE_EXIT_GRACE_MS = 500;
/** A pause that produced no stop within this time gets the launcher's pause signal. */
const PAUSE_SIGNAL_DELAY_MS = 50;
/** Default evaluation timeout. */
const EVALUATE_TIMEOUT_MS = DEFAULT_DAP_TIMEOUT_MS;
/** How much debuggee stderr to keep for launch error messages. */
const STDERR_TAIL_CHARS = 2000;

/** One adapter process and its debug session (a restart makes a new one). */
interface Run {
  readonly options: LaunchOptions;
  readonly adapter: AdapterProcess;
  /** The session box of this run, if any (its pids are not the host's). */
  readonly box: Box | undefined;
  readonly client: DapClient;
  /** Set when the runner dropped this run (restart): it emits no more events. */
  quiet: boolean;
  /** The session is over (DAP `terminated`, or the adapter went away). */
  ended: boolean;
  /** Why the session ended, when it was not the program's end. */
  endError?: string;
  /** The runner asked the session to end (terminate, restart, failed launch). */
  endedByRunner: boolean;
  /** `initialized` came: breakpoints may be sent. */
  configurable: boolean;
  /** The runner asked for an entry stop nobody else wanted yet to come. */
  awaitingFirstStop: boolean;
  debuggeePid?: number;
  exitCode?: number;
  /** The signal that ended the debuggee, when the adapter told. */
  exitSignal?: NodeJS.Signals;
  exitEmitted: boolean;
  threads: Set<number>;
  /** Per source, the breakpoints last sent to the adapter (JSON). */
  sentBreakpoints: Map<string, string>;
  stderrTail: string;
  /** Resolves when launch may return (running, or stopped); rejects if the session ended first. */
  readonly started: Deferred;
  /** Resolves once the session's end was processed (events emitted). */
  readonly endProcessed: Deferred;
  /** Resolves once the processes are gone and every event was emitted. */
  readonly finished: Deferred;
  shutdown?: Promise<void>;
  /** DAP events, handled one at a time in arrival order. */
  chain: Promise<void>;
}

/** The current stop, valid until the program resumes. */
interface PauseState {
  readonly run: Run;
  /** The thread the stop was reported for. */
  readonly threadId: number;
  readonly allThreads: boolean;
  readonly threads: Set<number>;
  /** Frame ids handed out during this stop (their validity is the stop's). */
  readonly frames: Set<number>;
  /** Variable references handed out during this stop. */
  readonly refs: Set<number>;
  /** Top frame id per thread, once known. */
  readonly topFrames: Map<number, number>;
}

/**
 * A {@link RunnerAdapter} for any DAP adapter described by a {@link DapLauncher}.
 *
 * Lifecycle: `launch` once; `restart` any number of times; `terminate` at the end (idempotent).
 * All events go to listeners registered with `on`, across restarts.
 */
export class DapRunner extends RunLifecycle<Run> implements RunnerAdapter {
  private readonly book = new BreakpointBook();
  private caps: RunnerCapabilities;
  private dapCaps: Capabilities = {};
  private filterIds: ExceptionFilterIds;
  private paused: PauseState | undefined;
  /** The last stop was reported with `stopped`, so its end is reported with `continued`. */
  private pauseVisible = false;
  /** How the program was last resumed (see StopContext). */
  private lastResume: ResumeCommand | undefined;
  private readonly stopFilter: StopFilter | undefined;
  /** Counts stops, so late answers can tell whether a new stop happened meanwhile. */
  private stopEpoch = 0;
  // setBreakpoints calls must reach the adapter in order: each replaces a source's breakpoints.
  private breakpointQueue: Promise<unknown> = Promise.resolve();
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly launcher: DapLauncher,
    private readonly runnerOptions: DapRunnerOptions = {},
  ) {
    super(runnerOptions.sandbox);
    this.caps = { ...launcher.assumedCapabilities, exceptionFilters: [...launcher.assumedCapabilities.exceptionFilters] };
    this.filterIds = { ...launcher.exceptionFilterIds };
    this.stopFilter = launcher.createStopFilter?.();
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
    const frames = await this.fetchFrames(pause, threadId || pause.threadId, startFrame, levels);
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
    else frameId = await this.topFrameId(pause);
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
        this.sendSignal(pause.run, this.launcher.evaluationInterruptSignal);
        throw new RunnerError('TIMEOUT', `The evaluation did not finish within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    }
    if (!response.success) {
      // An evaluation the program's end cut short (pydevd's socket reset) did not throw: say so.
      if (this.runEnded(pause.run)) throw new RunnerError('INVALID_STATE', 'The run ended during the evaluation');
      const raw = errorMessage(response);
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
    if (this.paused) return;
    const run = this.liveRun();
    if (!run) throw new RunnerError('INVALID_STATE', 'The program is not running');
    const thread = threadId || run.threads.values().next().value || 1;
    const epoch = this.stopEpoch;
    await run.client.request('pause', { threadId: thread });
    const pauseSignal = this.launcher.pauseSignal;
    if (pauseSignal === undefined) return;
    // A thread blocked in a call (sleep, I/O wait) takes no pause until the call returns: nudge it.
    setTimeout(() => {
      if (this.stopEpoch === epoch && this.run === run && !run.ended) this.sendSignal(run, pauseSignal);
    }, PAUSE_SIGNAL_DELAY_MS).unref();
  }

  setBreakpoints(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (this.terminating) return Promise.reject(new RunnerError('INVALID_STATE', 'The runner was terminated'));
    this.checkBreakpointFeatures(breakpoints);
    return this.serializeBreakpoints(async () => {
      const unbound = this.book.replace(source, breakpoints);
      const run = this.liveRun();
      if (!run?.configurable) return unbound;
      return this.sendBreakpoints(run, source);
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
    if (run?.configurable) await this.sendExceptionFilters(run);
  }

  // ---- runs -------------------------------------------------------------------------------------

  protected async startRun(options: LaunchOptions): Promise<void> {
    this.clearPause();
    this.pauseVisible = false;
    const { box, spawned: adapter } = this.spawnBoxed(
      options,
      this.launcher.boxFiles ?? [],
      (box) => new AdapterProcess(this.launcher.adapterCommand(options), box),
    );
    let streams: DapStreams;
    try {
      streams = this.launcher.connect ? await this.launcher.connect(adapter, STARTUP_TIMEOUT_MS) : stdioStreams(adapter);
      this.assertNotTerminated();
    } catch (error) {
      await adapter.kill(KILL_GRACE_MS);
      if (error instanceof RunnerError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError('LAUNCH_FAILED', `Could not start ${options.program} under ${this.launcher.name}: ${message}`, {
        cause: error,
      });
    }
    const client = new DapClient(streams.input, streams.output, {
      timeoutMs: this.requestTimeoutMs,
      ...(this.runnerOptions.trace ? { trace: this.runnerOptions.trace } : {}),
    });
    const run: Run = {
      options,
      adapter,
      box,
      client,
      quiet: false,
      ended: false,
      endedByRunner: false,
      configurable: false,
      awaitingFirstStop: this.launcher.stopsOnEntry,
      exitEmitted: false,
      threads: new Set(),
      sentBreakpoints: new Map(),
      stderrTail: '',
      started: deferred(),
      endProcessed: deferred(),
      finished: deferred(),
      chain: Promise.resolve(),
    };
    this.run = run;
    this.book.unbindAll();
    const initialized = deferred();
    client.on('initialized', () => initialized.resolve());
    this.wire(run);

    try {
      const ended = run.endProcessed.promise.then(() => {
        throw new RunnerError('LAUNCH_FAILED', 'The debug session ended during launch');
      });
      ended.catch(() => {});
      const capabilities = await Promise.race([
        client.request(
          'initialize',
          {
            clientID: 'debug-server',
            clientName: 'debug-server',
            adapterID: this.launcher.adapterId,
            locale: 'en-US',
            linesStartAt1: true,
            columnsStartAt1: true,
            pathFormat: 'path',
            supportsVariableType: true,
            supportsVariablePaging: true,
            supportsRunInTerminalRequest: false,
            supportsStartDebuggingRequest: false,
            supportsMemoryReferences: false,
            supportsProgressReporting: false,
            supportsInvalidatedEvent: false,
          },
          { timeoutMs: STARTUP_TIMEOUT_MS },
        ),
        ended,
      ]);
      this.adoptCapabilities(capabilities ?? {});
      // Not awaited yet: debugpy answers `launch` only after configurationDone.
      const launched = client.request('launch', this.launcher.launchArguments(options, this.launcher.stopsOnEntry || options.stopOnEntry), {
        timeoutMs: STARTUP_TIMEOUT_MS,
      });
      launched.catch(() => {});
      // `initialized` may come before or after the launch response; a failed launch ends the wait.
      await withTimeout(
        Promise.race([initialized.promise, launched.then(() => initialized.promise), ended]),
        STARTUP_TIMEOUT_MS,
        'initialized event',
      );
      run.configurable = true;
      await this.serializeBreakpoints(async () => {
        for (const source of this.book.sources()) {
          // Report what the launch installed, so the session lists them (DAP's reason 'new').
          for (const breakpoint of await this.sendBreakpoints(run, source)) this.emit('breakpoint', { reason: 'new', breakpoint });
        }
      });
      await this.sendExceptionFilters(run);
      if (this.dapCaps.supportsConfigurationDoneRequest) await client.request('configurationDone', {});
      await Promise.race([launched, ended]);
      // With an entry stop, launch returns once it was handled (reported, or resumed past).
      if (this.launcher.stopsOnEntry) await withTimeout(run.started.promise, FIRST_STOP_TIMEOUT_MS, 'first stop');
      else run.started.resolve();
    } catch (error) {
      // Whatever failed, neither the adapter nor the debuggee may outlive the launch.
      run.endedByRunner = true;
      void this.shutdown(run);
      await run.finished.promise;
      throw this.launchError(run, error);
    }
  }

  private launchError(run: Run, error: unknown): RunnerError {
    const programStderr = run.stderrTail.trim();
    if (run.exitCode !== undefined) {
      const detail = programStderr ? `:\n${programStderr}` : '';
      return new RunnerError('LAUNCH_FAILED', `The program exited with code ${run.exitCode} before it ran under the debugger${detail}`, {
        cause: error,
      });
    }
    // Why the session ended says more than the request that failed because of it.
    const message = run.endError ?? (error instanceof Error ? error.message : String(error));
    const stderr = programStderr || (run.endError ? '' : run.adapter.stderrTail.trim());
    const detail = stderr ? `\n${stderr}` : '';
    return new RunnerError('LAUNCH_FAILED', `Could not start ${run.options.program} under ${this.launcher.name}: ${message}${detail}`, {
      cause: error,
    });
  }

  /** Ends a run; resolves once its processes are gone and its events (if any) were emitted. */
  protected async stopRun(run: Run): Promise<void> {
    run.endedByRunner = true;
    await this.shutdown(run);
    await run.finished.promise;
  }

  /** Disconnects, kills what is left, waits for the session's end. Idempotent. */
  private shutdown(run: Run): Promise<void> {
    run.shutdown ??= (async () => {
      const timeoutMs = run.box ? BOXED_DISCONNECT_TIMEOUT_MS : DISCONNECT_TIMEOUT_MS;
      if (!run.ended && !run.client.closed && !run.adapter.exited) {
        // The adapter ends the debuggee itself (and reports exited/terminated) when asked to.
        await run.client.request('disconnect', { terminateDebuggee: true }, { timeoutMs }).catch(() => {});
      } else if (!run.client.closed && !run.adapter.exited) {
        // Over already: a disconnect just lets the adapter go.
        await run.client.request('disconnect', {}, { timeoutMs }).catch(() => {});
      }
      // The debuggee first, while its parent (the adapter's launcher) lives to reap it.
      await this.killDebuggee(run);
      await run.adapter.kill(KILL_GRACE_MS);
      await this.killDebuggee(run);
      await run.endProcessed.promise;
    })();
    void run.shutdown.then(() => run.finished.resolve());
    return run.shutdown;
  }

  private async killDebuggee(run: Run): Promise<void> {
    const pid = run.debuggeePid;
    if (pid === undefined) return;
    if (!(await waitUntilGone(pid, DEBUGGEE_EXIT_GRACE_MS))) {
      // The debuggee leads its own process group: whatever it spawned goes too.
      signalGroup(pid, 'SIGKILL');
      await waitUntilGone(pid, KILL_GRACE_MS);
    }
    untrackGroup(pid);
  }

  /** The session is over: report it (once) and let the processes go. Runs in the event chain. */
  private endRun(run: Run, error?: string): void {
    if (run.ended) return;
    run.ended = true;
    if (error) run.endError = error;
    if (this.run === run) {
      this.clearPause();
      this.book.unbindAll();
    }
    if (!run.quiet) {
      this.emitExited(run);
      this.emit('terminated', error ? { error } : {});
    }
    run.started.reject(new RunnerError('LAUNCH_FAILED', 'The debug session ended before the program started'));
    run.endProcessed.resolve();
    void this.shutdown(run);
  }

  private emitExited(run: Run): void {
    if (run.exitEmitted) return;
    run.exitEmitted = true;
    if (run.quiet) return;
    const status = run.exitSignal
      ? { exitCode: null, signal: run.exitSignal }
      : this.launcher.exitStatus
        ? this.launcher.exitStatus(run.exitCode, run.endedByRunner)
        : { exitCode: run.exitCode ?? null, signal: null };
    const limit = run.box?.limit;
    this.emit('exited', limit ? { ...status, limit } : status);
  }

  private wire(run: Run): void {
    const { client } = run;
    // Events are handled in arrival order, even when handling one takes requests (stopped).
    const on = <K extends DapEventName>(event: K, handler: (body: DapEvents[K]) => void | Promise<void>): void => {
      client.on(event, (body) => {
        run.chain = run.chain.then(() => handler(body)).catch(() => {});
      });
    };
    client.on('process', (body) => {
      if (body.systemProcessId === undefined) return;
      if (run.box) {
        // The adapter reports the pid inside the box; signals from here need the host's. The box
        // itself ends whatever is left of its processes.
        run.debuggeePid = run.box.hostPid(body.systemProcessId);
        return;
      }
      run.debuggeePid = body.systemProcessId;
      trackGroup(body.systemProcessId);
    });
    on('output', (body) => {
      const signal = this.launcher.exitSignal?.(body);
      if (signal) {
        run.exitSignal = signal;
        return;
      }
      const category = this.launcher.outputCategory ? this.launcher.outputCategory(body) : defaultOutputCategory(body);
      if (category === undefined || !body.output) return;
      if (category === 'stderr') run.stderrTail = (run.stderrTail + body.output).slice(-STDERR_TAIL_CHARS);
      if (!run.quiet) this.emit('output', { category, output: body.output });
    });
    on('stopped', (body) => this.onStopped(run, body));
    on('continued', (body) => this.onContinued(run, body));
    on('exited', (body) => {
      run.exitCode = body.exitCode;
      this.emitExited(run);
    });
    on('terminated', () => this.endRun(run));
    on('thread', (body) => {
      if (body.reason === 'started') run.threads.add(body.threadId);
      else if (body.reason === 'exited') run.threads.delete(body.threadId);
      if (!run.quiet && !run.ended && (body.reason === 'started' || body.reason === 'exited')) {
        this.emit('thread', { reason: body.reason, threadId: body.threadId });
      }
    });
    on('breakpoint', (body) => {
      // Breakpoints the adapter made up itself ('new'/'removed') have no id of ours: not reported.
      if (run.quiet || this.run !== run || body.reason !== 'changed') return;
      const breakpoint = this.book.changed(body.breakpoint);
      if (breakpoint) this.emit('breakpoint', { reason: 'changed', breakpoint });
    });
    void run.adapter.exit.then((exit) => {
      client.close('The debug adapter exited');
      run.chain = run.chain.then(() => {
        if (run.ended) return;
        const how = exit.error
          ? `could not be started: ${exit.error.message}`
          : `exited unexpectedly (${exit.signal ?? `code ${exit.code}`})`;
        const stderr = run.adapter.stderrTail.trim();
        this.endRun(run, `${this.launcher.name} ${how}${stderr ? `: ${stderr}` : ''}`);
      });
    });
  }

  // ---- stops ------------------------------------------------------------------------------------

  private async onStopped(run: Run, body: DapEvents['stopped']): Promise<void> {
    if (run.quiet || run.ended || this.run !== run) return;
    const threadId = body.threadId ?? this.paused?.threadId ?? run.threads.values().next().value ?? 1;
    if (run.awaitingFirstStop) {
      run.awaitingFirstStop = false;
      if (body.reason === 'entry' && !run.options.stopOnEntry) {
        // The runner asked for this stop (see DapLauncher.stopsOnEntry), the caller did not.
        await run.client.request('continue', { threadId }).catch(() => {});
        run.started.resolve();
        return;
      }
    }
    const pause: PauseState = {
      run,
      threadId,
      allThreads: body.allThreadsStopped === true,
      threads: new Set(this.paused?.run === run ? [...this.paused.threads, threadId] : [threadId]),
      frames: new Set(this.paused?.run === run ? this.paused.frames : []),
      refs: new Set(this.paused?.run === run ? this.paused.refs : []),
      topFrames: new Map(),
    };
    const stop: StoppedEvent = { reason: body.reason, threadId };
    if (body.description) stop.description = body.description;
    if (body.text) stop.text = body.text;
    if (body.hitBreakpointIds?.length) stop.hitBreakpointIds = this.book.idsForDapIds(body.hitBreakpointIds);
    if (pause.allThreads) stop.allThreadsStopped = true;
    try {
      if (body.reason === 'breakpoint' && !stop.hitBreakpointIds?.length) {
        // Many adapters (debugpy) leave hitBreakpointIds out: find ours at the top frame.
        const [top] = await this.fetchFrames(pause, threadId, 0, 1);
        const path = top?.source?.path;
        const ids = top && path ? this.book.idsAt(path, top.line) : [];
        if (ids.length > 0) stop.hitBreakpointIds = ids;
      }
      if (body.reason === 'exception' && this.dapCaps.supportsExceptionInfoRequest) {
        const info = await run.client.request('exceptionInfo', { threadId });
        const message = info.description ?? info.details?.message;
        stop.description = message ? `${info.exceptionId}: ${message}` : info.exceptionId;
        if (info.details?.stackTrace) stop.text = info.details.stackTrace;
      }
      // The adapter's own quirks may pass over a stop the API does not show.
      if (this.stopFilter && (await this.stopFilter(stop, { lastResume: this.lastResume, client: run.client }))) {
        await run.client.request('continue', { threadId });
        return;
      }
    } catch {
      /* the stop is reported with what is known */
    }
    if (run.ended || this.run !== run) return;
    // The top frame travels with the stop (the session shows its line at once).
    const [top] = await this.fetchFrames(pause, threadId, 0, 1).catch(() => []);
    if (run.ended || this.run !== run) return;
    if (top) stop.topFrame = stackFrameOf(top);
    this.paused = pause;
    this.pauseVisible = true;
    this.stopEpoch++;
    this.emit('stopped', stop);
    run.started.resolve();
  }

  private onContinued(run: Run, body: DapEvents['continued']): void {
    if (run.quiet || this.run !== run) return;
    const pause = this.paused;
    if (pause?.run === run) {
      if (body.allThreadsContinued || pause.allThreads) this.clearPause();
      else {
        pause.threads.delete(body.threadId);
        if (pause.threads.size === 0) this.clearPause();
      }
    }
    if (this.pauseVisible && !this.paused) {
      this.pauseVisible = false;
      this.emit('continued', {
        threadId: body.threadId,
        ...(body.allThreadsContinued !== undefined ? { allThreadsContinued: body.allThreadsContinued } : {}),
      });
    }
  }

  /** Shared path of continue / next / stepIn / stepOut. */
  private async resume(command: ResumeCommand, threadId: number): Promise<void> {
    const pause = this.requirePaused(threadId);
    const thread = threadId || pause.threadId;
    this.lastResume = command;
    const epoch = this.stopEpoch;
    // Handles die now, not when `continued` arrives: no request may use them in between.
    this.clearPause();
    let allThreadsContinued: boolean | undefined;
    try {
      const body = await pause.run.client.request(command, { threadId: thread });
      allThreadsContinued =
        command === 'continue' ? (body as { allThreadsContinued?: boolean } | undefined)?.allThreadsContinued : undefined;
    } catch (error) {
      // Nothing resumed: the stop is still the current one, unless something happened meanwhile.
      if (this.stopEpoch === epoch && !this.paused && this.run === pause.run && !pause.run.ended) this.paused = pause;
      throw error;
    }
    if (this.stopEpoch === epoch && this.pauseVisible) {
      this.pauseVisible = false;
      this.emit('continued', { threadId: thread, allThreadsContinued: allThreadsContinued ?? pause.allThreads });
    }
  }

  private async fetchFrames(pause: PauseState, threadId: number, startFrame: number, levels?: number): Promise<DapStackFrame[]> {
    const body = await pause.run.client.request('stackTrace', {
      threadId,
      ...(startFrame > 0 ? { startFrame } : {}),
      ...(levels !== undefined && levels > 0 ? { levels } : {}),
    });
    const frames = body.stackFrames;
    for (const frame of frames) pause.frames.add(frame.id);
    const top = frames[0];
    if (startFrame === 0 && top) pause.topFrames.set(threadId, top.id);
    return frames;
  }

  private async topFrameId(pause: PauseState): Promise<number> {
    const known = pause.topFrames.get(pause.threadId);
    if (known !== undefined) return known;
    const [top] = await this.fetchFrames(pause, pause.threadId, 0, 1);
    if (!top) throw new RunnerError('INVALID_STATE', 'The stopped thread has no frame to evaluate in');
    return top.id;
  }

  private clearPause(): void {
    this.paused = undefined;
  }

  // ---- configuration ----------------------------------------------------------------------------

  private adoptCapabilities(capabilities: Capabilities): void {
    this.dapCaps = capabilities;
    this.filterIds = exceptionFilterIds(capabilities, this.launcher.exceptionFilterIds);
    this.caps = mapCapabilities(capabilities, this.filterIds);
  }

  private async sendBreakpoints(run: Run, source: string): Promise<Breakpoint[]> {
    const breakpoints = this.book.request(source);
    const key = JSON.stringify(breakpoints);
    // Resending the same set would reset the adapter's hit counts (debugpy does): skip it.
    if (run.sentBreakpoints.get(source) === key) return this.book.current(source);
    const body = await run.client.request('setBreakpoints', { source: { path: source }, breakpoints });
    run.sentBreakpoints.set(source, key);
    return this.book.bind(source, body.breakpoints);
  }

  private async sendExceptionFilters(run: Run): Promise<void> {
    if (!this.dapCaps.exceptionBreakpointFilters) return;
    const filters = this.exceptionFilters.map((filter) => this.filterIds[filter]).filter((id): id is string => id !== undefined);
    await run.client.request('setExceptionBreakpoints', { filters });
  }

  private serializeBreakpoints<T>(task: () => Promise<T>): Promise<T> {
    const result = this.breakpointQueue.then(task);
    this.breakpointQueue = result.catch(() => {});
    return result;
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
    const pause = this.paused;
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

  /** Sends a signal to the debuggee, only if it installed a handler (else it could kill it). */
  private sendSignal(run: Run, signal: number | undefined): void {
    const pid = run.debuggeePid;
    if (signal === undefined || pid === undefined || run.ended || !catchesSignal(pid, signal)) return;
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** The API's view of a DAP stack frame. */
function stackFrameOf(frame: DapStackFrame): StackFrame {
  const source = frame.source?.path || frame.source?.name;
  return {
    id: frame.id,
    name: frame.name,
    ...(source ? { source } : {}),
    line: frame.line,
    ...(frame.column ? { column: frame.column } : {}),
  };
}
