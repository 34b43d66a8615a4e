/**
 * The subset of Debug Adapter Protocol types this client uses, as the specification defines them
 * (https://microsoft.github.io/debug-adapter-protocol/specification). Fields an adapter may add
 * beyond these are tolerated and ignored.
 */

/** Any message on the wire. */
export interface ProtocolMessage {
  seq: number;
  /** 'request', 'response' or 'event'. */
  type: string;
}

/** A request (from the client, or a reverse request from the adapter). */
export interface DapRequest extends ProtocolMessage {
  type: 'request';
  command: string;
  arguments?: unknown;
}

/** The answer to a request, correlated by `request_seq`. */
export interface DapResponse extends ProtocolMessage {
  type: 'response';
  request_seq: number;
  success: boolean;
  command: string;
  /** Short machine-readable reason on failure ('cancelled', 'notStopped', …) or a message. */
  message?: string;
  body?: unknown;
}

/** An event from the adapter. */
export interface DapEvent extends ProtocolMessage {
  type: 'event';
  event: string;
  body?: unknown;
}

/** Body of a failed response: a structured error message. */
export interface ErrorResponseBody {
  error?: { id?: number; format?: string; variables?: Record<string, string>; showUser?: boolean };
}

/** An exception filter the adapter offers (in its capabilities). */
export interface ExceptionBreakpointsFilter {
  filter: string;
  label: string;
  description?: string;
  default?: boolean;
  supportsCondition?: boolean;
}

/** What an adapter can do, from the `initialize` response. */
export interface Capabilities {
  supportsConfigurationDoneRequest?: boolean;
  supportsFunctionBreakpoints?: boolean;
  supportsConditionalBreakpoints?: boolean;
  supportsHitConditionalBreakpoints?: boolean;
  supportsEvaluateForHovers?: boolean;
  exceptionBreakpointFilters?: ExceptionBreakpointsFilter[];
  supportsStepBack?: boolean;
  supportsSetVariable?: boolean;
  supportsRestartFrame?: boolean;
  supportsGotoTargetsRequest?: boolean;
  supportsStepInTargetsRequest?: boolean;
  supportsCompletionsRequest?: boolean;
  supportsModulesRequest?: boolean;
  supportsRestartRequest?: boolean;
  supportsExceptionOptions?: boolean;
  supportsValueFormattingOptions?: boolean;
  supportsExceptionInfoRequest?: boolean;
  supportTerminateDebuggee?: boolean;
  supportsDelayedStackTraceLoading?: boolean;
  supportsLogPoints?: boolean;
  supportsTerminateRequest?: boolean;
  supportsCancelRequest?: boolean;
  supportsSetExpression?: boolean;
  supportsClipboardContext?: boolean;
  supportsExceptionFilterOptions?: boolean;
  supportsSteppingGranularity?: boolean;
  supportsSingleThreadExecutionRequests?: boolean;
  [other: string]: unknown;
}

/** A source file (by path) or adapter-provided source (by reference). */
export interface Source {
  name?: string;
  path?: string;
  sourceReference?: number;
}

/** A breakpoint as setBreakpoints asks for it. */
export interface DapSourceBreakpoint {
  line: number;
  column?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/** A breakpoint as the adapter bound it. */
export interface DapBreakpoint {
  id?: number;
  verified: boolean;
  message?: string;
  source?: Source;
  line?: number;
  column?: number;
}

/** A thread of the debuggee. */
export interface DapThread {
  id: number;
  name: string;
}

/** A stack frame; `id` is valid while the program is stopped. */
export interface DapStackFrame {
  id: number;
  name: string;
  source?: Source;
  line: number;
  column: number;
  presentationHint?: 'normal' | 'label' | 'subtle';
}

/** A scope of a frame (locals, globals, …). */
export interface DapScope {
  name: string;
  presentationHint?: string;
  variablesReference: number;
  namedVariables?: number;
  indexedVariables?: number;
  expensive: boolean;
}

/** A variable; `variablesReference` > 0 when it has children. */
export interface DapVariable {
  name: string;
  value: string;
  type?: string;
  evaluateName?: string;
  variablesReference: number;
  namedVariables?: number;
  indexedVariables?: number;
  presentationHint?: { kind?: string; attributes?: string[]; visibility?: string };
}

/** An exception filter with a condition. */
export interface ExceptionFilterOptions {
  filterId: string;
  condition?: string;
}

/** Requests the client sends: arguments and success body, by command. */
export interface DapRequests {
  initialize: { args: InitializeArguments; body: Capabilities | undefined };
  launch: { args: Record<string, unknown>; body: unknown };
  attach: { args: Record<string, unknown>; body: unknown };
  configurationDone: { args: Record<string, never>; body: unknown };
  setBreakpoints: {
    args: { source: Source; breakpoints: DapSourceBreakpoint[]; sourceModified?: boolean };
    body: { breakpoints: DapBreakpoint[] };
  };
  setExceptionBreakpoints: {
    args: { filters: string[]; filterOptions?: ExceptionFilterOptions[] };
    body: { breakpoints?: DapBreakpoint[] } | undefined;
  };
  threads: { args: Record<string, never>; body: { threads: DapThread[] } };
  stackTrace: {
    args: { threadId: number; startFrame?: number; levels?: number };
    body: { stackFrames: DapStackFrame[]; totalFrames?: number };
  };
  scopes: { args: { frameId: number }; body: { scopes: DapScope[] } };
  variables: {
    args: { variablesReference: number; filter?: 'indexed' | 'named'; start?: number; count?: number };
    body: { variables: DapVariable[] };
  };
  evaluate: {
    args: { expression: string; frameId?: number; context?: 'watch' | 'repl' | 'hover' | 'clipboard' | 'variables' };
    body: { result: string; type?: string; variablesReference: number; namedVariables?: number; indexedVariables?: number };
  };
  next: { args: { threadId: number; singleThread?: boolean }; body: unknown };
  stepIn: { args: { threadId: number; singleThread?: boolean }; body: unknown };
  stepOut: { args: { threadId: number; singleThread?: boolean }; body: unknown };
  continue: { args: { threadId: number; singleThread?: boolean }; body: { allThreadsContinued?: boolean } | undefined };
  pause: { args: { threadId: number }; body: unknown };
  exceptionInfo: {
    args: { threadId: number };
    body: {
      exceptionId: string;
      description?: string;
      breakMode: string;
      details?: { message?: string; typeName?: string; stackTrace?: string };
    };
  };
  disconnect: { args: { restart?: boolean; terminateDebuggee?: boolean; suspendDebuggee?: boolean }; body: unknown };
  terminate: { args: { restart?: boolean }; body: unknown };
}

/** Commands this client can send. */
export type DapCommand = keyof DapRequests;

/** Arguments of `initialize`: what the client supports. */
export interface InitializeArguments {
  clientID?: string;
  clientName?: string;
  adapterID: string;
  locale?: string;
  linesStartAt1?: boolean;
  columnsStartAt1?: boolean;
  pathFormat?: 'path' | 'uri';
  supportsVariableType?: boolean;
  supportsVariablePaging?: boolean;
  supportsRunInTerminalRequest?: boolean;
  supportsMemoryReferences?: boolean;
  supportsProgressReporting?: boolean;
  supportsInvalidatedEvent?: boolean;
  supportsMemoryEvent?: boolean;
  supportsArgsCanBeInterpretedByShell?: boolean;
  supportsStartDebuggingRequest?: boolean;
}

/** Events the adapter sends: body by event name. */
export interface DapEvents {
  initialized: undefined;
  stopped: {
    reason: string;
    description?: string;
    threadId?: number;
    preserveFocusHint?: boolean;
    text?: string;
    allThreadsStopped?: boolean;
    hitBreakpointIds?: number[];
  };
  continued: { threadId: number; allThreadsContinued?: boolean };
  exited: { exitCode: number };
  terminated: { restart?: unknown } | undefined;
  /** reason: 'started', 'exited', or an adapter's own word. */
  thread: { reason: string; threadId: number };
  output: {
    category?: string;
    output: string;
    group?: string;
    variablesReference?: number;
    source?: Source;
    line?: number;
    data?: unknown;
  };
  /** reason: 'changed', 'new', 'removed', or an adapter's own word. */
  breakpoint: { reason: string; breakpoint: DapBreakpoint };
  process: { name: string; systemProcessId?: number; isLocalProcess?: boolean; startMethod?: string; pointerSize?: number };
  module: { reason: string; module: unknown };
  loadedSource: { reason: string; source: Source };
  capabilities: { capabilities: Capabilities };
}

/** Events this client understands. */
export type DapEventName = keyof DapEvents;
