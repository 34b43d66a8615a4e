/**
 * One run of a DAP runner: the adapter process, its debug session and the debuggee it starts.
 * This module opens a run, keeps what the run alone knows (pids, threads, exit status, stderr)
 * and ends it with every process it started; what the debugger makes of the session's events is
 * the runner's (dap-runner.ts).
 */
import { RunnerError, type ExitedEvent, type LaunchOptions, type OutputEvent, type ThreadEvent } from '../adapter.js';
import { AdapterProcess, catchesSignal } from './adapter-process.js';
import { stdioStreams, type DapStreams } from './connect.js';
import { defaultOutputCategory, type DapLauncher, type DapRunnerOptions } from './dap-launcher.js';
import { DapClient } from './dap-client.js';
import type { DapBreakpoint, DapEventName, DapEvents } from './protocol.js';
import { signalGroup, trackGroup, untrackGroup, waitUntilGone } from '../process-groups.js';
import { deferred, type Deferred } from '../run-lifecycle.js';
import type { Box, BoxFile } from '../../sandbox/box.js';

/** Time for the adapter to start and answer `initialize`, and for the launch handshake. */
export const STARTUP_TIMEOUT_MS = 20_000;
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
/** How much debuggee stderr to keep for launch error messages. */
const STDERR_TAIL_CHARS = 2000;

/** One adapter process and its debug session (a restart makes a new one). */
export interface Run {
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

/** Starts `spawn` in a session box with `files` (RunLifecycle.spawnBoxed for one launch). */
export type SpawnBoxed = <T>(files: readonly BoxFile[], spawn: (box: Box | undefined) => T) => { box: Box | undefined; spawned: T };

/**
 * Starts the adapter of a new run and connects a DAP client to it. `checkWanted` throws when the
 * runner no longer wants the run (terminated meanwhile); the adapter is killed then, and on any
 * failure (LAUNCH_FAILED).
 */
export async function openRun(
  options: LaunchOptions,
  launcher: DapLauncher,
  runnerOptions: DapRunnerOptions,
  requestTimeoutMs: number,
  spawnBoxed: SpawnBoxed,
  checkWanted: () => void,
): Promise<Run> {
  const { box, spawned: adapter } = spawnBoxed(launcher.boxFiles ?? [], (box) => new AdapterProcess(launcher.adapterCommand(options), box));
  let streams: DapStreams;
  try {
    streams = launcher.connect ? await launcher.connect(adapter, STARTUP_TIMEOUT_MS) : stdioStreams(adapter);
    checkWanted();
  } catch (error) {
    await adapter.kill(KILL_GRACE_MS);
    if (error instanceof RunnerError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RunnerError('LAUNCH_FAILED', `Could not start ${options.program} under ${launcher.name}: ${message}`, {
      cause: error,
    });
  }
  const client = new DapClient(streams.input, streams.output, {
    timeoutMs: requestTimeoutMs,
    ...(runnerOptions.trace ? { trace: runnerOptions.trace } : {}),
  });
  return {
    options,
    adapter,
    box,
    client,
    quiet: false,
    ended: false,
    endedByRunner: false,
    configurable: false,
    awaitingFirstStop: launcher.stopsOnEntry,
    exitEmitted: false,
    threads: new Set(),
    sentBreakpoints: new Map(),
    stderrTail: '',
    started: deferred(),
    endProcessed: deferred(),
    finished: deferred(),
    chain: Promise.resolve(),
  };
}

/** What the runner does with a run's DAP events; the run's own bookkeeping comes first. */
export interface RunHandlers {
  /** The program's or the adapter's output (not while the run is quiet). */
  output(event: OutputEvent): void;
  stopped(body: DapEvents['stopped']): Promise<void>;
  continued(body: DapEvents['continued']): void;
  /** The adapter reported the program's exit (`run.exitCode` is set). */
  exited(): void;
  /** The session is over: `terminated`, or the adapter went away (`error` says how). */
  ended(error?: string): void;
  /** A thread started or exited (while the run may report). */
  thread(event: ThreadEvent): void;
  /** The adapter changed a breakpoint (DAP reason `changed`). */
  breakpointChanged(breakpoint: DapBreakpoint): void;
}

/** Routes a run's DAP events: to the run's own records, then to `handlers`. */
export function wireRun(run: Run, launcher: DapLauncher, handlers: RunHandlers): void {
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
    const signal = launcher.exitSignal?.(body);
    if (signal) {
      run.exitSignal = signal;
      return;
    }
    const category = launcher.outputCategory ? launcher.outputCategory(body) : defaultOutputCategory(body);
    if (category === undefined || !body.output) return;
    if (category === 'stderr') run.stderrTail = (run.stderrTail + body.output).slice(-STDERR_TAIL_CHARS);
    if (!run.quiet) handlers.output({ category, output: body.output });
  });
  on('stopped', (body) => handlers.stopped(body));
  on('continued', (body) => handlers.continued(body));
  on('exited', (body) => {
    run.exitCode = body.exitCode;
    handlers.exited();
  });
  on('terminated', () => handlers.ended());
  on('thread', (body) => {
    if (body.reason === 'started') run.threads.add(body.threadId);
    else if (body.reason === 'exited') run.threads.delete(body.threadId);
    if (!run.quiet && !run.ended && (body.reason === 'started' || body.reason === 'exited')) {
      handlers.thread({ reason: body.reason, threadId: body.threadId });
    }
  });
  on('breakpoint', (body) => {
    // Breakpoints the adapter made up itself ('new'/'removed') have no id of ours: not reported.
    if (body.reason === 'changed') handlers.breakpointChanged(body.breakpoint);
  });
  void run.adapter.exit.then((exit) => {
    client.close('The debug adapter exited');
    run.chain = run.chain.then(() => {
      if (run.ended) return;
      const how = exit.error
        ? `could not be started: ${exit.error.message}`
        : `exited unexpectedly (${exit.signal ?? `code ${exit.code}`})`;
      const stderr = run.adapter.stderrTail.trim();
      handlers.ended(`${launcher.name} ${how}${stderr ? `: ${stderr}` : ''}`);
    });
  });
}

/**
 * The `exited` event of a run, the first time it is asked for (undefined after that, and while
 * the run is quiet).
 */
export function takeExitedEvent(run: Run, launcher: DapLauncher): ExitedEvent | undefined {
  if (run.exitEmitted) return undefined;
  run.exitEmitted = true;
  if (run.quiet) return undefined;
  const status = run.exitSignal
    ? { exitCode: null, signal: run.exitSignal }
    : launcher.exitStatus
      ? launcher.exitStatus(run.exitCode, run.endedByRunner)
      : { exitCode: run.exitCode ?? null, signal: null };
  const limit = run.box?.limit;
  return limit ? { ...status, limit } : status;
}

/** Disconnects, kills what is left, waits for the session's end. Idempotent. */
export function shutdown(run: Run): Promise<void> {
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
    await killDebuggee(run);
    await run.adapter.kill(KILL_GRACE_MS);
    await killDebuggee(run);
    await run.endProcessed.promise;
  })();
  void run.shutdown.then(() => run.finished.resolve());
  return run.shutdown;
}

async function killDebuggee(run: Run): Promise<void> {
  const pid = run.debuggeePid;
  if (pid === undefined) return;
  if (!(await waitUntilGone(pid, DEBUGGEE_EXIT_GRACE_MS))) {
    // The debuggee leads its own process group: whatever it spawned goes too.
    signalGroup(pid, 'SIGKILL');
    await waitUntilGone(pid, KILL_GRACE_MS);
  }
  untrackGroup(pid);
}

/** The LAUNCH_FAILED error of a run whose launch failed with `error` (the run is over). */
export function launchError(run: Run, adapterName: string, error: unknown): RunnerError {
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
  return new RunnerError('LAUNCH_FAILED', `Could not start ${run.options.program} under ${adapterName}: ${message}${detail}`, {
    cause: error,
  });
}

/** Sends a signal to the debuggee, only if it installed a handler (else it could kill it). */
export function signalDebuggee(run: Run, signal: number | undefined): void {
  const pid = run.debuggeePid;
  if (signal === undefined || pid === undefined || run.ended || !catchesSignal(pid, signal)) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}
