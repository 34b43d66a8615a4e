/**
 * The Node.js runner: drives one `node` debuggee through the V8 Inspector protocol (over the
 * channel of inspector-channel.ts) and exposes it as a DAP-shaped {@link RunnerAdapter}. Starting
 * and ending one run is node-run.ts's; what a pause means is pause-handler.ts's.
 */
import { randomUUID } from 'node:crypto';
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
import { BreakpointManager } from './breakpoints.js';
import type { CdpConnection } from './cdp-connection.js';
import type { CallFrame } from './cdp-types.js';
import type { DebuggeeExit } from './debuggee-process.js';
import { evaluateOnFrame } from './evaluation.js';
import type { InspectorChannel, InspectorChannelName } from './inspector-channel.js';
import { childrenOf, scopesOf } from './inspection.js';
import {
  connectRun,
  describeEarlyExit,
  killRun,
  MODULE_HOOK_BINDING,
  OWN_SCRIPTS,
  spawnRun,
  wireRun,
  type Run,
  type RunHandlers,
} from './node-run.js';
import { PauseHandler, THREAD_ID, type PauseState, type PendingCommand, type StepMethod } from './pause-handler.js';
import { pipeChannel } from './pipe-channel.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { ScriptMapper } from './script-mapper.js';
import { ASYNC_STACK_DEPTH, type FrameHandle } from './stack-trace.js';
import { RunLifecycle, validateFilters } from '../run-lifecycle.js';

export { boundedExpression } from './evaluation.js';

/** Options of {@link NodeRunner}. */
export interface NodeRunnerOptions {
  /** How to reach the inspector: `pipe` (the default and only one: no TCP port, fast). */
  channel?: InspectorChannelName | InspectorChannel;
  /** Runs every debuggee in a session box (see src/sandbox); none: plain child processes. */
  sandbox?: Sandbox;
}

const CHANNELS: Record<InspectorChannelName, InspectorChannel> = { pipe: pipeChannel };

/**
 * A {@link RunnerAdapter} for Node.js programs.
 *
 * Lifecycle: `launch` once; `restart` any number of times; `terminate` at the end (idempotent).
 * All events go to listeners registered with `on`, across restarts.
 */
export class NodeRunner extends RunLifecycle<Run> implements RunnerAdapter {
  readonly capabilities: RunnerCapabilities = {
    conditionalBreakpoints: true,
    hitConditionalBreakpoints: true,
    logPoints: true,
    exceptionFilters: ['uncaught', 'all'],
    restart: true,
    evaluateTimeout: true,
  };

  /** Tags logpoint messages so they can be told from the program's own console calls. */
  private readonly marker = `__debug_server_logpoint_${randomUUID()}__`;
  private readonly breakpoints = new BreakpointManager(this.marker, (breakpoint, reason) =>
    this.emit('breakpoint', { reason, breakpoint }),
  );
  private readonly mapper: ScriptMapper = new ScriptMapper(
    this.breakpoints,
    () => this.run,
    () => this.pauses.current !== undefined,
  );
  private readonly pauses: PauseHandler = new PauseHandler({
    breakpoints: this.breakpoints,
    mapper: this.mapper,
    marker: this.marker,
    currentRun: () => this.run,
    stopOnEntry: () => Boolean(this.options?.stopOnEntry),
    stopped: (event) => this.emit('stopped', event),
    continued: (event) => this.emit('continued', event),
  });
  private readonly channel: InspectorChannel;

  constructor(options: NodeRunnerOptions = {}) {
    super(options.sandbox);
    const channel = options.channel ?? 'pipe';
    this.channel = typeof channel === 'string' ? CHANNELS[channel] : channel;
  }

  /** OS process id of the current debuggee (undefined before launch or if the spawn failed). */
  get pid(): number | undefined {
    return this.run?.process.pid;
  }

  protected async adoptBreakpoints(breakpoints: Map<string, SourceBreakpoint[]>): Promise<void> {
    for (const [source, list] of breakpoints) await this.breakpoints.set(source, list);
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
      return handle.kind === 'live' ? scopesOf(handle.frame, this.pauses.refs) : [];
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
    const handle = this.pauses.refs.get(variablesReference);
    if (!handle) throw new RunnerError('BAD_USER_INPUT', `Unknown or expired variablesReference ${variablesReference}`);
    return childrenOf(pause.cdp, handle, page, this.pauses.refs);
  }

  async evaluate(expression: string, options: EvaluateOptions = {}): Promise<EvaluateResult> {
    const pause = this.requirePaused();
    const frame = options.frameId !== undefined ? this.liveFrame(options.frameId) : pause.callFrames[0];
    if (!frame) throw new RunnerError('INVALID_STATE', 'No call frame to evaluate in');
    return evaluateOnFrame(
      pause.cdp,
      frame.callFrameId,
      expression,
      options,
      this.pauses.refs,
      () => this.run !== pause.run || pause.run.ended || pause.cdp.closed,
    );
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
    await this.pauses.pause(() => this.liveConnection());
  }

  async setBreakpoints(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]> {
    this.assertNotTerminated();
    return this.breakpoints.set(source, breakpoints);
  }

  async setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void> {
    this.assertNotTerminated();
    this.exceptionFilters = validateFilters(filters);
    const cdp = this.liveConnection();
    if (cdp) await cdp.send('Debugger.setPauseOnExceptions', { state: pauseOnExceptionsState(this.exceptionFilters) });
  }

  // ---- runs -------------------------------------------------------------------------------------

  protected async startRun(options: LaunchOptions): Promise<void> {
    this.pauses.reset();
    const run = spawnRun(
      options,
      this.channel,
      (files, spawn) => this.spawnBoxed(options, files, spawn),
      (event) => this.emit('output', event),
    );
    this.run = run;
    void run.process.exit.then((exit) => this.onRunExit(run, exit));
    await connectRun(run, this.channel, options.program, async (cdp) => {
      wireRun(run, cdp, this.handlersOf(run, cdp));
      // No Runtime.enable: with it V8 reports every console call of the program to us (a CDP
      // message with object previews per call), which made a program that logs a lot run ~15×
      // slower. Logpoints report through a binding instead (see logpoint.ts).
      await cdp.send('Runtime.addBinding', { name: this.marker });
      await cdp.send('Runtime.addBinding', { name: MODULE_HOOK_BINDING });
      await cdp.send('Debugger.enable', {});
      await cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: ASYNC_STACK_DEPTH });
      await cdp.send('Debugger.setBlackboxPatterns', { patterns: [OWN_SCRIPTS.source] });
      // ES modules with a source map: a pause before each runs, to put breakpoints in (see PauseHandler.onPaused).
      await cdp.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptWithSourceMapExecution' });
      await this.breakpoints.attach(cdp, run.sourceMaps);
      await cdp.send('Debugger.setPauseOnExceptions', { state: pauseOnExceptionsState(this.exceptionFilters) });
    });
  }

  /** Kills a run's process; resolves once it is gone and its events (if any) were emitted. */
  protected stopRun(run: Run): Promise<void> {
    return killRun(run);
  }

  private onRunExit(run: Run, exit: DebuggeeExit): void {
    run.ended = true;
    if (run.cdp) {
      this.breakpoints.detach(run.cdp);
      void run.cdp.close();
    }
    if (this.run === run) this.pauses.inspectorGone();
    if (!run.quiet) {
      const limit = exit.limit ?? run.limit;
      this.emit('exited', { exitCode: exit.exitCode, signal: exit.signal, ...(limit ? { limit } : {}) });
      this.emit('terminated', exit.error ? { error: `Cannot start node: ${exit.error.message}` } : {});
    }
    run.started.reject(new RunnerError('LAUNCH_FAILED', describeEarlyExit(exit, run.process.stderrTail)));
    run.finished.resolve();
  }

  /** What the runner does with the inspector events of `run`. */
  private handlersOf(run: Run, cdp: CdpConnection): RunHandlers {
    const current = (): boolean => this.run === run && !run.quiet && !run.ended;
    return {
      scriptParsed: (event) => this.mapper.scriptParsed(run, event),
      breakpointResolved: ({ breakpointId, location }) => {
        if (current()) this.breakpoints.resolved(breakpointId, location);
      },
      bindingCalled: ({ name, payload }) => {
        if (name === MODULE_HOOK_BINDING) {
          void this.mapper.onSourceMappedModule(run, cdp, payload);
          return;
        }
        // Logpoint messages (the program's own console output comes through stdout).
        if (!current() || name !== this.marker) return;
        this.emit('output', { category: 'console', output: `${payload}\n` });
      },
      paused: (params) => this.pauses.onPaused(run, cdp, params),
      resumed: () => this.pauses.onResumed(run),
      closed: () => {
        this.breakpoints.detach(cdp);
        // Without the inspector the program can no longer be inspected, only waited for.
        if (this.run === run) this.pauses.inspectorGone();
      },
    };
  }

  /** Shared path of continue / next / stepIn / stepOut. */
  private async resumeWith(threadId: number, command: PendingCommand, method: StepMethod | 'Debugger.resume'): Promise<void> {
    this.requirePaused(threadId);
    // Breakpoints of modules loaded while stopped (an eval's require) go in before the program runs on.
    const mapping = this.mapper.inFlight();
    if (mapping) await mapping;
    const pause = this.requirePaused(threadId);
    await this.pauses.resume(pause, command, method);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private requirePaused(threadId?: number): PauseState {
    if (threadId !== undefined) checkThread(threadId);
    this.assertNotTerminated();
    const pause = this.pauses.current;
    if (!pause) throw new RunnerError('INVALID_STATE', 'The program is not paused');
    return pause;
  }

  private frameHandle(frameId: number): FrameHandle {
    const handle = this.pauses.frames.get(frameId);
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
}

/** Creates a fresh Node.js runner. */
export function createNodeRunner(options: NodeRunnerOptions = {}): RunnerAdapter {
  return new NodeRunner(options);
}

/** Runs `fn` as a promise: a synchronous throw becomes a rejection, as callers of async APIs expect. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

function checkThread(threadId: number): void {
  if (threadId !== THREAD_ID)
    throw new RunnerError('BAD_USER_INPUT', `Unknown thread ${threadId} (Node programs have one thread, id ${THREAD_ID})`);
}

function pauseOnExceptionsState(filters: ExceptionFilter[]): 'none' | 'uncaught' | 'all' {
  if (filters.includes('all')) return 'all';
  if (filters.includes('uncaught')) return 'uncaught';
  return 'none';
}
