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
import { SessionError } from './errors.js';
import { LineSplitter } from '../logs/line-splitter.js';
import { LogBuffer } from '../logs/log-buffer.js';
import { NO_OBSERVER, type SessionObserver } from './observer.js';
import { LogBatch } from '../logs/log-batch.js';
import { runOf, type LineRun, type LogBlock } from '../logs/log-block.js';
import type { LogStream } from '../logs/log-line.js';
import { takeSnapshot } from './snapshot.js';
import type {
  FrameView,
  SessionEvent,
  SessionEventKind,
  SessionSpec,
  SessionState,
  StepKind,
  StopInfo,
  VariableSnapshot,
  VariableView,
} from './types.js';

/** Tunables of a session (see Config). */
export interface SessionLimits {
  logBufferLines: number;
  logBufferBytes: number;
  maxLineLength: number;
  stopWaitMs: number;
  evalTimeoutMs: number;
  snapshotMaxVariables: number;
  snapshotMaxValueLength: number;
}

/** Result of an `eval`. */
export interface EvalOutcome {
  value: string;
  type: string | undefined;
  error: string | undefined;
  reference: string | undefined;
}

export interface EvalRequest {
  expression: string;
  frameId?: string | undefined;
  timeoutMs?: number | undefined;
  sideEffectFree?: boolean | undefined;
}

const FINAL_STATES: ReadonlySet<SessionState> = new Set(['EXITED', 'TERMINATED', 'FAILED']);
const MAX_LOG_BATCH = 1000;

const STREAM_OF: Record<OutputEvent['category'], LogStream> = {
  stdout: 'STDOUT',
  stderr: 'STDERR',
  console: 'CONSOLE',
  system: 'SYSTEM',
};

/**
 * One debuggee under a debugger, owned by one subject.
 *
 * Owns the state machine, the log buffer and the fan-out channels; translates runner events into
 * session events. Knows nothing of GraphQL or HTTP.
 */
export class Session {
  readonly id = randomUUID();
  readonly createdAt = Date.now();
  readonly logs: LogBuffer;
  readonly events = new Channel<SessionEvent>(1000);
  readonly snapshots = new Channel<VariableSnapshot>(64);
  // Small on purpose: a reader that falls behind refills from the shared buffer (see LogTail).
  readonly #logBatches = new Channel<LogBatch>(16);

  #state: SessionState = 'STARTING';
  #generation = 0;
  #exitCode: number | undefined;
  #stoppedAt: StopInfo | undefined;
  /** Counts stops; frame ids and variable references carry it so stale ones are refused. */
  #stopId = 0;
  #snapshot: Promise<VariableSnapshot | undefined> | undefined;
  #previousValues = new Map<string, string>();
  #stopWaiters = new Set<() => void>();
  /** The stop a resume left, to go back to if the debugger refuses the resume. */
  #resumedFrom:
    { stopId: number; clearedTo: number; stoppedAt: StopInfo; snapshot: Promise<VariableSnapshot | undefined> | undefined } | undefined;
  #lastPublishedSnapshot: VariableSnapshot | undefined;
  #lastPublishedStopId = -1;
  #stopping: Promise<void> = Promise.resolve();
  #terminating = false;
  #endedAt: number | undefined;
  #terminated: Promise<void> | undefined;
  #restarting = false;

  readonly #splitters = new Map<LogStream, LineSplitter>();
  /** Lines waiting for the next batch, and how many. */
  #pendingBlocks: LogBlock[] = [];
  #pendingLines = 0;
  #flushScheduled = false;

  readonly #breakpoints = new Map<string, Breakpoint[]>();
  #exceptionFilters: ExceptionFilter[] = [];

  constructor(
    readonly owner: string,
    readonly spec: SessionSpec,
    private readonly runner: RunnerAdapter,
    private readonly limits: SessionLimits,
    private readonly observer: SessionObserver = NO_OBSERVER,
  ) {
    this.logs = new LogBuffer({ maxLines: limits.logBufferLines, maxBytes: limits.logBufferBytes });
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
    return this.#stoppedAt;
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
    return [...this.#breakpoints.values()].flat();
  }

  /** Live subscribers per stream (for metrics and leak checks). */
  get subscriberCounts(): { events: number; snapshots: number; logs: number } {
    return { events: this.events.size, snapshots: this.snapshots.size, logs: this.#logBatches.size };
  }

  /** Subscribes to batches of new log lines (see {@link LogTail} for the resumable view). */
  subscribeLogBatches(): AsyncQueue<LogBatch> {
    return this.#logBatches.subscribe();
  }

  /** Launches the debuggee. Never throws: a launch failure leaves the session FAILED, with the reason logged. */
  async start(breakpoints: Map<string, SourceBreakpoint[]>, exceptionFilters: ExceptionFilter[] = []): Promise<void> {
    this.#exceptionFilters = [...new Set(exceptionFilters)];
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
        exceptionFilters: this.#exceptionFilters,
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
    this.#flushPartialLines();
    this.#generation++;
    this.#state = 'STARTING';
    this.#exitCode = undefined;
    this.#clearStop();
    this.#previousValues.clear();
    this.#breakpoints.clear();
    this.#system(`restarting (generation ${this.#generation})`);
    // Announced before the new run can report anything, so subscribers see RESTARTED first.
    this.#emit('RESTARTED');
    // A step or pause waiting on the old run answers now (INVALID_STATE), not at the new run's stop.
    this.#releaseStopWaiters();
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
    const stopped = this.#nextStop();
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
    this.#requirePaused('eval');
    const frameId = request.frameId === undefined ? undefined : this.#decodeRef(request.frameId, 'frame');
    try {
      const result = await this.runner.evaluate(request.expression, {
        frameId,
        timeoutMs: request.timeoutMs ?? this.limits.evalTimeoutMs,
        sideEffectFree: request.sideEffectFree ?? false,
      });
      return {
        value: result.value,
        type: result.type,
        error: result.error,
        reference: this.#encodeRef(result.variablesReference),
      };
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  async threads(): Promise<Thread[]> {
    if (this.ended || this.#state === 'STARTING') return [];
    try {
      return await this.runner.threads();
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** Frames of a stopped thread (empty unless paused). Frame ids are opaque and valid until resume. */
  async stackTrace(threadId?: number): Promise<FrameView[]> {
    if (this.#state !== 'PAUSED') return [];
    const thread = threadId ?? this.#stoppedAt?.threadId;
    if (thread === undefined) return [];
    const stopId = this.#stopId;
    try {
      const frames = await this.runner.stackTrace(thread);
      return frames.map((f) => ({ ...f, ref: `${stopId}:${f.id}` }));
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** Scopes of a frame, each with a reference to expand. */
  async scopes(frameRef: string): Promise<Array<{ name: string; reference: string | undefined; expensive: boolean }>> {
    this.#requirePaused('scopes');
    const frameId = this.#decodeRef(frameRef, 'frame');
    try {
      const scopes = await this.runner.scopes(frameId);
      return scopes.map((s) => ({ name: s.name, reference: this.#encodeRef(s.variablesReference), expensive: s.expensive }));
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** Children of a reference, one page at a time. */
  async variables(reference: string, start: number, count: number): Promise<VariableView[]> {
    this.#requirePaused('variables');
    const ref = this.#decodeRef(reference, 'reference');
    try {
      const vars = await this.runner.variables(ref, { start, count });
      return vars.map((v) => ({
        name: v.name,
        value: v.value,
        type: v.type,
        reference: this.#encodeRef(v.variablesReference),
        indexedCount: v.indexedVariables,
      }));
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** The current stop's snapshot if it was already sent to `snapshots` subscribers. */
  get publishedSnapshotOfCurrentStop(): VariableSnapshot | undefined {
    return this.#state === 'PAUSED' && this.#lastPublishedStopId === this.#stopId ? this.#lastPublishedSnapshot : undefined;
  }

  /** The current stop's snapshot (undefined when not paused). */
  snapshot(): Promise<VariableSnapshot | undefined> {
    return this.#snapshot ?? Promise.resolve(undefined);
  }

  /** Replaces the breakpoints of one source file (DAP semantics); kept across restarts. */
  async setBreakpoints(source: string, specs: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (this.#state === 'TERMINATED') throw new SessionError('INVALID_STATE', 'session is terminated');
    this.#checkBreakpointCapabilities(specs);
    // Runners keep breakpoints while nothing runs and install them at the next (re)start.
    try {
      const bound = await this.runner.setBreakpoints(source, specs);
      if (bound.length === 0) this.#breakpoints.delete(source);
      else this.#breakpoints.set(source, bound);
      return bound;
    } catch (err) {
      throw this.#runnerError(err);
    }
  }

  /** Exception filters in force: `uncaught`, `all`, or none. */
  get exceptionFilters(): ExceptionFilter[] {
    return [...this.#exceptionFilters];
  }

  /** Chooses which exceptions stop the program; kept across restarts. */
  async setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void> {
    if (this.#state === 'TERMINATED') throw new SessionError('INVALID_STATE', 'session is terminated');
    const supported = this.runner.capabilities.exceptionFilters;
    const unsupported = filters.filter((f) => !supported.includes(f));
    if (unsupported.length > 0) {
      throw new SessionError('BAD_USER_INPUT', `this runtime does not support exception filter(s): ${unsupported.join(', ')}`);
    }
    const unique = [...new Set(filters)];
    try {
      await this.runner.setExceptionBreakpoints(unique);
    } catch (err) {
      throw this.#runnerError(err);
    }
    this.#exceptionFilters = unique;
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
      this.#flushPartialLines();
      this.#clearStop();
      this.#state = 'TERMINATED';
      this.#system('session terminated');
      this.#emit('TERMINATED');
      this.#flushBatch();
      this.#releaseStopWaiters();
      this.events.close();
      this.snapshots.close();
      this.#logBatches.close();
    }
  }

  // ---- runner events -------------------------------------------------------------------

  #onOutput(event: OutputEvent): void {
    const stream = STREAM_OF[event.category];
    let splitter = this.#splitters.get(stream);
    if (!splitter) {
      splitter = new LineSplitter(this.limits.maxLineLength);
      this.#splitters.set(stream, splitter);
    }
    const run = splitter.push(event.output);
    if (run) this.#appendRun(stream, run);
  }

  #onStopped(event: StoppedEvent): void {
    if (this.#terminating) return;
    const stopId = ++this.#stopId;
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
    this.#snapshot = top.then((frames) =>
      this.#stopId === stopId && frames[0] ? this.#buildSnapshot(event, frames[0], stopId) : undefined,
    );
    this.#stopping = top.then((frames) => {
      if (this.#stopId !== stopId || this.#terminating || this.ended) return;
      const frame = frames[0];
      if (frame) {
        stoppedAt.source = frame.source;
        stoppedAt.line = frame.line;
      }
      this.#stoppedAt = stoppedAt;
      this.#state = 'PAUSED';
      this.#emit('STOPPED');
      this.#releaseStopWaiters();
    });
    void this.#snapshot.then((snap) => {
      if (!snap || this.#stopId !== stopId) return;
      this.#lastPublishedSnapshot = snap;
      this.#lastPublishedStopId = stopId;
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
    this.#flushPartialLines();
    this.#exitCode = exitCode ?? undefined;
    if (this.#terminating) return;
    const crashedAtStart = this.#state === 'STARTING' && exitCode !== 0;
    this.#clearStop();
    if (limit) {
      this.#state = 'FAILED';
      this.#system(`process killed: ${limit}`);
      this.#emit('FAILED', `killed: ${limit}`);
    } else if (signal) {
      this.#state = 'FAILED';
      this.#system(`process killed by ${signal}`);
      this.#emit('FAILED', `killed by ${signal}`);
    } else if (crashedAtStart) {
      this.#state = 'FAILED';
      this.#system(`process exited with code ${exitCode} before the debugger took control`);
      this.#emit('FAILED', `exited with code ${exitCode} at start`);
    } else {
      this.#state = 'EXITED';
      this.#system(`process exited with code ${exitCode}`);
      this.#emit('EXITED');
    }
    this.#releaseStopWaiters();
  }

  #onTerminated(error: string | undefined): void {
    this.#flushPartialLines();
    if (this.#terminating || this.ended) return;
    // The debugger went away without the process exiting first.
    this.#clearStop();
    this.#state = 'FAILED';
    this.#system(`debugger ended unexpectedly${error ? `: ${error}` : ''}`);
    this.#emit('FAILED', error ?? 'debugger ended');
    this.#releaseStopWaiters();
  }

  #onBreakpoint(event: BreakpointEvent): void {
    const { breakpoint } = event;
    const list = (this.#breakpoints.get(breakpoint.source) ?? []).filter((b) => b.id !== breakpoint.id);
    if (event.reason !== 'removed') list.push(breakpoint);
    list.sort((a, b) => a.requestedLine - b.requestedLine || a.id - b.id);
    if (list.length > 0) this.#breakpoints.set(breakpoint.source, list);
    else this.#breakpoints.delete(breakpoint.source);
    // Breakpoints installed by a launch are announced as "new"; only later changes are news to clients.
    if (event.reason !== 'new') this.#emit('BREAKPOINT', undefined, breakpoint);
  }

  // ---- helpers -------------------------------------------------------------------------

  async #launch(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.#flushPartialLines();
      if (!this.ended) {
        this.#state = 'FAILED';
        const message = err instanceof Error ? err.message : String(err);
        this.#system(`launch failed: ${message}`);
        this.#emit('FAILED', message);
      }
      this.#flushBatch();
      return;
    }
    if (this.#state === 'STARTING') this.#state = 'RUNNING';
    // A stop on entry is announced asynchronously: answer once it is.
    await this.#stopping;
  }

  async #resumeAndWaitForStop(command: () => Promise<void>): Promise<void> {
    const generation = this.#generation;
    const stopped = this.#nextStop();
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

  /** Resolves at the next announced stop, when the session ends, or after `stopWaitMs`. */
  #nextStop(): { promise: Promise<void>; cancel: () => void } {
    let cancel = (): void => {};
    const promise = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#stopWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.limits.stopWaitMs);
      this.#stopWaiters.add(done);
      cancel = done;
    });
    return { promise, cancel };
  }

  #releaseStopWaiters(): void {
    for (const waiter of [...this.#stopWaiters]) waiter();
  }

  #requirePaused(what: string, threadId?: number): number {
    if (this.#state !== 'PAUSED') {
      throw new SessionError('INVALID_STATE', `cannot ${what}: session is ${this.#state}, not PAUSED`);
    }
    const thread = threadId ?? this.#stoppedAt?.threadId;
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
    const from = this.#stoppedAt ? { stopId: this.#stopId, stoppedAt: this.#stoppedAt, snapshot: this.#snapshot } : undefined;
    this.#state = 'RUNNING';
    this.#clearStop();
    this.#resumedFrom = from && { ...from, clearedTo: this.#stopId };
  }

  #restorePausedAfterFailedResume(): void {
    // The debugger refused to resume; if no event moved us on, we are still at the same stop.
    const from = this.#resumedFrom;
    // Only if nothing happened since the resume began (no stop reported meanwhile).
    if (this.#state !== 'RUNNING' || this.ended || !from || this.#stopId !== from.clearedTo) return;
    this.#stopId = from.stopId;
    this.#stoppedAt = from.stoppedAt;
    this.#snapshot = from.snapshot;
    this.#state = 'PAUSED';
  }

  /** Forgets the current stop; ids handed out for it (frames, references) expire with it. */
  #clearStop(): void {
    this.#stopId++;
    this.#stoppedAt = undefined;
    this.#snapshot = undefined;
  }

  async #buildSnapshot(event: StoppedEvent, frame: StackFrame, stopId: number): Promise<VariableSnapshot | undefined> {
    try {
      const snapshot = await takeSnapshot(this.runner, frame, {
        generation: this.#generation,
        reason: event.reason,
        threadId: event.threadId,
        maxVariables: this.limits.snapshotMaxVariables,
        maxValueLength: this.limits.snapshotMaxValueLength,
        previous: this.#previousValues,
        encodeRef: (ref) => (ref > 0 ? `${stopId}:${ref}` : undefined),
        frameRef: `${stopId}:${frame.id}`,
      });
      this.#previousValues = new Map(snapshot.variables.map((v) => [v.name, v.value]));
      return snapshot;
    } catch {
      // The program moved on (or the debugger failed) while we read: no snapshot for this stop.
      return undefined;
    }
  }

  #encodeRef(ref: number): string | undefined {
    return ref > 0 ? `${this.#stopId}:${ref}` : undefined;
  }

  #decodeRef(value: string, what: string): number {
    const match = /^(\d+):(\d+)$/.exec(value);
    if (!match) throw new SessionError('BAD_USER_INPUT', `malformed ${what} id "${value}"`);
    if (Number(match[1]) !== this.#stopId) {
      throw new SessionError('INVALID_STATE', `${what} id "${value}" has expired: the program resumed since`);
    }
    return Number(match[2]);
  }

  #checkBreakpointCapabilities(specs: SourceBreakpoint[]): void {
    const caps = this.runner.capabilities;
    for (const s of specs) {
      if (!Number.isInteger(s.line) || s.line < 1) {
        throw new SessionError('BAD_USER_INPUT', `breakpoint line must be a positive integer, got ${s.line}`);
      }
      if (s.condition && !caps.conditionalBreakpoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support conditional breakpoints');
      }
      if (s.hitCondition && !caps.hitConditionalBreakpoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support hit-count breakpoints');
      }
      if (s.logMessage && !caps.logPoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support logpoints');
      }
    }
  }

  /** Maps a runner failure for the API, counting it. */
  #runnerError(err: unknown): SessionError {
    const mapped = mapRunnerError(err);
    this.observer.runnerError(this.spec.runtime, err instanceof RunnerError ? err.code : mapped.code);
    return mapped;
  }

  #appendRun(stream: LogStream, run: LineRun): void {
    let block = this.logs.appendRun(stream, run, this.#generation);
    if (block) this.observer.linesRead(this.spec.runtime, block.count);
    while (block) {
      // A batch holds at most MAX_LOG_BATCH lines: a bigger block is split between batches.
      const room = MAX_LOG_BATCH - this.#pendingLines;
      const part = block.slice(0, room);
      this.#pendingBlocks.push(part);
      this.#pendingLines += part.count;
      block = part === block ? undefined : block.slice(room);
      if (this.#pendingLines >= MAX_LOG_BATCH) this.#flushBatch();
    }
    if (this.#pendingLines > 0 && !this.#flushScheduled) {
      // One batch per turn of the event loop: everything that arrived together travels together.
      this.#flushScheduled = true;
      setImmediate(() => this.#flushBatch());
    }
  }

  #flushBatch(): void {
    this.#flushScheduled = false;
    if (this.#pendingLines === 0) return;
    const batch = new LogBatch(this.#pendingBlocks);
    this.#pendingBlocks = [];
    this.#pendingLines = 0;
    this.#logBatches.publish(batch);
  }

  #flushPartialLines(): void {
    for (const [stream, splitter] of this.#splitters) {
      const run = splitter.flush();
      if (run) this.#appendRun(stream, run);
    }
  }

  #system(text: string): void {
    this.#appendRun('SYSTEM', runOf([text]));
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
      stoppedAt: this.#stoppedAt ? { ...this.#stoppedAt } : undefined,
      exitCode: this.#exitCode,
      breakpoint,
      message,
      time: Date.now(),
    });
  }
}

/** Maps a runner failure to a session error with a code the API understands. */
export function mapRunnerError(err: unknown): SessionError {
  if (err instanceof SessionError) return err;
  if (err instanceof RunnerError) {
    const code = err.code === 'LAUNCH_FAILED' ? 'RUNNER_ERROR' : err.code;
    return new SessionError(code, err.message, { cause: err });
  }
  return new SessionError('RUNNER_ERROR', err instanceof Error ? err.message : String(err), { cause: err });
}
