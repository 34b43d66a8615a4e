/**
 * The stops of a DAP runner: what a `stopped` event becomes (our breakpoint ids, exception text,
 * the adapter's quirks), the current stop and the handles it gave out, and the way out of it
 * (`continued`, resume and step).
 */
import { RunnerError, type ContinuedEvent, type StackFrame, type StoppedEvent } from '../adapter.js';
import type { BreakpointBook } from './breakpoints.js';
import type { ResumeCommand, StopFilter } from './dap-launcher.js';
import type { Run } from './dap-run.js';
import type { DapEvents, DapStackFrame } from './protocol.js';

/** The current stop, valid until the program resumes. */
export interface PauseState {
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

/** What {@link DapStops} needs of its runner. */
export interface DapStopsContext {
  readonly book: BreakpointBook;
  /** The adapter's quirks about stops, if any (see DapLauncher.createStopFilter). */
  readonly stopFilter: StopFilter | undefined;
  /** The runner's current run: events of any other are ignored. */
  currentRun(): Run | undefined;
  /** Whether the adapter answers `exceptionInfo`. */
  supportsExceptionInfo(): boolean;
  stopped(event: StoppedEvent): void;
  continued(event: ContinuedEvent): void;
}

/** Turns DAP stops into the runner's and owns the current one; see the module comment. */
export class DapStops {
  private paused: PauseState | undefined;
  /** The last stop was reported with `stopped`, so its end is reported with `continued`. */
  private pauseVisible = false;
  /** How the program was last resumed (see StopContext). */
  private lastResume: ResumeCommand | undefined;
  /** Counts stops, so late answers can tell whether a new stop happened meanwhile. */
  private stopEpoch = 0;

  constructor(private readonly context: DapStopsContext) {}

  /** The current stop, if the program is stopped. */
  get current(): PauseState | undefined {
    return this.paused;
  }

  /** Changes with every stop reported. */
  get epoch(): number {
    return this.stopEpoch;
  }

  /** A new run starts: nothing of the last one's stops is left. */
  reset(): void {
    this.clearPause();
    this.pauseVisible = false;
  }

  /** The program is no longer stopped (or no longer there): its handles are void. */
  clearPause(): void {
    this.paused = undefined;
  }

  /** Handles a `stopped` event (in the run's event chain). */
  async onStopped(run: Run, body: DapEvents['stopped']): Promise<void> {
    if (run.quiet || run.ended || this.context.currentRun() !== run) return;
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
    const { book, stopFilter } = this.context;
    const stop: StoppedEvent = { reason: body.reason, threadId };
    if (body.description) stop.description = body.description;
    if (body.text) stop.text = body.text;
    if (body.hitBreakpointIds?.length) stop.hitBreakpointIds = book.idsForDapIds(body.hitBreakpointIds);
    if (pause.allThreads) stop.allThreadsStopped = true;
    try {
      if (body.reason === 'breakpoint' && !stop.hitBreakpointIds?.length) {
        // Many adapters (debugpy) leave hitBreakpointIds out: find ours at the top frame.
        const [top] = await fetchFrames(pause, threadId, 0, 1);
        const path = top?.source?.path;
        const ids = top && path ? book.idsAt(path, top.line) : [];
        if (ids.length > 0) stop.hitBreakpointIds = ids;
      }
      if (body.reason === 'exception' && this.context.supportsExceptionInfo()) {
        const info = await run.client.request('exceptionInfo', { threadId });
        const message = info.description ?? info.details?.message;
        stop.description = message ? `${info.exceptionId}: ${message}` : info.exceptionId;
        if (info.details?.stackTrace) stop.text = info.details.stackTrace;
      }
      // The adapter's own quirks may pass over a stop the API does not show.
      if (stopFilter && (await stopFilter(stop, { lastResume: this.lastResume, client: run.client }))) {
        await run.client.request('continue', { threadId });
        return;
      }
    } catch {
      /* the stop is reported with what is known */
    }
    if (run.ended || this.context.currentRun() !== run) return;
    // The top frame travels with the stop (the session shows its line at once).
    const [top] = await fetchFrames(pause, threadId, 0, 1).catch(() => []);
    if (run.ended || this.context.currentRun() !== run) return;
    if (top) stop.topFrame = stackFrameOf(top);
    this.paused = pause;
    this.pauseVisible = true;
    this.stopEpoch++;
    this.context.stopped(stop);
    run.started.resolve();
  }

  /** Handles a `continued` event (in the run's event chain). */
  onContinued(run: Run, body: DapEvents['continued']): void {
    if (run.quiet || this.context.currentRun() !== run) return;
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
      this.context.continued({
        threadId: body.threadId,
        ...(body.allThreadsContinued !== undefined ? { allThreadsContinued: body.allThreadsContinued } : {}),
      });
    }
  }

  /** Shared path of continue / next / stepIn / stepOut, from the stop `pause`. */
  async resume(pause: PauseState, command: ResumeCommand, threadId: number): Promise<void> {
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
      if (this.stopEpoch === epoch && !this.paused && this.context.currentRun() === pause.run && !pause.run.ended) this.paused = pause;
      throw error;
    }
    if (this.stopEpoch === epoch && this.pauseVisible) {
      this.pauseVisible = false;
      this.context.continued({ threadId: thread, allThreadsContinued: allThreadsContinued ?? pause.allThreads });
    }
  }
}

/** A stop's frames from the adapter; their ids become valid for the stop. */
export async function fetchFrames(pause: PauseState, threadId: number, startFrame: number, levels?: number): Promise<DapStackFrame[]> {
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

/** The id of the stopped thread's top frame (fetched if not known yet). */
export async function topFrameId(pause: PauseState): Promise<number> {
  const known = pause.topFrames.get(pause.threadId);
  if (known !== undefined) return known;
  const [top] = await fetchFrames(pause, pause.threadId, 0, 1);
  if (!top) throw new RunnerError('INVALID_STATE', 'The stopped thread has no frame to evaluate in');
  return top.id;
}

/** The API's view of a DAP stack frame. */
export function stackFrameOf(frame: DapStackFrame): StackFrame {
  const source = frame.source?.path || frame.source?.name;
  return {
    id: frame.id,
    name: frame.name,
    ...(source ? { source } : {}),
    line: frame.line,
    ...(frame.column ? { column: frame.column } : {}),
  };
}
