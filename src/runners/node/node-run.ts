/**
 * One run of a Node debuggee: the process, its inspector connection and what the run alone knows
 * (its scripts, source maps, main context). This module starts and ends a run and keeps its own
 * bookkeeping; what the debugger makes of the run's events is the runner's (node-runner.ts), as
 * vscode-js-debug splits a launcher from the target it debugs.
 */
import { pathToFileURL } from 'node:url';
import { RunnerError, type LaunchOptions, type OutputEvent } from '../adapter.js';
import type { Box, BoxFile } from '../../sandbox/box.js';
import { CdpConnection } from './cdp-connection.js';
import type { CdpEvents } from './cdp-types.js';
import { DebuggeeProcess, type DebuggeeExit } from './debuggee-process.js';
import { buildDebuggeeEnv } from '../debuggee-env.js';
import type { EntryDetector, InspectorChannel } from './inspector-channel.js';
import { RUNNER_FILES } from './pipe-channel.js';
import { MessageTooLong } from './pipe-transport.js';
import { truncate } from './remote-object.js';
import { ScriptSourceMaps } from './script-source-maps.js';
import { deferred, settledOrAfter, type Deferred } from '../run-lifecycle.js';
import { urlPattern } from './url-pattern.js';

/** Time for node to print its inspector URL / for the WebSocket handshake; for reaching the entry. */
const STARTUP_TIMEOUT_MS = 10_000;
/** SIGTERM → SIGKILL delay. */
const KILL_GRACE_MS = 1000;
/** Once the program is over, how long requests still in flight may take before we detach. */
const END_CLOSE_GRACE_MS = 1000;
/** The binding source-map-hook.cjs calls for a source-mapped CommonJS module (keep in sync). */
export const MODULE_HOOK_BINDING = '__debugServerSourceMappedModule';
/** Scripts of ours in the debuggee: stepping never stops in them (V8 blackboxing), stacks leave them out. */
export const OWN_SCRIPTS = new RegExp(
  RUNNER_FILES.flatMap((file) => [file.host, file.box])
    .map((file) => urlPattern(pathToFileURL(file).href))
    .join('|'),
);

/** One debuggee process and its inspector connection (a restart makes a new one). */
export interface Run {
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

/** Starts `spawn` in a session box with `files` (RunLifecycle.spawnBoxed for one launch). */
export type SpawnBoxed = <T>(files: readonly BoxFile[], spawn: (box: Box | undefined) => T) => { spawned: T };

/**
 * Spawns the debuggee of a new run and makes its record. `emitOutput` gets the program's
 * stdout/stderr while the run is not quiet.
 */
export function spawnRun(
  options: LaunchOptions,
  channel: InspectorChannel,
  spawnBoxed: SpawnBoxed,
  emitOutput: (event: OutputEvent) => void,
): Run {
  // The process callbacks need the run, the run needs the process: tie the knot via `ref`.
  const ref: { run?: Run } = {};
  const { spawned: debuggee } = spawnBoxed(
    [...RUNNER_FILES, { host: process.execPath, box: process.execPath }],
    (box) =>
      new DebuggeeProcess({
        nodeArgs: channel.nodeArgs.map((arg) => box?.inBox(arg) ?? arg),
        inspectorPipe: channel.inspectorPipe,
        program: options.program,
        args: options.args,
        cwd: options.cwd,
        env: { ...buildDebuggeeEnv(process.env, options.env, box !== undefined), ...channel.env },
        box,
        onOutput: (category, output) => {
          if (ref.run && !ref.run.quiet) emitOutput({ category, output });
        },
        onBanner: (kind) => {
          // The program is over but node waits for us to detach before exiting. stderr is not ordered
          // with the inspector socket: answers to our last requests (a resume…) may still be on
          // their way, so let them arrive first. Usually Runtime.executionContextDestroyed, which
          // is ordered, has closed the socket already.
          if (kind === 'waiting-for-disconnect') void ref.run?.cdp?.closeWhenIdle(END_CLOSE_GRACE_MS);
        },
      }),
  );
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
  return run;
}

/**
 * Connects to a run's inspector, lets `prepare` wire and configure the connection, then lets the
 * program run; resolves once it runs or stopped. Rejects with LAUNCH_FAILED, the run ended.
 */
export async function connectRun(
  run: Run,
  channel: InspectorChannel,
  program: string,
  prepare: (cdp: CdpConnection) => Promise<void>,
): Promise<void> {
  try {
    const cdp = new CdpConnection(await channel.connect(run.process, STARTUP_TIMEOUT_MS));
    run.cdp = cdp;
    if (run.ended || run.quiet) {
      void cdp.close();
      throw new RunnerError('LAUNCH_FAILED', 'The program ended during launch');
    }
    await prepare(cdp);
    await run.entry.prepare(cdp, run.scripts);
    await cdp.send('Runtime.runIfWaitingForDebugger', {});
    // Should the entry machinery miss the first statement, the program runs all the same.
    await settledOrAfter(run.started.promise, STARTUP_TIMEOUT_MS);
  } catch (error) {
    // Whatever failed, the child must not outlive the launch.
    void run.process.kill(KILL_GRACE_MS);
    void run.cdp?.close();
    await run.finished.promise;
    if (error instanceof RunnerError && error.code === 'LAUNCH_FAILED') throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RunnerError('LAUNCH_FAILED', `Could not start ${program} under the debugger: ${message}`, { cause: error });
  }
}

/** Kills a run's process; resolves once it is gone and its events (if any) were emitted. */
export async function killRun(run: Run): Promise<void> {
  if (!run.ended) {
    // Signal first: closing the socket first would let a paused program run on for a while.
    const killed = run.process.kill(KILL_GRACE_MS);
    void run.cdp?.close();
    await killed;
  }
  await run.finished.promise;
}

/** What the runner does with a run's inspector events; the run's own bookkeeping comes first. */
export interface RunHandlers {
  /** A script was parsed (noted in `run.scripts` and `run.sourceMaps`). */
  scriptParsed(event: CdpEvents['Debugger.scriptParsed']): void;
  breakpointResolved(event: CdpEvents['Debugger.breakpointResolved']): void;
  bindingCalled(event: CdpEvents['Runtime.bindingCalled']): void;
  /** Debugger.paused, in the run's event chain. */
  paused(params: CdpEvents['Debugger.paused']): Promise<void>;
  /** Debugger.resumed, in the run's event chain. */
  resumed(): void;
  /** The inspector connection closed. */
  closed(): void;
}

/** Routes a run's inspector events: to the run's own records, then to `handlers`. */
export function wireRun(run: Run, cdp: CdpConnection, handlers: RunHandlers): void {
  cdp.on('Debugger.scriptParsed', (event) => {
    run.scripts.set(event.scriptId, event.url);
    run.sourceMaps.noteScript(event.scriptId, event.url, event.sourceMapURL);
    handlers.scriptParsed(event);
  });
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.auxData?.isDefault && run.mainContextId === undefined) run.mainContextId = context.id;
  });
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
    // The main context dies when the program is over; node then waits for us to detach
    // ("Waiting for the debugger to disconnect...") before exiting with the real exit code.
    if (executionContextId === run.mainContextId) void cdp.closeWhenIdle(END_CLOSE_GRACE_MS);
  });
  cdp.on('Debugger.breakpointResolved', (event) => handlers.breakpointResolved(event));
  cdp.on('Runtime.bindingCalled', (event) => handlers.bindingCalled(event));
  cdp.on('Debugger.paused', (params) => {
    run.eventChain = run.eventChain.then(() => handlers.paused(params)).catch(() => {});
  });
  cdp.on('Debugger.resumed', () => {
    run.eventChain = run.eventChain.then(() => handlers.resumed()).catch(() => {});
  });
  cdp.onClose((error) => {
    // A program that floods its end of the inspector pipe (it can write to fd 3) has broken the
    // debugger: its run ends, and the session says which limit it hit.
    if (error instanceof MessageTooLong && !run.ended) {
      run.limit = error.limit;
      void run.process.kill(0);
    }
    handlers.closed();
  });
}

/** Why a launch failed when the program ended before it ran under the debugger. */
export function describeEarlyExit(exit: DebuggeeExit, stderrTail: string): string {
  if (exit.error) return `Cannot start node: ${exit.error.message}`;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  const detail = stderrTail.trim();
  return `The program ${how} before it started running under the debugger${detail ? `:\n${truncate(detail, 2000)}` : ''}`;
}
