/**
 * What a Node runner makes of V8's pauses: which are its own (entry machinery, instrumentation,
 * logpoints, hit counts not yet due) and pass silently, which are stops to report (breakpoint,
 * exception, step, pause, entry), and which steps go on through code a source map does not map.
 * Also owns the current pause and the way out of it (resume and step).
 */
import { RunnerError, type ContinuedEvent, type StackFrame, type StoppedEvent } from '../adapter.js';
import type { BreakpointManager, BreakpointRecord } from './breakpoints.js';
import type { CdpConnection } from './cdp-connection.js';
import type { CallFrame, CdpEvents } from './cdp-types.js';
import { HandleTable } from './handle-table.js';
import { OBJECT_GROUP, type VariableHandle } from './inspection.js';
import { logExpression } from './logpoint.js';
import { OWN_SCRIPTS, type Run } from './node-run.js';
import { describeThrown, fullDescription, truncate } from './remote-object.js';
import type { ScriptMapper } from './script-mapper.js';
import { buildStack, type FrameHandle, type ScriptLocator } from './stack-trace.js';
import { deferred, type Deferred } from '../run-lifecycle.js';

/** The only thread: Node runs user JavaScript on one thread (workers are separate targets). */
export const THREAD_ID = 1;
/**
 * How many steps a step may take through code a source map does not map (a compiler's helpers,
 * CommonJS glue) before it shows the JavaScript after all.
 */
const MAX_SMART_STEPS = 100;

/** The current pause, valid until the program resumes. */
export interface PauseState {
  readonly run: Run;
  readonly cdp: CdpConnection;
  /** V8's live frames the stack shows (the debugger's own are left out). */
  readonly callFrames: CallFrame[];
  /** Live frames, then async ones (their ids are registered in the runner's frame table). */
  readonly stack: StackFrame[];
}

/** What the program was last asked to do. */
export type PendingCommand = 'continue' | 'step' | 'pause';
/** Stops that may step on through code not worth showing (see stepThrough). */
const SHOWN_AFTER_STEPPING = ['step', 'entry'] as const;
/** The CDP methods of the runner's steps. */
export type StepMethod = 'Debugger.stepOver' | 'Debugger.stepInto' | 'Debugger.stepOut';

/** A step under way through code with no source mapping, on behalf of a stop not shown yet. */
interface SmartStep {
  /** What the stop will say when it is shown. */
  readonly reason: (typeof SHOWN_AFTER_STEPPING)[number];
  count: number;
}

/** What a {@link PauseHandler} needs of its runner. */
export interface PauseHandlerContext {
  readonly breakpoints: BreakpointManager;
  readonly mapper: ScriptMapper;
  /** Tags logpoint messages (see logpoint.ts). */
  readonly marker: string;
  /** The runner's current run: pauses of any other are ignored. */
  currentRun(): Run | undefined;
  /** Whether the caller asked to stop at the program's first statement. */
  stopOnEntry(): boolean;
  stopped(event: StoppedEvent): void;
  continued(event: ContinuedEvent): void;
}

/** Classifies pauses and owns the current one; see the module comment. */
export class PauseHandler {
  /** Frame ids handed out during the current pause. */
  readonly frames = new HandleTable<FrameHandle>();
  /** Variable references handed out during the current pause. */
  readonly refs = new HandleTable<VariableHandle>();
  private paused: PauseState | undefined;
  /** The last pause was reported with `stopped`, so its end is reported with `continued`. */
  private pauseVisible = false;
  private pending: PendingCommand | undefined;
  /** The step method of the last step asked for (repeated through unmapped code). */
  private lastStep: StepMethod = 'Debugger.stepOver';
  private smartStep: SmartStep | undefined;
  /**
   * Set from sending a resume/step until `Debugger.resumed` arrives. V8 acknowledges Debugger.resume
   * before it has left its pause loop, and ignores a Debugger.pause arriving in between.
   */
  private resuming: Deferred | undefined;

  constructor(private readonly context: PauseHandlerContext) {}

  /** The current pause, if the program is stopped. */
  get current(): PauseState | undefined {
    return this.paused;
  }

  /** A new run starts: nothing of the last one's pauses is left. */
  reset(): void {
    this.clearPause();
    this.pauseVisible = false;
    this.pending = undefined;
    this.smartStep = undefined;
    this.settleResuming();
  }

  /** The current run's inspector is gone: the program can no longer be inspected, only waited for. */
  inspectorGone(): void {
    this.clearPause();
    this.pending = undefined;
    this.settleResuming();
  }

  /**
   * Asks the running program to stop, over the run's live connection; the `stopped` event
   * follows. Nothing happens if it is stopped already.
   */
  async pause(liveConnection: () => CdpConnection | undefined): Promise<void> {
    if (this.resuming) await this.resuming.promise;
    if (this.paused) return;
    const cdp = liveConnection();
    if (!cdp) throw new RunnerError('INVALID_STATE', 'The program is not running');
    this.pending = 'pause';
    // When the program is idle (waiting on a timer or I/O) V8 can only stop once JavaScript runs
    // again, so the `stopped` event comes with the next callback, not right away.
    await cdp.send('Debugger.pause', {});
  }

  /** Shared path of continue / next / stepIn / stepOut, from the pause `pause`. */
  async resume(pause: PauseState, command: PendingCommand, method: StepMethod | 'Debugger.resume'): Promise<void> {
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

  /** Handles `Debugger.paused` (in the run's event chain). */
  async onPaused(run: Run, cdp: CdpConnection, params: CdpEvents['Debugger.paused']): Promise<void> {
    if (this.context.currentRun() !== run || run.quiet || run.ended) return;
    if (params.reason === 'instrumentation') {
      // An ES module with a source map is about to run: its original files' breakpoints go in first.
      const url = params.data?.['url'];
      const sourceMapUrl = params.data?.['sourceMapURL'];
      if (typeof url === 'string' && typeof sourceMapUrl === 'string' && sourceMapUrl)
        await this.context.mapper.mapScript(run, url, sourceMapUrl);
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
      : (params.hitBreakpoints ?? []).map((id) => this.context.breakpoints.lookup(id, top)).filter((r): r is BreakpointRecord => !!r);
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
      stop = this.context.stopOnEntry() ? { reason: 'entry' } : undefined;
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
    const topFrame = stack[0];
    this.context.stopped({ ...stop, threadId: THREAD_ID, allThreadsStopped: true, ...(topFrame ? { topFrame } : {}) });
  }

  /** Handles `Debugger.resumed` (in the run's event chain). */
  onResumed(run: Run): void {
    if (this.context.currentRun() !== run || run.quiet) return;
    this.settleResuming();
    if (run.startOnResumed) run.started.resolve();
    this.clearPause();
    if (this.pauseVisible) {
      this.pauseVisible = false;
      this.context.continued({ threadId: THREAD_ID, allThreadsContinued: true });
    }
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

  /** Resumes from a pause nobody is told about. */
  private async resumeSilently(cdp: CdpConnection): Promise<void> {
    this.pauseVisible = false;
    this.resuming ??= deferred();
    await cdp.send('Debugger.resume', {}).catch(() => this.settleResuming());
  }

  /** Evaluates a logpoint message in a frame; its text arrives through Runtime.bindingCalled. */
  private async logAt(cdp: CdpConnection, frame: CallFrame | undefined, template: string): Promise<void> {
    if (!frame) return;
    await cdp
      .send('Debugger.evaluateOnCallFrame', {
        callFrameId: frame.callFrameId,
        expression: logExpression(template, this.context.marker),
        silent: true,
      })
      .catch(() => {});
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
}

/** The scripts of a pause's frames, live and async. */
function* scriptIdsOf(params: CdpEvents['Debugger.paused']): Iterable<string> {
  for (const frame of params.callFrames) yield frame.location.scriptId;
  for (let segment = params.asyncStackTrace; segment; segment = segment.parent) {
    for (const frame of segment.callFrames) yield frame.scriptId;
  }
}
