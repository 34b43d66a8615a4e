import { randomUUID } from 'node:crypto';
import {
  RunnerError,
  type Breakpoint,
  type BreakpointEvent,
  type ExceptionFilter,
  type OutputEvent,
  type RunnerAdapter,
  type SourceBreakpoint,
  type StackFrame,
  type StoppedEvent,
  type Thread,
} from '../runners/adapter.js';
import type { AsyncQueue } from './async-queue.js';
import { Channel } from './channel.js';
import { mapRunnerError, SessionError } from './errors.js';
import type { LogBatch } from '../logs/log-batch.js';
import type { LogBuffer } from '../logs/log-buffer.js';
import type { LogStream } from '../logs/log-line.js';
import { SessionLog } from '../logs/session-log.js';
import { NO_OBSERVER, type SessionObserver } from './observer.js';
import { SessionBreakpoints } from './session-breakpoints.js';
import { checkEvalRequest } from './session-input.js';
import { SnapshotTaker } from './snapshot.js';
import { CurrentStop } from './current-stop.js';
import { StopWaiters } from './stop-waiters.js';
import type {
  EvalOutcome,
  EvalRequest,
  FrameView,
  SessionEvent,
  SessionEventKind,
  SessionLimits,
  SessionSpec,
  SessionState,
  StepKind,
  StopInfo,
  VariableSnapshot,
  VariableView,
} from './types.js';

const FINAL_STATES: ReadonlySet<SessionState> = new Set(['EXITED', 'TERMINATED', 'FAILED']);

const STREAM_OF: Record<OutputEvent['category'], LogStream> = {
  stdout: 'STDOUT',
  stderr: 'STDERR',
  console: 'CONSOLE',
  system: 'SYSTEM',
};

/**
 * One debuggee under a debugger, owned by one subject.
 *
 * Owns the state machine and the fan-out channels; translates runner events into session events.
 * Knows nothing of GraphQL or HTTP. What each state holds has its own module: the output
 * (`SessionLog`), the stop and its opaque ids (`CurrentStop`), snapshots (`SnapshotTaker`),
 * breakpoints (`SessionBreakpoints`) and waiting commands (`StopWaiters`).
 *
 * This file is longer than our ~450-line norm on purpose: every transition and its ordering rule
 * (PAUSED only with its line, RESTARTED before the new run's events, waiting commands answered
 * at every end) sits in one place, to be read together.
 */
export class Session {
  readonly id = randomUUID();
  readonly createdAt = Date.now();
  readonly events = new Channel<SessionEvent>(1000);
  readonly snapshots = new Channel<VariableSnapshot>(64);
  readonly #log: SessionLog;
  readonly #breakpoints: SessionBreakpoints;
  readonly #snapshots: SnapshotTaker;
  readonly #stopWaiters = new StopWaiters();

  #state: SessionState = 'STARTING';
  #generation = 0;
  #exitCode: number | undefined;
  readonly #stop = new CurrentStop();
  #stopping: Promise<void> = Promise.resolve();
  #terminating = false;
  #endedAt: number | undefined;
  #terminated: Promise<void> | undefined;
  #restarting = false;

  constructor(
    readonly owner: string,
    readonly spec: SessionSpec,
    private readonly runner: RunnerAdapter,
    private readonly limits: SessionLimits,
    private readonly observer: SessionObserver = NO_OBSERVER,
  ) {
    this.#log = new SessionLog(
      limits,
      () => this.#generation,
      (lines) => observer.linesRead(spec.runtime, lines),
    );
    this.#breakpoints = new SessionBreakpoints(() => runner.capabilities);
    this.#snapshots = new SnapshotTaker(runner, limits);
    runner.on('output', (e) => this.#onOutput(e));
    runner.on('stopped', (e) => this.#onStopped(e));
    runner.on('continued', () => this.#onContinued());
    runner.on('exited', (e) => this.#onExited(e.exitCode, e.signal ?? null, e.limit));
    runner.on('terminated', (e) => this.#onTerminated(e.error));
    runner.on('breakpoint', (e) => this.#onBreakpoint(e));
  }

  get state(): SessionState {
    return this.#state;
  }
  get generation(): number {
    return this.#generation;
  }
  get exitCode(): number | undefined {
    return this.#exitCode;
  }
  get stoppedAt(): StopInfo | undefined {
    return this.#stop.info;
  }
  get capabilities(): RunnerAdapter['capabilities'] {
    return this.runner.capabilities;
  }
  /** When the session reached its end state (ms since the epoch); undefined while live. */
  get endedAt(): number | undefined {
    return this.#endedAt;
  }
  /** True once the session reached a state no command but restart leaves. */
  get ended(): boolean {
    return FINAL_STATES.has(this.#state);
  }

  /** Every breakpoint, as the debugger bound it. */
  get breakpoints(): Breakpoint[] {
    return this.#breakpoints.all;
  }

  /** Exception filters in force: `uncaught`, `all`, or none. */
  get exceptionFilters(): ExceptionFilter[] {
    return this.#breakpoints.exceptionFilters;
  }

  /** Every buffered output line, for cursors and replays. */
  get logs(): LogBuffer {
    return this.#log.buffer;
  }

  /** Live subscribers per stream (for metrics and leak checks). */
  get subscriberCounts(): { events: number; snapshots: number; logs: number } {
    return { events: this.events.size, snapshots: this.snapshots.size, logs: this.#log.subscribers };
  }

  /** Subscribes to batches of new log lines (see {@link LogTail} for the resumable view). */
  subscribeLogBatches(): AsyncQueue<LogBatch> {
    return this.#log.subscribe();
  }

  /** Launches the debuggee. Never throws: a launch failure leaves the session FAILED, with the reason logged. */
  async start(breakpoints: Map<string, SourceBreakpoint[]>, exceptionFilters: ExceptionFilter[] = []): Promise<void> {
    this.#breakpoints.setExceptionFilters(exceptionFilters);
    this.#emit('STARTED');
    await this.#launch(() =>
      this.runner.launch({
        program: this.spec.program,
        args: this.spec.args,
        cwd: this.spec.cwd,
        env: this.spec.env,
        stopOnEntry: this.spec.stopOnEntry,
        network: this.spec.network,
        breakpoints,
        exceptionFilters: this.#breakpoints.exceptionFilters,
      }),
    );
  }

  /** Ends the current run and starts the program again; logs and sequence numbers go on. */
  async restart(): Promise<void> {
    if (this.#state === 'TERMINATED' || this.#terminating) throw new SessionError('INVALID_STATE', 'session is terminated');
    if (this.#restarting) throw new SessionError('INVALID_STATE', 'a restart is already under way');
    this.#restarting = true;
    try {
      await this.#restart();
    } finally {
      this.#restarting = false;
    }
  }

  async #restart(): Promise<void> {
    this.#log.endPartialLines();
    this.#generation++;
    this.#state = 'STARTING';
    this.#exitCode = undefined;
    this.#stop.clear();
    this.#snapshots.reset();
    this.#breakpoints.clearBindings();
    this.#log.system(`restarting (generation ${this.#generation})`);
    // Announced before the new run can report anything, so subscribers see RESTARTED first.
    this.#emit('RESTARTED');
    // A step or pause waiting on the old run answers now (INVALID_STATE), not at the new run's stop.
    this.#stopWaiters.releaseAll();
    await this.#launch(() => this.runner.restart());
  }

  /** Steps; resolves at the next stop, at the program's end, or after `stopWaitMs` (still running). */
  async step(kind: StepKind, threadId?: number): Promise<void> {
    const thread = this.#requirePaused('step', threadId);
    await this.#resumeAndWaitForStop(() => {
      if (kind === 'INTO') return this.runner.stepIn(thread);
      if (kind === 'OUT') return this.runner.stepOut(thread);
      return this.runner.next(thread);
    });
  }

  /** Resumes; resolves once the debugger accepted it (the program is running). */
  async continue(threadId?: number): Promise<void> {
    const thread = this.#requirePaused('continue', threadId);
    this.#setRunning();
    try {
      await this.runner.continue(thread);
    } catch (err) {
      this.#restorePausedAfterFailedResume();
      throw this.#runnerError(err);
    }
  }

  /** Pauses; resolves at the stop, or after `stopWaitMs` if the program does not stop. */
  async pause(threadId?: number): Promise<void> {
    if (this.#state === 'PAUSED') return;
    if (this.#state !== 'RUNNING') {
      throw new SessionError('INVALID_STATE', `cannot pause: session is ${this.#state}`);
    }
    const generation = this.#generation;
    const stopped = this.#stopWaiters.next(this.limits.stopWaitMs);
    try {
      await this.runner.pause(threadId ?? (await this.#anyThread()));
    } catch (err) {
      stopped.cancel();
      throw this.#runnerError(err);
    }
    await stopped.promise;
    this.#requireSameRun(generation);
  }

  /** Evaluates an expression in a frame of the stopped program. */
  async evaluate(request: EvalRequest): Promise<EvalOutcome> {
    checkEvalRequest(request);
    this.#requirePaused('eval');
    const frameId = request.frameId === undefined ? undefined : this.#stop.decodeRef(request.frameId, 'frame');
    const result = await this.#call(() =>
      this.runner.evaluate(request.expression, {
        frameId,
        timeoutMs: request.timeoutMs ?? this.limits.evalTimeoutMs,
        sideEffectFree: request.sideEffectFree ?? false,
      }),
    );
    return { value: result.value, type: result.type, error: result.error, reference: this.#stop.encodeRef(result.variablesReference) };
  }

  async threads(): Promise<Thread[]> {
    if (this.ended || this.#state === 'STARTING') return [];
    return this.#call(() => this.runner.threads());
  }

  /** Frames of a stopped thread (empty unless paused). Frame ids are opaque and valid until resume. */
  async stackTrace(threadId?: number): Promise<FrameView[]> {
    if (this.#state !== 'PAUSED') return [];
    const thread = threadId ?? this.#stop.info?.threadId;
    if (thread === undefined) return [];
    const stopId = this.#stop.id;
    const frames = await this.#call(() => this.runner.stackTrace(thread));
    return frames.map((f) => ({ ...f, ref: `${stopId}:${f.id}` }));
  }

  /** Scopes of a frame, each with a reference to expand. */
  async scopes(frameRef: string): Promise<Array<{ name: string; reference: string | undefined; expensive: boolean }>> {
    this.#requirePaused('scopes');
    const frameId = this.#stop.decodeRef(frameRef, 'frame');
    const scopes = await this.#call(() => this.runner.scopes(frameId));
    return scopes.map((s) => ({ name: s.name, reference: this.#stop.encodeRef(s.variablesReference), expensive: s.expensive }));
  }

  /** Children of a reference, one page at a time. */
  async variables(reference: string, start: number, count: number): Promise<VariableView[]> {
    this.#requirePaused('variables');
    const ref = this.#stop.decodeRef(reference, 'reference');
    const vars = await this.#call(() => this.runner.variables(ref, { start, count }));
    return vars.map((v) => ({
      name: v.name,
      value: v.value,
      type: v.type,
      reference: this.#stop.encodeRef(v.variablesReference),
      indexedCount: v.indexedVariables,
    }));
  }

  /** The current stop's snapshot if it was already sent to `snapshots` subscribers. */
  get publishedSnapshotOfCurrentStop(): VariableSnapshot | undefined {
    return this.#state === 'PAUSED' ? this.#stop.publishedSnapshot : undefined;
  }

  /** The current stop's snapshot (undefined when not paused). */
  snapshot(): Promise<VariableSnapshot | undefined> {
    return this.#stop.snapshot ?? Promise.resolve(undefined);
  }

  /** Replaces the breakpoints of one source file (DAP semantics); kept across restarts. */
  async setBreakpoints(source: string, specs: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (this.#state === 'TERMINATED') throw new SessionError('INVALID_STATE', 'session is terminated');
    this.#breakpoints.checkSpecs(specs);
    // Runners keep breakpoints while nothing runs and install them at the next (re)start.
    const bound = await this.#call(() => this.runner.setBreakpoints(source, specs));
    this.#breakpoints.replace(source, bound);
    return bound;
  }

  /** Chooses which exceptions stop the program; kept across restarts. */
  async setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void> {
    if (this.#state === 'TERMINATED') throw new SessionError('INVALID_STATE', 'session is terminated');
    const unique = this.#breakpoints.checkExceptionFilters(filters);
    await this.#call(() => this.runner.setExceptionBreakpoints(unique));
    this.#breakpoints.setExceptionFilters(unique);
  }

  /** Ends the debuggee and completes every subscription. Idempotent. */
  terminate(): Promise<void> {
    this.#terminated ??= this.#terminate();
    return this.#terminated;
  }

  async #terminate(): Promise<void> {
    this.#terminating = true;
    try {
      await this.runner.terminate();
    } catch {
      // The debugger failed to end cleanly; the runner has killed what it could. The session
      // ends all the same.
    } finally {
      this.#log.endPartialLines();
      this.#stop.clear();
      this.#state = 'TERMINATED';
      this.#log.system('session terminated');
      this.#emit('TERMINATED');
      this.#stopWaiters.releaseAll();
      this.events.close();
      this.snapshots.close();
      this.#log.close();
    }
  }

  // ---- runner events -------------------------------------------------------------------

  #onOutput(event: OutputEvent): void {
    this.#log.write(STREAM_OF[event.category], event.output);
  }

  #onStopped(event: StoppedEvent): void {
    if (this.#terminating) return;
    const stoppedAt: StopInfo = {
      reason: event.reason,
      threadId: event.threadId,
      source: undefined,
      line: undefined,
      description: event.description ?? event.text,
      hitBreakpointIds: event.hitBreakpointIds ?? [],
    };
    // The stop is announced (and the state becomes PAUSED) once its top frame is known, so
    // whoever sees PAUSED also sees the line. A resume or exit in between cancels it (stopId).
    const top = event.topFrame
      ? Promise.resolve([event.topFrame])
      : this.runner.stackTrace(event.threadId, 0, 1).then(
          (frames) => frames,
          () => [] as StackFrame[],
        );
    const { generation } = this;
    const stopId = this.#stop.begin((id) =>
      top.then((frames) =>
        this.#stop.id === id && frames[0]
          ? this.#snapshots.take(frames[0], { generation, reason: event.reason, threadId: event.threadId, stopId: id })
          : undefined,
      ),
    );
    this.#stopping = top.then((frames) => {
      if (this.#stop.id !== stopId || this.#terminating || this.ended) return;
      const frame = frames[0];
      if (frame) {
        stoppedAt.source = frame.source;
        stoppedAt.line = frame.line;
      }
      this.#stop.announce(stoppedAt);
      this.#state = 'PAUSED';
      this.#emit('STOPPED');
      this.#stopWaiters.releaseAll();
    });
    void this.#stop.snapshot?.then((snap) => {
      if (!snap || this.#stop.id !== stopId) return;
      this.#stop.published(stopId, snap);
      this.snapshots.publish(snap);
    });
  }

  #onContinued(): void {
    // Resumes during launch (past the inspector's start pause) are not the client's business.
    if (this.#terminating || this.ended || this.#state === 'STARTING') return;
    this.#setRunning();
    this.#emit('CONTINUED');
  }

  #onExited(exitCode: number | null, signal: string | null, limit: string | undefined): void {
    this.#log.endPartialLines();
    this.#exitCode = exitCode ?? undefined;
    if (this.#terminating) return;
    const crashedAtStart = this.#state === 'STARTING' && exitCode !== 0;
    this.#stop.clear();
    if (limit) this.#end('FAILED', `process killed: ${limit}`, `killed: ${limit}`);
    else if (signal) this.#end('FAILED', `process killed by ${signal}`, `killed by ${signal}`);
    else if (crashedAtStart) {
      this.#end('FAILED', `process exited with code ${exitCode} before the debugger took control`, `exited with code ${exitCode} at start`);
    } else this.#end('EXITED', `process exited with code ${exitCode}`);
  }

  #onTerminated(error: string | undefined): void {
    this.#log.endPartialLines();
    if (this.#terminating || this.ended) return;
    // The debugger went away without the process exiting first.
    this.#stop.clear();
    this.#end('FAILED', `debugger ended unexpectedly${error ? `: ${error}` : ''}`, error ?? 'debugger ended');
  }

  #onBreakpoint(event: BreakpointEvent): void {
    if (this.#breakpoints.apply(event)) this.#emit('BREAKPOINT', undefined, event.breakpoint);
  }

  // ---- helpers -------------------------------------------------------------------------

  async #launch(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.#log.endPartialLines();
      const message = err instanceof Error ? err.message : String(err);
      if (!this.ended) this.#end('FAILED', `launch failed: ${message}`, message);
      this.#log.flush();
      return;
    }
    if (this.#state === 'STARTING') this.#state = 'RUNNING';
    // A stop on entry is announced asynchronously: answer once it is.
    await this.#stopping;
  }

  async #resumeAndWaitForStop(command: () => Promise<void>): Promise<void> {
    const generation = this.#generation;
    const stopped = this.#stopWaiters.next(this.limits.stopWaitMs);
    this.#setRunning();
    try {
      await command();
    } catch (err) {
      stopped.cancel();
      this.#restorePausedAfterFailedResume();
      throw this.#runnerError(err);
    }
    await stopped.promise;
    this.#requireSameRun(generation);
  }

  /**
   * After waiting for a stop: when someone else ended the run meanwhile (restart, terminate), the
   * next run's stop, or none, is not the command's result. The program's own end is.
   */
  #requireSameRun(generation: number): void {
    if (this.#generation !== generation) throw new SessionError('INVALID_STATE', 'the run ended: the session was restarted');
    if (this.#terminating) throw new SessionError('INVALID_STATE', 'the run ended: the session was terminated');
  }

  #requirePaused(what: string, threadId?: number): number {
    if (this.#state !== 'PAUSED') {
      throw new SessionError('INVALID_STATE', `cannot ${what}: session is ${this.#state}, not PAUSED`);
    }
    const thread = threadId ?? this.#stop.info?.threadId;
    // PAUSED is only ever set with the stop that says which thread.
    if (thread === undefined) throw new SessionError('INVALID_STATE', `cannot ${what}: no stopped thread`);
    return thread;
  }

  /** A thread to pause when the caller named none: the debugger's first. */
  async #anyThread(): Promise<number> {
    const [first] = await this.runner.threads().catch(() => []);
    if (!first) throw new SessionError('INVALID_STATE', 'cannot pause: the program has no thread to pause');
    return first.id;
  }

  #setRunning(): void {
    this.#state = 'RUNNING';
    this.#stop.leave();
  }

  #restorePausedAfterFailedResume(): void {
    // The debugger refused to resume; if no event moved us on (no stop, no end), we are still at
    // the same stop.
    if (this.#state === 'RUNNING' && !this.ended && this.#stop.restore()) this.#state = 'PAUSED';
  }

  /** Maps a runner failure for the API, counting it. */
  #runnerError(err: unknown): SessionError {
    const mapped = mapRunnerError(err);
    this.observer.runnerError(this.spec.runtime, err instanceof RunnerError ? err.code : mapped.code);
    return mapped;
  }

  /** Runs a runner request, mapping its failure for the API. */
  async #call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** The run is over: `state`, a SYSTEM line saying why, the event, and every waiting command answers. */
  #end(state: 'EXITED' | 'FAILED', line: string, message?: string): void {
    this.#state = state;
    this.#log.system(line);
    this.#emit(state, message);
    this.#stopWaiters.releaseAll();
  }

  #emit(kind: SessionEventKind, message?: string, breakpoint?: Breakpoint): void {
    // Every state change is announced here: the one place that knows when the session ended.
    if (!FINAL_STATES.has(this.#state)) this.#endedAt = undefined;
    else if (this.#endedAt === undefined) {
      this.#endedAt = Date.now();
      this.observer.sessionEnded(this.spec.runtime, this.#state);
    }
    this.events.publish({
      kind,
      state: this.#state,
      generation: this.#generation,
      stoppedAt: this.#stop.info ? { ...this.#stop.info } : undefined,
      exitCode: this.#exitCode,
      breakpoint,
      message,
      time: Date.now(),
    });
  }
}
