/**
 * The Python runner: a {@link DapRunner} driving debugpy's adapter (run by debugpy/adapter.py, DAP
 * over stdio), with what is specific to debugpy and pydevd underneath it.
 *
 * Process tree: adapter (our child, own process group) → debugpy launcher (same group) → debuggee
 * (own process group, pid from the DAP `process` event).
 *
 * debugpy's three processes run through the Python files in {@link DEBUGPY_SCRIPT_DIR}: adapter.py
 * (the adapter), launcher.py (its launcher) and bootstrap.py (the debuggee's side). With them the
 * adapter opens no TCP listener (none for clients, Unix sockets in a private directory for the
 * launcher and pydevd) and the adapter's access token is on no command line. See local_sockets.py.
 */
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExitedEvent, LaunchOptions, OutputEvent, RunnerAdapter, RunnerCapabilities } from '../adapter.js';
import { BOX_HOME, buildDebuggeeEnv } from '../debuggee-env.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { AdapterCommand } from './adapter-process.js';
import {
  defaultOutputCategory,
  type DapLauncher,
  type DapRunnerOptions,
  type FetchVariables,
  type StopFilter,
  type VariablesPager,
} from './dap-launcher.js';
import { DapRunner } from './dap-runner.js';
import type { DapEvents, DapVariable } from './protocol.js';

/** The interpreter used when none is configured (Debian's, where python3-debugpy installs). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/**
 * The directory of debugpy's shims (adapter.py, launcher.py, bootstrap.py, local_sockets.py), as
 * this server sees it. They find each other relative to their own location only, so the directory
 * can be shown to the adapter elsewhere (e.g. bound read-only into a sandbox): see
 * {@link PythonRunnerOptions.scriptDir}.
 */
export const DEBUGPY_SCRIPT_DIR = fileURLToPath(new URL('./debugpy', import.meta.url));
/** Real-time signals the bootstrap handles (SIGRTMIN + 6 and + 7 on Linux/glibc). */
const PAUSE_SIGNAL = 40;
const EVALUATION_INTERRUPT_SIGNAL = 41;

/** Output category of launcher.py's event naming the signal that ended the debuggee. */
const EXIT_SIGNAL_CATEGORY = 'debug-server.exitSignal';

function isSignalName(name: string): name is NodeJS.Signals {
  return Object.hasOwn(osConstants.signals, name);
}

/** Exit codes debugpy's launcher reports for a debuggee killed by a signal (code & 0xFF). */
const SIGNAL_EXIT_CODES: Record<number, NodeJS.Signals> = { 247: 'SIGKILL', 241: 'SIGTERM', 254: 'SIGINT' };

/** Options of {@link createPythonRunner}. */
export interface PythonRunnerOptions {
  /** Python interpreter with debugpy installed; default {@link DEFAULT_PYTHON}. */
  python?: string;
  /**
   * The bootstrap's speed-ups (default true): a step in ~1.5 ms instead of ~18 ms and requests
   * that wait for pydevd's 10 ms poll (evaluate, variables) in ~1 ms, pauses that reach a sleeping
   * main thread, evaluations that can be aborted, an exit ~0.65 s sooner. Without them the debuggee
   * still runs through bootstrap.py, for the adapter's socket and access token.
   */
  speedups?: boolean;
  /**
   * Where the adapter process sees {@link DEBUGPY_SCRIPT_DIR} (default: that directory itself; a
   * sandbox passes the path it binds it to).
   */
  scriptDir?: string;
  /** DAP request timeout and tracing. */
  dap?: DapRunnerOptions;
  /**
   * Runs the adapter, its launcher and the debuggee in a session box, which shows the shims at
   * {@link BOX_SCRIPT_DIR} (scriptDir is then that).
   */
  sandbox?: Sandbox;
}

/** Where a session box shows {@link DEBUGPY_SCRIPT_DIR}. */
const BOX_SCRIPT_DIR = '/run/debug-server/debugpy';

/** Creates a fresh Python runner (debugpy). */
export function createPythonRunner(options: PythonRunnerOptions = {}): RunnerAdapter {
  const { sandbox } = options;
  if (!sandbox) return new DapRunner(debugpyLauncher(options), options.dap);
  const launcher = debugpyLauncher({ ...options, scriptDir: BOX_SCRIPT_DIR });
  const boxed: DapLauncher = {
    ...launcher,
    boxFiles: [{ host: DEBUGPY_SCRIPT_DIR, box: BOX_SCRIPT_DIR }],
    // The adapter's environment is the debuggee's base (debugpy passes it on): the box's home.
    adapterCommand: (launch) => {
      const command = launcher.adapterCommand(launch);
      return { ...command, env: { ...command.env, HOME: BOX_HOME } };
    },
  };
  return new DapRunner(boxed, { ...options.dap, sandbox });
}

/** The {@link DapLauncher} for debugpy. */
export function debugpyLauncher(options: PythonRunnerOptions = {}): DapLauncher {
  const python = options.python ?? DEFAULT_PYTHON;
  const speedups = options.speedups ?? true;
  const scriptDir = options.scriptDir ?? DEBUGPY_SCRIPT_DIR;
  // Runs pydevd's side of the session: the adapter's socket and token, and the speed-ups.
  const bootstrap = join(scriptDir, 'bootstrap.py');
  const capabilities: RunnerCapabilities = {
    conditionalBreakpoints: true,
    hitConditionalBreakpoints: true,
    logPoints: true,
    exceptionFilters: ['uncaught', 'all'],
    restart: true,
    evaluateTimeout: true,
  };
  return {
    name: 'debugpy',
    adapterId: 'python',
    assumedCapabilities: capabilities,
    // debugpy: 'raised' breaks on every raise, 'uncaught' when the exception ends the program.
    exceptionFilterIds: { all: 'raised', uncaught: 'uncaught' },
    stopsOnEntry: true,
    ...(speedups ? { pauseSignal: PAUSE_SIGNAL, evaluationInterruptSignal: EVALUATION_INTERRUPT_SIGNAL } : {}),
    adapterCommand(): AdapterCommand {
      // "-X frozen_modules=off" as debugpy itself passes it to the debuggee on 3.11+ (ignored before).
      return { command: python, args: ['-X', 'frozen_modules=off', join(scriptDir, 'adapter.py')], env: adapterEnv(process.env) };
    },
    launchArguments(launch: LaunchOptions, stopOnEntry: boolean): Record<string, unknown> {
      return {
        type: 'python',
        request: 'launch',
        name: launch.program,
        program: launch.program,
        args: launch.args,
        cwd: launch.cwd,
        // Merged by debugpy's launcher over its own environment (ours, filtered).
        env: launch.env,
        stopOnEntry,
        // The adapter owns the debuggee process, so its stdout/stderr cannot be our pipes: with
        // redirectOutput the launcher reads them and sends them as `output` events (category
        // stdout/stderr), byte for byte. internalConsole: no terminal, no runInTerminal request.
        console: 'internalConsole',
        redirectOutput: true,
        justMyCode: true,
        // Child Python processes would connect back as sessions of their own, which we do not run.
        subProcess: false,
        // Started by the adapter as "<python> <launcher.py> <port> -- <program> <args>".
        debugLauncherPath: join(scriptDir, 'launcher.py'),
        // "-X frozen_modules=off" as debugpy itself passes it on 3.11+ (ignored before).
        python: [python, '-X', 'frozen_modules=off', bootstrap, ...(speedups ? [] : ['--no-speedups'])],
        // The bootstrap's frames are not the program's: keep them out of stacks and steps.
        rules: [{ path: bootstrap, include: false }],
      };
    },
    outputCategory(body: DapEvents['output']): OutputEvent['category'] | undefined {
      // pydevd sends logpoint messages as `stdout` with a `source`; the program's own output comes
      // from the launcher's pipes and has none.
      if ((body.category === 'stdout' || body.category === 'stderr') && body.source !== undefined) return 'console';
      return defaultOutputCategory(body);
    },
    evaluationError: pythonErrorLine,
    lostDebuggee: (message) => LOST_DEBUGGEE.test(message.trim()),
    exitSignal: (body) => {
      const name = body.output.trim();
      return body.category === EXIT_SIGNAL_CATEGORY && isSignalName(name) ? name : undefined;
    },
    exitStatus(exitCode: number | undefined, endedByRunner: boolean): ExitedEvent {
      if (exitCode === undefined) return { exitCode: null, signal: null };
      const signal = SIGNAL_EXIT_CODES[exitCode];
      // 247 is also a plain exit code; it means SIGKILL only when we had the debuggee killed.
      if (endedByRunner && signal) return { exitCode: null, signal };
      return { exitCode, signal: null };
    },
    pageVariables: pydevdPager,
    createStopFilter: raisedExceptionRestops,
  };
}

/**
 * debugpy's "raised" filter stops again in every frame the same exception propagates through.
 * The API stops where an exception is thrown: after a `continue` from an exception stop, the same
 * exception one frame further out is passed over.
 */
export function raisedExceptionRestops(): StopFilter {
  let last: { threadId: number; description: string | undefined; depth: number | undefined } | undefined;
  return async (stop, { lastResume, client }) => {
    if (stop.reason !== 'exception') {
      last = undefined;
      return false;
    }
    const { threadId, description } = stop;
    const depth = (await client.request('stackTrace', { threadId, startFrame: 0, levels: 1 })).totalFrames;
    const previous = last;
    last = { threadId, description, depth };
    return (
      previous !== undefined &&
      lastResume === 'continue' &&
      previous.threadId === threadId &&
      previous.description === description &&
      depth !== undefined &&
      previous.depth !== undefined &&
      depth < previous.depth
    );
  };
}

/** `process.env` minus the server's, vitest's and Node's control variables. */
export function adapterEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  // The same rules as for every debuggee: debugpy passes its environment on to the program.
  return buildDebuggeeEnv(base, {});
}

/**
 * debugpy's answers to a request pending when pydevd's connection ends (debugpy/common/messaging.py
 * `NoMoreMessages`, adapter/components.py): the debuggee is gone.
 */
const LOST_DEBUGGEE = /^(No more messages|\w+(\[[^\]]*\])? disconnected unexpectedly|(Server|Launcher) is not available)$/;

/** The last line of a Python traceback ("ZeroDivisionError: division by zero"), else the text. */
export function pythonErrorLine(message: string): string {
  const text = message.trim();
  if (!text.startsWith('Traceback (most recent call last):')) return text;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? text;
}

// ---- variables paging ---------------------------------------------------------------------------

/** pydevd's names for indexed children: zero-padded decimal ("000042"). */
const INDEX_NAME = /^\d+$/;
/** pydevd's bucket names under "more": "[100:1100]". */
const BUCKET_NAME = /^\[(\d+):(\d+)\]$/;

/**
 * Pages the children of a pydevd container. debugpy ignores DAP's start/count: a list shows its
 * first 100 items, then a `more` child grouping the rest in buckets of 1000 ("[100:1100]", …).
 * A page is collected from those (only the buckets it overlaps are fetched, so a page of a
 * 1,000,000-item list costs 3 small requests). Index names lose pydevd's zero padding.
 */
export const pydevdPager: VariablesPager = async (reference, page, fetch) => {
  const children = await fetch(reference);
  const paged = page !== undefined && (page.start !== undefined || page.count !== undefined);
  const indexed = children.some((v) => INDEX_NAME.test(v.name)) || children.some(isMore);
  if (!paged) return children.map(unpad);
  const start = page.start ?? 0;
  const end = page.count !== undefined ? start + page.count : Number.POSITIVE_INFINITY;
  // Not a sequence (object, dict with non-integer keys): page over the children as they are.
  if (!indexed) return children.slice(start, end);
  const items = new Map<number, DapVariable>();
  collect(children, start, end, items);
  const more = children.find(isMore);
  const lastDirect = Math.max(-1, ...children.filter((v) => INDEX_NAME.test(v.name)).map((v) => Number(v.name)));
  if (more && more.variablesReference > 0 && end > lastDirect + 1) await collectMore(more.variablesReference, start, end, items, fetch);
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, v]) => unpad(v));
};

function isMore(v: DapVariable): boolean {
  return v.name === 'more' && (v.type === 'MoreItems' || v.type === 'MoreItemsRange' || v.value === '...' || BUCKET_NAME.test(v.value));
}

function collect(children: DapVariable[], start: number, end: number, into: Map<number, DapVariable>): void {
  for (const child of children) {
    if (!INDEX_NAME.test(child.name)) continue;
    const index = Number(child.name);
    if (index >= start && index < end) into.set(index, child);
  }
}

async function collectMore(
  reference: number,
  start: number,
  end: number,
  into: Map<number, DapVariable>,
  fetch: FetchVariables,
): Promise<void> {
  const children = await fetch(reference);
  // Up to one bucket's worth, pydevd inlines the rest of the items here instead of buckets.
  collect(children, start, end, into);
  const buckets = children.flatMap((child) => {
    const match = BUCKET_NAME.exec(child.name);
    if (!match || child.variablesReference === 0) return [];
    return [{ from: Number(match[1]), to: Number(match[2]), reference: child.variablesReference }];
  });
  const wanted = buckets.filter((b) => b.from < end && b.to > start);
  const pages = await Promise.all(wanted.map((b) => fetch(b.reference)));
  for (const bucket of pages) collect(bucket, start, end, into);
}

function unpad(v: DapVariable): DapVariable {
  if (!INDEX_NAME.test(v.name)) return v;
  return { ...v, name: String(Number(v.name)) };
}
