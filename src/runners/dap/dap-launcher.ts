/**
 * What a `DapRunner` needs to know of one kind of debug adapter (a {@link DapLauncher}):
 * how to start and reach it, its launch arguments and its quirks, with the defaults most
 * adapters take.
 */
import type { ExitedEvent, LaunchOptions, OutputEvent, RunnerCapabilities, StoppedEvent, VariablesPage } from '../adapter.js';
import type { AdapterCommand, AdapterProcess } from './adapter-process.js';
import type { ExceptionFilterIds } from './capabilities.js';
import type { DapStreams } from './connect.js';
import type { DapClient } from './dap-client.js';
import type { DapEvents, DapVariable } from './protocol.js';
import type { BoxFile } from '../../sandbox/box.js';
import type { Sandbox } from '../../sandbox/sandbox.js';

/** Fetches the children of a reference from the adapter (one DAP `variables` request). */
export type FetchVariables = (
  variablesReference: number,
  page?: { filter?: 'indexed' | 'named'; start?: number; count?: number },
) => Promise<DapVariable[]>;

/** Returns the children of a reference for a page (or all of them), using `fetch` as it must. */
export type VariablesPager = (variablesReference: number, page: VariablesPage | undefined, fetch: FetchVariables) => Promise<DapVariable[]>;

/** How a {@link DapRunner} starts and talks to one kind of debug adapter. */
export interface DapLauncher {
  /** Name for messages ("debugpy"). */
  readonly name: string;
  /** `adapterID` of the initialize request. */
  readonly adapterId: string;
  /** Capabilities reported before the adapter answered `initialize`. */
  readonly assumedCapabilities: RunnerCapabilities;
  /** The adapter's filter ids for our exception filters, when the usual names do not fit. */
  readonly exceptionFilterIds?: ExceptionFilterIds;
  /**
   * True when the adapter honours `stopOnEntry`. The runner then always asks for the entry stop
   * and resumes past it itself when the caller did not: `launch` resolves only once the program
   * really runs under the debugger, and a program that dies first (syntax error, missing module)
   * fails the launch instead of "running" for a moment.
   */
  readonly stopsOnEntry: boolean;
  /** Signal that makes the debuggee deliver a pause its main thread is blocked from taking. */
  readonly pauseSignal?: number;
  /** Signal that aborts a running evaluation in the debuggee (after our timeout fired). */
  readonly evaluationInterruptSignal?: number;
  /** How to start the adapter process. */
  adapterCommand(options: LaunchOptions): AdapterCommand;
  /**
   * The DAP connection to the started adapter (default: its stdin/stdout). An adapter that
   * listens on a TCP or Unix socket (Delve's `dlv dap --listen`) connects here, e.g. with
   * connectSocket (connect.ts).
   */
  connect?(adapter: AdapterProcess, timeoutMs: number): Promise<DapStreams>;
  /** Arguments of the `launch` request. */
  launchArguments(options: LaunchOptions, stopOnEntry: boolean): Record<string, unknown>;
  /** Category of an output event; undefined drops it. Default: {@link defaultOutputCategory}. */
  outputCategory?(body: DapEvents['output']): OutputEvent['category'] | undefined;
  /** Text of a failed evaluation, from the adapter's error message. */
  evaluationError?(message: string): string;
  /**
   * True when a failed request's message says the adapter lost the debuggee (its end races the
   * `exited` event): such a failure is the run's end, not the request's answer.
   */
  lostDebuggee?(message: string): boolean;
  /**
   * The signal that ended the debuggee, when an output event says so (an adapter-specific channel:
   * DAP's `exited` has an exit code only). Such an event is not the program's output.
   */
  exitSignal?(body: DapEvents['output']): NodeJS.Signals | undefined;
  /** How the exit code the adapter reported maps to an `exited` event. */
  exitStatus?(exitCode: number | undefined, endedByRunner: boolean): ExitedEvent;
  /** Paging of variables (default: DAP start/count, sliced if the adapter ignored them). */
  pageVariables?: VariablesPager;
  /** Files of the launcher's own (shims, bootstraps) that a session box must show, read-only. */
  readonly boxFiles?: readonly BoxFile[];
  /** A stop filter for this adapter's quirks (one per runner: it may keep state across stops). */
  createStopFilter?(): StopFilter;
}

/** Options of a {@link DapRunner}, whatever the adapter. */
export interface DapRunnerOptions {
  /** Default timeout of a DAP request. */
  requestTimeoutMs?: number;
  /** Every DAP message in and out (debugging aid). */
  trace?: (direction: 'in' | 'out', message: unknown) => void;
  /** Runs the adapter, and so the debuggee, in a session box (see src/sandbox). */
  sandbox?: Sandbox;
}

/** How a program is resumed. */
export type ResumeCommand = 'next' | 'stepIn' | 'stepOut' | 'continue';

/** What a {@link StopFilter} may look at. */
export interface StopContext {
  /** How the program was last resumed (undefined: not since the launch). */
  lastResume: ResumeCommand | undefined;
  /** The adapter, for any request the filter needs. */
  client: DapClient;
}

/** An adapter quirk about stops: true passes over this stop silently (the program goes on). */
export type StopFilter = (stop: StoppedEvent, context: StopContext) => Promise<boolean>;

/**
 * DAP output categories to ours: the debuggee's `stdout`/`stderr` stay, telemetry is dropped,
 * everything else (`console`, `important`, none) is the debugger talking: `console`.
 */
export function defaultOutputCategory(body: DapEvents['output']): OutputEvent['category'] | undefined {
  switch (body.category) {
    case 'telemetry':
      return undefined;
    case 'stdout':
    case 'stderr':
      return body.category;
    default:
      return 'console';
  }
}

/** DAP paging as the specification has it; sliced here if the adapter ignored start/count. */
export const defaultPager: VariablesPager = async (reference, page, fetch) => {
  if (!page || (page.start === undefined && page.count === undefined)) return fetch(reference);
  const start = page.start ?? 0;
  const children = await fetch(reference, { start, ...(page.count !== undefined ? { count: page.count } : {}) });
  if (page.count !== undefined && children.length > page.count) return children.slice(start, start + page.count);
  return children;
};
