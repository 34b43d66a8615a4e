/**
 * The Node.js runner: drives one `node` debuggee through the V8 Inspector protocol (over the
 * channel of inspector-channel.ts) and exposes it as a DAP-shaped {@link RunnerAdapter}.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import {
  RunnerError,
  type Breakpoint,
  type EvaluateOptions,
  type EvaluateResult,
  type ExceptionFilter,
  type LaunchOptions,
  type RunnerAdapter,
  type RunnerCapabilities,
  type RunnerEventMap,
  type RunnerEventName,
  type RunnerListener,
  type Scope,
  type SourceBreakpoint,
  type StackFrame,
  type StoppedEvent,
  type Thread,
  type Variable,
  type VariablesPage,
} from '../adapter.js';
import { BreakpointManager, type BreakpointRecord } from './breakpoints.js';
import { CdpConnection, CdpProtocolError, DEFAULT_REQUEST_TIMEOUT_MS } from './cdp-connection.js';
import type { CallFrame, CdpEvents, RemoteObject } from './cdp-types.js';
import { DebuggeeProcess, type DebuggeeExit } from './debuggee-process.js';
import { buildDebuggeeEnv } from '../debuggee-env.js';
import { HandleTable } from './handle-table.js';
import type { EntryDetector, InspectorChannel, InspectorChannelName } from './inspector-channel.js';
import { childrenOf, OBJECT_GROUP, scopesOf, toVariable, type VariableHandle } from './inspection.js';
import { logExpression } from './logpoint.js';
import { pipeChannel, RUNNER_FILES } from './pipe-channel.js';
import { MessageTooLong } from './pipe-transport.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { formatValue, truncate } from './remote-object.js';
import { ScriptSourceMaps } from './script-source-maps.js';
import { ASYNC_STACK_DEPTH, buildStack, type FrameHandle, type ScriptLocator } from './stack-trace.js';
import { TypedEmitter } from '../typed-emitter.js';
import { canonicalUrl, urlPattern } from './url-pattern.js';

/** The only thread: Node runs user JavaScript on one thread (workers are separate targets). */
const THREAD_ID = 1;
/** Time for node to print its inspector URL / for the WebSocket handshake; for reaching the entry. */
const STARTUP_TIMEOUT_MS = 10_000;
/** SIGTERM → SIGKILL delay. */
const KILL_GRACE_MS = 1000;
/** Once the program is over, how long requests still in flight may take before we detach. */
const END_CLOSE_GRACE_MS = 1000;
/** The binding source-map-hook.cjs calls for a source-mapped CommonJS module (keep in sync). */
const MODULE_HOOK_BINDING = '__debugServerSourceMappedModule';
/** Scripts of ours in the debuggee: stepping never stops in them (V8 blackboxing), stacks leave them out. */
const OWN_SCRIPTS = new RegExp(
  RUNNER_FILES.flatMap((file) => [file.host, file.box])
    .map((file) => urlPattern(pathToFileURL(file).href))
    .join('|'),
);
/**
 * How many steps a step may take through code a source map does not map (a compiler's helpers,
 * CommonJS glue) before it shows the JavaScript after all.
 */
const MAX_SMART_STEPS = 100;

type Deferred = { promise: Promise<void>; resolve(): void; reject(error: Error): void };

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // Observed by whoever awaits it; never an unhandled rejection.
  return { promise, resolve, reject };
}

/** One debuggee process and its inspector connection (a restart makes a new one). */
interface Run {
  /** The limit the run broke, when it was ended for it (see MessageTooLong). */
  limit?: string;
  readonly process: DebuggeeProcess;
  cdp?: CdpConnection;
  /** Set when the runner dropped this run (restart): it emits no more events. */
  quiet: boolean;
  /** The process is gone. */
  ended: boolean;
  /** Resolves when launch may return (running, or stopped); rejects if the program died first. */
  readonly started: Deferred;
  /** Resolves once the process is gone and exited/terminated were emitted. */
  readonly finished: Deferred;
  /** Recognizes the program's first statement. */
  readonly entry: EntryDetector;
  /** scriptId → URL (Node 20 leaves CallFrame.url empty). */
  readonly scripts: Map<string, string>;
  /** Source maps of the run's scripts. */
  readonly sourceMaps: ScriptSourceMaps;
  /** URLs (canonicalUrl's spelling) of CommonJS modules the hook announced, not parsed yet. */
  readonly announced: Set<string>;
  mainContextId?: number;
  /** Debugger.paused / resumed, handled one at a time in arrival order. */
  eventChain: Promise<void>;
  /** Launch waits for the `Debugger.resumed` that ends the internal entry pause. */
  startOnResumed: boolean;
}

/** The current pause, valid until the program resumes. */
interface PauseState {
  readonly run: Run;
  readonly cdp: CdpConnection;
  /** V8's live frames the stack shows (the debugger's own are left out). */
  readonly callFrames: CallFrame[];
  /** Live frames, then async ones (their ids are registered in the runner's frame table). */
  readonly stack: StackFrame[];
}

/** Options of {@link NodeRunner}. */
export interface NodeRunnerOptions {
  /** How to reach the inspector: `pipe` (the default and only one: no TCP port, fast). */
  channel?: InspectorChannelName | InspectorChannel;
  /** Runs every debuggee in a session box (see src/sandbox); none: plain child processes. */
  sandbox?: Sandbox;
}

const CHANNELS: Record<InspectorChannelName, InspectorChannel> = { pipe: pipeChannel };

type PendingCommand = 'continue' | 'step' | 'pause';
/** Stops that may step on through code not worth showing (see stepThrough). */
const SHOWN_AFTER_STEPPING = ['step', 'entry'] as const;
type StepMethod = 'Debugger.stepOver' | 'Debugger.stepInto' | 'Debugger.stepOut';

/** A step under way through code with no source mapping, on behalf of a stop not shown yet. */
interface SmartStep {
  /** What the stop will say when it is shown. */
  readonly reason: (typeof SHOWN_AFTER_STEPPING)[number];
  count: number;
}

/**
 * A {@link RunnerAdapter} for Node.js programs.
 *
 * Lifecycle: `launch` once; `restart` any number of times; `terminate` at the end (idempotent).
 * All events go to listeners registered with `on`, across restarts.
 */
export class NodeRunner implements RunnerAdapter {
  readonly capabilities: RunnerCapabilities = {
    conditionalBreakpoints: true,
    hitConditionalBreakpoints: true,
    logPoints: true,
    exceptionFilters: ['uncaught', 'all'],
    restart: true,
    evaluateTimeout: true,
  };

  private readonly emitter = new TypedEmitter<RunnerEventMap>();
  /** Tags logpoint messages so they can be told from the program's own console calls. */
  private readonly marker = `__debug_server_logpoint_${randomUUID()}__`;
  private readonly breakpoints = new BreakpointManager(this.marker, (breakpoint, reason) =>
    this.emit('breakpoint', { reason, breakpoint }),
  );
  private readonly frames = new HandleTable<FrameHandle>();
  private readonly refs = new HandleTable<VariableHandle>();
  private options: LaunchOptions | undefined;
  private exceptionFilters: ExceptionFilter[] = [];
  private run: Run | undefined;
  private paused: PauseState | undefined;
  /** The last pause was reported with `stopped`, so its end is reported with `continued`. */
  private pauseVisible = false;
  private pending: PendingCommand | undefined;
  /** The step method of the last step asked for (repeated through unmapped code). */
  private lastStep: StepMethod = 'Debugger.stepOver';
  private smartStep: SmartStep | undefined;
  /** Source maps being loaded and breakpoints being put into their scripts. */
  private readonly mapping = new Set<Promise<void>>();
  /**
   * Set from sending a resume/step until `Debugger.resumed` arrives. V8 acknowledges Debugger.resume
   * before it has left its pause loop, and ignores a Debugger.pause arriving in between.
   */
  private resuming: Deferred | undefined;
  private terminating: Promise<void> | undefined;
  private readonly channel: InspectorChannel;
  private readonly sandbox: Sandbox | undefined;

  constructor(options: NodeRunnerOptions = {}) {
    const channel = options.channel ?? 'pipe';
    this.channel = typeof channel === 'string' ? CHANNELS[channel] : channel;
    this.sandbox = options.sandbox;
  }

  /** OS process id of the current debuggee (undefined before launch or if the spawn failed). */
  get pid(): number | undefined {
    return this.run?.process.pid;
  }

  on<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void {
    this.emitter.on(event, listener);
  }

  off<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void {
    this.emitter.off(event, listener);
  }

  async launch(options: LaunchOptions): Promise<void> {
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    if (this.options) throw new RunnerError('INVALID_STATE', 'The runner was already launched');
    this.options = { ...options, args: [...options.args], env: { ...options.env }, breakpoints: new Map(options.breakpoints) };
    this.exceptionFilters = validateFilters(options.exceptionFilters ?? []);
    for (const [source, breakpoints] of options.breakpoints) await this.breakpoints.set(source, breakpoints);
    await this.startRun(this.options);
  }

  threads(): Promise<Thread[]> {
    return Promise.resolve(this.run && !this.run.ended ? [{ id: THREAD_ID, name: 'main' }] : []);
  }

  stackTrace(threadId: number, startFrame = 0, levels?: number): Promise<StackFrame[]> {
    return settle(() => this.frameList(threadId, startFrame, levels));
  }

  scopes(frameId: number): Promise<Scope[]> {
    return settle(() => {
      this.requirePaused();
      const handle = this.frameHandle(frameId);
      // A frame before an async boundary is history: no scopes to read any more.
      return handle.kind === 'live' ? scopesOf(handle.frame, this.refs) : [];
    });
  }

  private frameList(threadId: number, startFrame: number, levels: number | undefined): StackFrame[] {
    const pause = this.requirePaused(threadId);
    const end = levels !== undefined && levels > 0 ? startFrame + levels : undefined;
    return pause.stack.slice(startFrame, end);
  }

  async variables(variablesReference: number, page?: VariablesPage): Promise<Variable[]> {
    const pause = this.requirePaused();
    if (variablesReference === 0) return [];
    const handle = this.refs.get(variablesReference);
    if (!handle) throw new RunnerError('BAD_USER_INPUT', `Unknown or expired variablesReference ${variablesReference}`);
    return childrenOf(pause.cdp, handle, page, this.refs);
  }

  async evaluate(expression: string, options: EvaluateOptions = {}): Promise<EvaluateResult> {
    const pause = this.requirePaused();
    const frame = options.frameId !== undefined ? this.liveFrame(options.frameId) : pause.callFrames[0];
    if (!frame) throw new RunnerError('INVALID_STATE', 'No call frame to evaluate in');
    const timeoutMs = options.timeoutMs;
    try {
      const { result, exceptionDetails } = await pause.cdp.send(
        'Debugger.evaluateOnCallFrame',
        {
          callFrameId: frame.callFrameId,
          expression: boundedExpression(expression),
          objectGroup: OBJECT_GROUP,
          generatePreview: true,
          // Don't let a throwing expression trigger "pause on exceptions" inside the evaluation.
          silent: true,
          ...(options.sideEffectFree ? { throwOnSideEffect: true } : {}),
          ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
        },
        // Leave V8 time to report its own timeout before ours fires.
        { timeoutMs: timeoutMs !== undefined ? timeoutMs + DEFAULT_REQUEST_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS },
      );
      if (exceptionDetails) {
        const message = describeThrown(exceptionDetails.exception, exceptionDetails.text);
        return { value: message, error: message, variablesReference: 0 };
      }
      const variable = toVariable('', result, this.refs);
      return { value: variable.value, ...(variable.type ? { type: variable.type } : {}), variablesReference: variable.variablesReference };
    } catch (error) {
      // The program ended (or was restarted) while evaluating: no result, and not the expression's fault.
      if (this.run !== pause.run || pause.run.ended || pause.cdp.closed) {
        throw new RunnerError('INVALID_STATE', 'The run ended during the evaluation', { cause: error });
      }
      // V8 answers a timed-out evaluation with an error, not an exception: report it as the result.
      if (error instanceof CdpProtocolError) {
        const message =
          timeoutMs !== undefined && /terminated/i.test(error.protocolMessage)
            ? `Evaluation timed out after ${timeoutMs} ms`
            : error.protocolMessage;
        return { value: message, error: message, variablesReference: 0 };
      }
      throw error;
    }
  }

  next(threadId: number): Promise<void> {
    return this.resumeWith(threadId, 'step', 'Debugger.stepOver');
  }

  stepIn(threadId: number): Promise<void> {
    return this.resumeWith(threadId, 'step', 'Debugger.stepInto');
  }

  stepOut(threadId: number): Promise<void> {
    return this.resumeWith(threadId, 'step', 'Debugger.stepOut');
  }

  continue(threadId: number): Promise<void> {
    return this.resumeWith(threadId, 'continue', 'Debugger.resume');
  }

  async pause(threadId: number): Promise<void> {
    checkThread(threadId);
    if (this.resuming) await this.resuming.promise;
    if (this.paused) return;
    const cdp = this.liveConnection();
    if (!cdp) throw new RunnerError('INVALID_STATE', 'The program is not running');
    this.pending = 'pause';
    // When the program is idle (waiting on a timer or I/O) V8 can only stop once JavaScript runs
    // again, so the `stopped` event comes with the next callback, not right away.
    await cdp.send('Debugger.pause', {});
  }

  async setBreakpoints(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    return this.breakpoints.set(source, breakpoints);
  }

  async setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void> {
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    this.exceptionFilters = validateFilters(filters);
    const cdp = this.liveConnection();
    if (cdp) await cdp.send('Debugger.setPauseOnExceptions', { state: pauseOnExceptionsState(this.exceptionFilters) });
  }

  async restart(): Promise<void> {
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    const options = this.options;
    if (!options) throw new RunnerError('INVALID_STATE', 'The runner was never launched');
    const old = this.run;
    if (old) {
      old.quiet = true; // The old run emits nothing any more (no exited/terminated).
      await this.stopRun(old);
    }
    await this.startRun(options);
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

  // ---- runs -------------------------------------------------------------------------------------

  private async startRun(options: LaunchOptions): Promise<void> {
    // terminate() may have run while launch/restart awaited something: start nothing then.
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    this.clearPause();
    this.pauseVisible = false;
    this.pending = undefined;
    this.smartStep = undefined;
    this.settleResuming();
    // The process callbacks need the run, the run needs the process: tie the knot via `ref`.
    const ref: { run?: Run } = {};
    const channel = this.channel;
    // A new box per run: a restart leaves nothing of the old run's process tree behind.
    const box = this.sandbox?.box({
      cwd: options.cwd,
      network: options.network ?? true,
      files: [...RUNNER_FILES, { host: process.execPath, box: process.execPath }],
    });
    let debuggee: DebuggeeProcess;
    try {
      debuggee = new DebuggeeProcess({
        nodeArgs: channel.nodeArgs.map((arg) => box?.inBox(arg) ?? arg),
        inspectorPipe: channel.inspectorPipe,
        program: options.program,
        args: options.args,
        cwd: options.cwd,
        env: { ...buildDebuggeeEnv(process.env, options.env, box !== undefined), ...channel.env },
        box,
        onOutput: (category, output) => {
          if (ref.run && !ref.run.quiet) this.emit('output', { category, output });
        },
        onBanner: (kind) => {
          // The program is over but node waits for us to detach before exiting. stderr is not ordered
          // with the inspector socket: answers to our last requests (a resume…) may still be on
          // their way, so let them arrive first. Usually Runtime.executionContextDestroyed, which
          // is ordered, has closed the socket already.
          if (kind === 'waiting-for-disconnect') void ref.run?.cdp?.closeWhenIdle(END_CLOSE_GRACE_MS);
        },
      });
    } catch (error) {
      void box?.dispose();
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError('LAUNCH_FAILED', `Cannot make the session box: ${message}`, { cause: error });
    }
    const run: Run = {
      process: debuggee,
      quiet: false,
      ended: false,
      started: deferred(),
      finished: deferred(),
      entry: channel.entryDetector(),
      scripts: new Map(),
      sourceMaps: new ScriptSourceMaps(options.cwd),
      announced: new Set(),
      eventChain: Promise.resolve(),
      startOnResumed: false,
    };
    ref.run = run;
    this.run = run;
    void run.process.exit.then((exit) => this.onRunExit(run, exit));

    try {
      const cdp = new CdpConnection(await channel.connect(run.process, STARTUP_TIMEOUT_MS));
      run.cdp = cdp;
      if (run.ended || run.quiet) {
        void cdp.close();
        throw new RunnerError('LAUNCH_FAILED', 'The program ended during launch');
      }
      this.wire(run, cdp);
      // No Runtime.enable: with it V8 reports every console call of the program to us (a CDP
      // message with object previews per call), which made a program that logs a lot run ~15×
      // slower. Logpoints report through a binding instead (see logpoint.ts).
      await cdp.send('Runtime.addBinding', { name: this.marker });
      await cdp.send('Runtime.addBinding', { name: MODULE_HOOK_BINDING });
      await cdp.send('Debugger.enable', {});
      await cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: ASYNC_STACK_DEPTH });
      await cdp.send('Debugger.setBlackboxPatterns', { patterns: [OWN_SCRIPTS.source] });
      // ES modules with a source map: a pause before each runs, to put breakpoints in (see onPaused).
      await cdp.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptWithSourceMapExecution' });
      await this.breakpoints.attach(cdp, run.sourceMaps);
      await cdp.send('Debugger.setPauseOnExceptions', { state: pauseOnExceptionsState(this.exceptionFilters) });
      await run.entry.prepare(cdp, run.scripts);
      await cdp.send('Runtime.runIfWaitingForDebugger', {});
      await startedOrRunning(run.started.promise, STARTUP_TIMEOUT_MS);
    } catch (error) {
      // Whatever failed, the child must not outlive the launch.
      void run.process.kill(KILL_GRACE_MS);
      void run.cdp?.close();
      await run.finished.promise;
      if (error instanceof RunnerError && error.code === 'LAUNCH_FAILED') throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError('LAUNCH_FAILED', `Could not start ${options.program} under the debugger: ${message}`, { cause: error });
    }
  }

  /** Kills a run's process; resolves once it is gone and its events (if any) were emitted. */
  private async stopRun(run: Run): Promise<void> {
    if (!run.ended) {
      // Signal first: closing the socket first would let a paused program run on for a while.
      const killed = run.process.kill(KILL_GRACE_MS);
      void run.cdp?.close();
      await killed;
    }
    await run.finished.promise;
  }

  private onRunExit(run: Run, exit: DebuggeeExit): void {
    run.ended = true;
    if (run.cdp) {
      this.breakpoints.detach(run.cdp);
      void run.cdp.close();
    }
    if (this.run === run) {
      this.clearPause();
      this.pending = undefined;
      this.settleResuming();
    }
    if (!run.quiet) {
      const limit = exit.limit ?? run.limit;
      this.emit('exited', { exitCode: exit.exitCode, signal: exit.signal, ...(limit ? { limit } : {}) });
      this.emit('terminated', exit.error ? { error: `Cannot start node: ${exit.error.message}` } : {});
    }
    run.started.reject(new RunnerError('LAUNCH_FAILED', describeEarlyExit(exit, run.process.stderrTail)));
    run.finished.resolve();
  }

  private wire(run: Run, cdp: CdpConnection): void {
    const current = (): boolean => this.run === run && !run.quiet && !run.ended;
    cdp.on('Debugger.scriptParsed', ({ scriptId, url, sourceMapURL, isModule }) => {
      run.scripts.set(scriptId, url);
      run.sourceMaps.noteScript(scriptId, url, sourceMapURL);
      // Scripts neither the hook nor the instrumentation pause (ES modules) saw, such as a loader's
      // CommonJS or vm code, get their breakpoints late rather than never.
      const seen = isModule === true || run.announced.delete(canonicalUrl(url));
      if (sourceMapURL && !seen && !this.breakpoints.empty) void this.mapScript(run, url, sourceMapURL);
    });
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      if (context.auxData?.isDefault && run.mainContextId === undefined) run.mainContextId = context.id;
    });
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
      // The main context dies when the program is over; node then waits for us to detach
      // ("Waiting for the debugger to disconnect...") before exiting with the real exit code.
      if (executionContextId === run.mainContextId) void cdp.closeWhenIdle(END_CLOSE_GRACE_MS);
    });
    cdp.on('Debugger.breakpointResolved', ({ breakpointId, location }) => {
      if (current()) this.breakpoints.resolved(breakpointId, location);
    });
    cdp.on('Runtime.bindingCalled', ({ name, payload }) => {
      if (name === MODULE_HOOK_BINDING) {
        void this.onSourceMappedModule(run, cdp, payload);
        return;
      }
      // Logpoint messages (the program's own console output comes through stdout).
      if (!current() || name !== this.marker) return;
      this.emit('output', { category: 'console', output: `${payload}\n` });
    });
    cdp.on('Debugger.paused', (params) => {
      run.eventChain = run.eventChain.then(() => this.onPaused(run, cdp, params)).catch(() => {});
    });
    cdp.on('Debugger.resumed', () => {
      run.eventChain = run.eventChain.then(() => this.onResumed(run)).catch(() => {});
    });
    cdp.onClose((error) => {
      // A program that floods its end of the inspector pipe (it can write to fd 3) has broken the
      // debugger: its run ends, and the session says which limit it hit.
      if (error instanceof MessageTooLong && !run.ended) {
        run.limit = error.limit;
        void run.process.kill(0);
      }
      this.breakpoints.detach(cdp);
      if (this.run === run) {
        // Without the inspector the program can no longer be inspected, only waited for.
        this.clearPause();
        this.pending = undefined;
        this.settleResuming();
      }
    });
  }

  // ---- pauses -----------------------------------------------------------------------------------

  private async onPaused(run: Run, cdp: CdpConnection, params: CdpEvents['Debugger.paused']): Promise<void> {
    if (this.run !== run || run.quiet || run.ended) return;
    if (params.reason === 'instrumentation') {
      // An ES module with a source map is about to run: its original files' breakpoints go in first.
      const url = params.data?.['url'];
      const sourceMapUrl = params.data?.['sourceMapURL'];
      if (typeof url === 'string' && typeof sourceMapUrl === 'string' && sourceMapUrl) await this.mapScript(run, url, sourceMapUrl);
    }
    const verdict = await run.entry.classify(cdp, params);
    // Instrumentation pauses are the runner's own, whatever the entry detector makes of them.
    if (verdict === 'internal' || (verdict === 'other' && params.reason === 'instrumentation')) {
      await this.resumeSilently(cdp);
      return;
    }
    const isEntry = verdict === 'entry';
    const isException = params.reason === 'exception' || params.reason === 'promiseRejection';

    const top = params.callFrames[0]?.location.scriptId ?? '';
    if (params.hitBreakpoints?.length) await run.sourceMaps.prepare([top]);
    const hits = isException
      ? []
      : (params.hitBreakpoints ?? []).map((id) => this.breakpoints.lookup(id, top)).filter((r): r is BreakpointRecord => !!r);
    const stopping: number[] = [];
    for (const record of hits) {
      record.hits++;
      if (record.hitPredicate && !record.hitPredicate(record.hits)) continue;
      if (record.logMessage !== undefined) {
        // A logpoint with a hit condition pauses every time (so we can count); log, don't stop.
        await this.logAt(cdp, params.callFrames[0], record.logMessage);
        continue;
      }
      stopping.push(record.id);
    }

    let stop: Omit<StoppedEvent, 'threadId'> | undefined;
    if (isException) {
      const text = describeThrown(params.data, 'Exception');
      stop = { reason: 'exception', description: text, text: truncate(fullDescription(params.data) ?? text, 4000) };
    } else if (stopping.length > 0) {
      stop = { reason: 'breakpoint', hitBreakpointIds: stopping };
    } else if (isEntry) {
      stop = this.options?.stopOnEntry ? { reason: 'entry' } : undefined;
    } else if (this.pending === 'step' || this.pending === 'pause') {
      // Even if a not-yet-due hit-count breakpoint interrupted the step, stop rather than lose it.
      stop = { reason: this.pending === 'step' && this.smartStep ? this.smartStep.reason : this.pending };
    } else if (params.hitBreakpoints?.length) {
      // Only breakpoints whose hit condition is not met, logpoints, or stray hits (see BreakpointManager.lookup).
      stop = undefined;
    } else if (params.reason === 'other') {
      stop = { reason: 'debugger statement' };
    } else {
      stop = { reason: 'pause' };
    }

    if (!stop) {
      if (isEntry) run.startOnResumed = true;
      await this.resumeSilently(cdp);
      return;
    }
    await run.sourceMaps.prepare(scriptIdsOf(params));
    const reason = SHOWN_AFTER_STEPPING.find((r) => r === stop.reason);
    const through = reason && this.stepThrough(run, params.callFrames[0], reason);
    if (reason && through) {
      const smart = (this.smartStep ??= { reason, count: 0 });
      if (++smart.count <= MAX_SMART_STEPS) {
        if (isEntry) run.startOnResumed = false;
        this.pending = 'step';
        this.pauseVisible = false;
        this.resuming ??= deferred();
        await cdp.send(through, {}).catch(() => this.settleResuming());
        return;
      }
    }
    // What the program printed before this pause comes before the stop.
    await run.process.outputRead();
    this.pending = undefined;
    this.smartStep = undefined;
    const scripts: ScriptLocator = {
      url: (scriptId) => run.scripts.get(scriptId),
      original: (location) => run.sourceMaps.original(location),
      hidden: (url) => OWN_SCRIPTS.test(url),
    };
    const stack = buildStack(params.callFrames, params.asyncStackTrace, scripts, this.frames);
    // The frames the stack shows: eval's default frame is the first of these.
    const callFrames = params.callFrames.filter((frame) => !OWN_SCRIPTS.test(frame.url || run.scripts.get(frame.location.scriptId) || ''));
    this.paused = { run, cdp, callFrames, stack };
    this.pauseVisible = true;
    run.started.resolve();
    this.emit('stopped', { ...stop, threadId: THREAD_ID, allThreadsStopped: true });
  }

  /**
   * How to go on from a stop at code a source map does not map (tsc's prologue, helpers): take
   * the step again (step over from the entry, else the user's last kind of step). Undefined: show
   * the stop.
   */
  private stepThrough(run: Run, frame: CallFrame | undefined, reason: SmartStep['reason']): StepMethod | undefined {
    if (!frame || !run.sourceMaps.isMapped(frame.location.scriptId) || run.sourceMaps.original(frame.location)) return undefined;
    return reason === 'entry' ? 'Debugger.stepOver' : this.lastStep;
  }

  /** Puts the breakpoints of a source-mapped script's original files into it. */
  private mapScript(run: Run, url: string, sourceMapUrl: string): Promise<void> {
    const work = (async () => {
      const map = await run.sourceMaps.load(url, sourceMapUrl);
      if (map && this.run === run && !run.quiet) await this.breakpoints.mapInto(url, map);
    })();
    const tracked = work.catch(() => {}).finally(() => this.mapping.delete(tracked));
    this.mapping.add(tracked);
    return work;
  }

  /**
   * source-map-hook.cjs announced a CommonJS module with a source map and waits: put its
   * breakpoints in, then let it go on.
   */
  private async onSourceMappedModule(run: Run, cdp: CdpConnection, payload: string): Promise<void> {
    let announcement: unknown[] = [];
    try {
      announcement = JSON.parse(payload) as unknown[];
    } catch {
      /* malformed: released below, the module runs without its mapped breakpoints */
    }
    const [url, sourceMapUrl, sequence] = announcement;
    if (typeof url === 'string') run.announced.add(canonicalUrl(url));
    const release = () =>
      cdp.send('DebugServer.releaseModuleHook', { sequence: typeof sequence === 'number' ? sequence : 0 }).catch(() => {});
    const map = () =>
      typeof url === 'string' && typeof sourceMapUrl === 'string' ? this.mapScript(run, url, sourceMapUrl) : Promise.resolve();
    if (this.paused) {
      // A require() in an eval while paused: V8 serves no request until the eval is over, so the
      // breakpoints go in after it (late, when V8 parses the module) rather than never.
      await release();
      await map().catch(() => {});
      return;
    }
    await map().catch(() => {});
    await release();
  }

  /** Resumes from a pause nobody is told about. */
  private async resumeSilently(cdp: CdpConnection): Promise<void> {
    this.pauseVisible = false;
    this.resuming ??= deferred();
    await cdp.send('Debugger.resume', {}).catch(() => this.settleResuming());
  }

  private onResumed(run: Run): void {
    if (this.run !== run || run.quiet) return;
    this.settleResuming();
    if (run.startOnResumed) run.started.resolve();
    this.clearPause();
    if (this.pauseVisible) {
      this.pauseVisible = false;
      this.emit('continued', { threadId: THREAD_ID, allThreadsContinued: true });
    }
  }

  /** Evaluates a logpoint message in a frame; its text arrives through Runtime.bindingCalled. */
  private async logAt(cdp: CdpConnection, frame: CallFrame | undefined, template: string): Promise<void> {
    if (!frame) return;
    await cdp
      .send('Debugger.evaluateOnCallFrame', {
        callFrameId: frame.callFrameId,
        expression: logExpression(template, this.marker),
        silent: true,
      })
      .catch(() => {});
  }

  /** Shared path of continue / next / stepIn / stepOut. */
  private async resumeWith(threadId: number, command: PendingCommand, method: StepMethod | 'Debugger.resume'): Promise<void> {
    this.requirePaused(threadId);
    // Breakpoints of modules loaded while stopped (an eval's require) go in before the program runs on.
    if (this.mapping.size > 0) await Promise.all(this.mapping);
    const pause = this.requirePaused(threadId);
    this.pending = command;
    this.smartStep = undefined;
    if (method !== 'Debugger.resume') this.lastStep = method;
    // Handles die now, not when Debugger.resumed arrives: no request may use them in between.
    this.clearPause();
    this.resuming ??= deferred();
    try {
      await pause.cdp.send(method, {});
    } catch (error) {
      this.settleResuming();
      throw error;
    }
  }

  private settleResuming(): void {
    this.resuming?.resolve();
    this.resuming = undefined;
  }

  private clearPause(): void {
    const pause = this.paused;
    this.paused = undefined;
    this.frames.clear();
    this.refs.clear();
    if (pause && !pause.cdp.closed) void pause.cdp.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => {});
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private requirePaused(threadId?: number): PauseState {
    if (threadId !== undefined) checkThread(threadId);
    if (this.terminating) throw new RunnerError('INVALID_STATE', 'The runner was terminated');
    if (!this.paused) throw new RunnerError('INVALID_STATE', 'The program is not paused');
    return this.paused;
  }

  private frameHandle(frameId: number): FrameHandle {
    const handle = this.frames.get(frameId);
    if (!handle) throw new RunnerError('BAD_USER_INPUT', `Unknown or expired frame id ${frameId}`);
    return handle;
  }

  private liveFrame(frameId: number): CallFrame {
    const handle = this.frameHandle(frameId);
    if (handle.kind !== 'live') throw new RunnerError('BAD_USER_INPUT', `Frame ${frameId} is before an async boundary: it cannot evaluate`);
    return handle.frame;
  }

  private liveConnection(): CdpConnection | undefined {
    const run = this.run;
    if (!run || run.ended || !run.cdp || run.cdp.closed) return undefined;
    return run.cdp;
  }

  private emit<K extends RunnerEventName>(event: K, payload: RunnerEventMap[K]): void {
    this.emitter.emit(event, payload);
  }
}

/** Creates a fresh Node.js runner. */
/**
 * Longest string an evaluation brings over the inspector connection. CDP sends a string result
 * whole (a 200 MB one took the server from 146 to 764 MiB); the value shown is cut much shorter
 * anyway (remote-object.ts), so the debuggee cuts it first.
 */
const MAX_RESULT_CHARS = 64 * 1024;

/**
 * `expression`, with a string result cut in the debuggee to {@link MAX_RESULT_CHARS}. The
 * expression runs in an arrow function in the same frame (same scope, `this` and `arguments`);
 * what does not compile that way (statements: `let x = 1; x`) runs as it is.
 */
export function boundedExpression(expression: string): string {
  const wrapped = `(function (value) { return typeof value === 'string' && value.length > ${MAX_RESULT_CHARS} ? value.slice(0, ${MAX_RESULT_CHARS}) : value; })((() => (\n${expression}\n))())`;
  try {
    // Syntax only: compiled here, never run.
    new Script(wrapped);
    return wrapped;
  } catch {
    return expression;
  }
}

export function createNodeRunner(options: NodeRunnerOptions = {}): RunnerAdapter {
  return new NodeRunner(options);
}

/**
 * Waits for the program to reach its first statement. Should the entry machinery miss it, the
 * program is running all the same: launch then resolves after `timeoutMs` rather than never.
 */
async function startedOrRunning(started: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([started, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The scripts of a pause's frames, live and async. */
function* scriptIdsOf(params: CdpEvents['Debugger.paused']): Iterable<string> {
  for (const frame of params.callFrames) yield frame.location.scriptId;
  for (let segment = params.asyncStackTrace; segment; segment = segment.parent) {
    for (const frame of segment.callFrames) yield frame.scriptId;
  }
}

/** Runs `fn` as a promise: a synchronous throw becomes a rejection, as callers of async APIs expect. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

function checkThread(threadId: number): void {
  if (threadId !== THREAD_ID)
    throw new RunnerError('BAD_USER_INPUT', `Unknown thread ${threadId} (Node programs have one thread, id ${THREAD_ID})`);
}

function validateFilters(filters: ExceptionFilter[]): ExceptionFilter[] {
  for (const filter of filters) {
    if (filter !== 'uncaught' && filter !== 'all') throw new RunnerError('BAD_USER_INPUT', `Unknown exception filter: ${String(filter)}`);
  }
  return [...filters];
}

function pauseOnExceptionsState(filters: ExceptionFilter[]): 'none' | 'uncaught' | 'all' {
  if (filters.includes('all')) return 'all';
  if (filters.includes('uncaught')) return 'uncaught';
  return 'none';
}

/** One-line text of a thrown value: an error's message line, or the value itself. */
function describeThrown(thrown: RemoteObject | undefined, fallback: string): string {
  if (!thrown) return fallback;
  if (thrown.type === 'object' && thrown.subtype === 'error' && thrown.description) {
    const nl = thrown.description.indexOf('\n');
    return nl === -1 ? thrown.description : thrown.description.slice(0, nl);
  }
  return formatValue(thrown);
}

function fullDescription(thrown: RemoteObject | undefined): string | undefined {
  return thrown?.type === 'object' ? thrown.description : undefined;
}

function describeEarlyExit(exit: DebuggeeExit, stderrTail: string): string {
  if (exit.error) return `Cannot start node: ${exit.error.message}`;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  const detail = stderrTail.trim();
  return `The program ${how} before it started running under the debugger${detail ? `:\n${truncate(detail, 2000)}` : ''}`;
}
