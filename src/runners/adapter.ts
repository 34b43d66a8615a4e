/**
 * The runner adapter interface: one debugger behind one DAP-shaped API.
 *
 * DAP semantics win any tie (https://microsoft.github.io/debug-adapter-protocol/specification):
 * line numbers are 1-based, `variablesReference` 0 means "no children", and the
 * `stopped` / `continued` / `output` / `exited` / `terminated` events carry what DAP's events
 * of the same names carry. The core (src/sessions) knows nothing else about a debugger.
 */
import { CodedError, type RunnerErrorCode } from '../errors.js';

/** Where a line breakpoint should go, as asked for by the client. */
export interface SourceBreakpoint {
  /** 1-based line in the source file. */
  line: number;
  /** Only stop when this expression is truthy. */
  condition?: string;
  /** Only stop when the hit count satisfies this expression (e.g. `3`, `>= 5`, `% 2`). */
  hitCondition?: string;
  /** Logpoint: log this message (with `{expr}` interpolation) instead of stopping. */
  logMessage?: string;
}

/** A breakpoint as the debugger bound it. */
export interface Breakpoint {
  /** Stable id, unique within the runner. */
  id: number;
  /** True when the debugger bound the breakpoint to code. */
  verified: boolean;
  /** Absolute path of the source file. */
  source: string;
  /** The line asked for (1-based). */
  requestedLine: number;
  /** The line it bound to (1-based); equals `requestedLine` until bound. */
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Why it is not verified, if it is not. */
  message?: string;
}

export interface LaunchOptions {
  /** Absolute path of the program to run. */
  program: string;
  args: string[];
  /** Absolute working directory. */
  cwd: string;
  /** Extra environment variables, merged over a minimal inherited environment. */
  env: Record<string, string>;
  /** Stop at the first line of the program. */
  stopOnEntry: boolean;
  /** Line breakpoints to install before the program runs, keyed by absolute source path. */
  breakpoints: Map<string, SourceBreakpoint[]>;
  /** Exception breakpoint filters to install before the program runs. */
  exceptionFilters?: ExceptionFilter[];
  /** With a session box: the host's network (true, the default) or a private loopback-only one. */
  network?: boolean;
}

export type ExceptionFilter = 'uncaught' | 'all';

export interface Thread {
  id: number;
  name: string;
}

export interface StackFrame {
  /** Valid until the program resumes. */
  id: number;
  name: string;
  /** Absolute path (or URL for code with no file). */
  source?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column?: number;
}

export interface Scope {
  name: string;
  /** Reference to pass to `variables`. */
  variablesReference: number;
  /** True when fetching the scope is costly (globals): clients should not expand it eagerly. */
  expensive: boolean;
  /** DAP's hint: `locals` marks the frame's own variables (a snapshot reads up to this scope). */
  presentationHint?: 'arguments' | 'locals' | 'registers' | 'returnValue';
}

export interface Variable {
  name: string;
  /** Display value: the value of a primitive, a short preview of an object. */
  value: string;
  type?: string;
  /** > 0 when the value has children (expand with `variables`). Valid until the program resumes. */
  variablesReference: number;
  /** Number of indexed children, when known (arrays). */
  indexedVariables?: number;
  /** Number of named children, when known. */
  namedVariables?: number;
  /** DAP's hint; `internal` marks plumbing (e.g. a CommonJS module's wrapper arguments) that snapshots leave out. */
  presentationHint?: { visibility?: 'internal' | 'public' };
}

export interface VariablesPage {
  /** Index of the first child to return. */
  start?: number;
  /** Maximum number of children to return. */
  count?: number;
}

export interface EvaluateOptions {
  /** Frame to evaluate in; default: the top frame of the stopped thread. */
  frameId?: number;
  /** Abort the evaluation after this many milliseconds. */
  timeoutMs?: number;
  /** Refuse to run code with side effects (hover-like reads). */
  sideEffectFree?: boolean;
}

export interface EvaluateResult {
  /** Display value; for a thrown error, its description. */
  value: string;
  type?: string;
  variablesReference: number;
  /** What the expression threw (or why it could not run), if it did. */
  error?: string;
}

/** DAP `stopped` event body. `reason` uses DAP's words: step, breakpoint, exception, pause, entry, … */
export interface StoppedEvent {
  // `string & {}` keeps the known words in editors' completions while allowing any adapter's own.
  reason:
    | 'step'
    | 'breakpoint'
    | 'exception'
    | 'pause'
    | 'entry'
    | 'goto'
    | 'function breakpoint'
    | 'data breakpoint'
    | 'debugger statement'
    | (string & {});
  threadId: number;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  allThreadsStopped?: boolean;
  /**
   * The stopped thread's top frame, when the runner knows it (it saves the session a stackTrace
   * round trip per stop). Valid for this stop, like every frame id.
   */
  topFrame?: StackFrame;
}

export interface ContinuedEvent {
  threadId: number;
  allThreadsContinued?: boolean;
}

/** Debuggee or debugger output. `stdout`/`stderr` come from the debuggee's pipes. */
export interface OutputEvent {
  category: 'stdout' | 'stderr' | 'console' | 'system';
  output: string;
}

export interface ExitedEvent {
  /** Process exit code; null when killed by a signal. */
  exitCode: number | null;
  signal?: string | null;
  /** The session box's limit that ended the run, e.g. "memory limit 2048 MiB". */
  limit?: string;
}

export interface BreakpointEvent {
  reason: 'changed' | 'new' | 'removed';
  breakpoint: Breakpoint;
}

export interface ThreadEvent {
  reason: 'started' | 'exited';
  threadId: number;
}

/** Events a runner emits, by name. */
export interface RunnerEventMap {
  stopped: StoppedEvent;
  continued: ContinuedEvent;
  output: OutputEvent;
  exited: ExitedEvent;
  /** The debug session ended (after `exited`, or when the debugger went away). Emitted exactly once. */
  terminated: { error?: string };
  breakpoint: BreakpointEvent;
  thread: ThreadEvent;
}

export type RunnerEventName = keyof RunnerEventMap;
export type RunnerListener<K extends RunnerEventName> = (event: RunnerEventMap[K]) => void;

/** Capabilities a runner offers; the API refuses features a runner lacks with BAD_USER_INPUT. */
export interface RunnerCapabilities {
  conditionalBreakpoints: boolean;
  hitConditionalBreakpoints: boolean;
  logPoints: boolean;
  exceptionFilters: ExceptionFilter[];
  restart: boolean;
  evaluateTimeout: boolean;
}

/**
 * A debugger for one debuggee process.
 *
 * Control requests (`next`, `stepIn`, `stepOut`, `continue`, `pause`) resolve once the debugger
 * accepted them; the resulting stop arrives as a `stopped` event. Requests that need a stopped
 * program reject with {@link RunnerError} (code `INVALID_STATE`) when it is running.
 */
export interface RunnerAdapter {
  readonly capabilities: RunnerCapabilities;
  /** OS process id of the current debuggee, once known (undefined before, or if it never started). */
  readonly pid: number | undefined;
  /**
   * Starts the debuggee; resolves once it runs under the debugger (or is stopped on entry).
   * Each breakpoint installed from `options.breakpoints` is reported with a `breakpoint` event
   * (reason `new`), and later binding changes with reason `changed` (as after `restart`).
   */
  launch(options: LaunchOptions): Promise<void>;
  threads(): Promise<Thread[]>;
  stackTrace(threadId: number, startFrame?: number, levels?: number): Promise<StackFrame[]>;
  scopes(frameId: number): Promise<Scope[]>;
  variables(variablesReference: number, page?: VariablesPage): Promise<Variable[]>;
  evaluate(expression: string, options?: EvaluateOptions): Promise<EvaluateResult>;
  next(threadId: number): Promise<void>;
  stepIn(threadId: number): Promise<void>;
  stepOut(threadId: number): Promise<void>;
  continue(threadId: number): Promise<void>;
  pause(threadId: number): Promise<void>;
  /** Replaces all breakpoints of one source file (DAP semantics). */
  setBreakpoints(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]>;
  setExceptionBreakpoints(filters: ExceptionFilter[]): Promise<void>;
  /**
   * Ends the current run and launches the program again with the last launch options and the
   * current breakpoints and exception filters. The old run emits no `exited`/`terminated`.
   */
  restart(): Promise<void>;
  /** Ends the debuggee (kills it if it does not stop) and releases every resource. Idempotent. */
  terminate(): Promise<void>;
  on<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void;
  off<K extends RunnerEventName>(event: K, listener: RunnerListener<K>): void;
}

export type { RunnerErrorCode };

/** A failure of the debugger or of a request to it, with a code the API can map. */
export class RunnerError extends CodedError<RunnerErrorCode> {}

/** Creates a fresh adapter for one launch (a restart creates a new one). */
export type RunnerFactory = () => RunnerAdapter;
