/**
 * Debug Adapter Protocol types for the DAP client, from `@vscode/debugprotocol` (the
 * specification's own declarations). Type-only: the package ships no code, so nothing here
 * exists at run time.
 *
 * What is ours: which requests the client sends and which events it understands (the maps below
 * name the official types), and `unknown` wherever the official types say `any`.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

/** `T`, except `unknown` for `any` (an unspecified body in the official types). */
type Known<T> = 0 extends 1 & T ? unknown : T;

/** A request (from the client, or a reverse request from the adapter). */
export type DapRequest = Omit<DebugProtocol.Request, 'arguments'> & { type: 'request'; arguments?: unknown };
/** The answer to a request, correlated by `request_seq`. */
export type DapResponse = Omit<DebugProtocol.Response, 'body'> & { type: 'response'; body?: unknown };
/** An event from the adapter. */
export type DapEvent = Omit<DebugProtocol.Event, 'body'> & { type: 'event'; body?: unknown };
/** Body of a failed response: a structured error message. */
export type ErrorResponseBody = DebugProtocol.ErrorResponse['body'];

export type Capabilities = DebugProtocol.Capabilities;
export type DapSourceBreakpoint = DebugProtocol.SourceBreakpoint;
export type DapBreakpoint = DebugProtocol.Breakpoint;
export type DapStackFrame = DebugProtocol.StackFrame;
export type DapVariable = DebugProtocol.Variable;

/**
 * Arguments of `launch`: the specification leaves them to each adapter, beyond `noDebug` and
 * `__restart`.
 */
export type LaunchArguments = DebugProtocol.LaunchRequestArguments & Record<string, unknown>;

/** Requests the client sends: command → [arguments, response]. */
interface Requests {
  initialize: [DebugProtocol.InitializeRequestArguments, DebugProtocol.InitializeResponse];
  launch: [LaunchArguments, DebugProtocol.LaunchResponse];
  attach: [DebugProtocol.AttachRequestArguments & Record<string, unknown>, DebugProtocol.AttachResponse];
  configurationDone: [DebugProtocol.ConfigurationDoneArguments, DebugProtocol.ConfigurationDoneResponse];
  setBreakpoints: [DebugProtocol.SetBreakpointsArguments, DebugProtocol.SetBreakpointsResponse];
  setExceptionBreakpoints: [DebugProtocol.SetExceptionBreakpointsArguments, DebugProtocol.SetExceptionBreakpointsResponse];
  threads: [Record<string, never>, DebugProtocol.ThreadsResponse];
  stackTrace: [DebugProtocol.StackTraceArguments, DebugProtocol.StackTraceResponse];
  scopes: [DebugProtocol.ScopesArguments, DebugProtocol.ScopesResponse];
  variables: [DebugProtocol.VariablesArguments, DebugProtocol.VariablesResponse];
  evaluate: [DebugProtocol.EvaluateArguments, DebugProtocol.EvaluateResponse];
  next: [DebugProtocol.NextArguments, DebugProtocol.NextResponse];
  stepIn: [DebugProtocol.StepInArguments, DebugProtocol.StepInResponse];
  stepOut: [DebugProtocol.StepOutArguments, DebugProtocol.StepOutResponse];
  continue: [DebugProtocol.ContinueArguments, DebugProtocol.ContinueResponse];
  pause: [DebugProtocol.PauseArguments, DebugProtocol.PauseResponse];
  exceptionInfo: [DebugProtocol.ExceptionInfoArguments, DebugProtocol.ExceptionInfoResponse];
  disconnect: [DebugProtocol.DisconnectArguments, DebugProtocol.DisconnectResponse];
  terminate: [DebugProtocol.TerminateArguments, DebugProtocol.TerminateResponse];
}

/** Requests the client sends: arguments and success body, by command. */
export type DapRequests = { [C in keyof Requests]: { args: Requests[C][0]; body: Known<Requests[C][1]['body']> } };

/** Commands this client can send. */
export type DapCommand = keyof DapRequests;

/** Events this client understands: event name → official event type. */
interface Events {
  initialized: DebugProtocol.InitializedEvent;
  stopped: DebugProtocol.StoppedEvent;
  continued: DebugProtocol.ContinuedEvent;
  exited: DebugProtocol.ExitedEvent;
  terminated: DebugProtocol.TerminatedEvent;
  thread: DebugProtocol.ThreadEvent;
  output: DebugProtocol.OutputEvent;
  breakpoint: DebugProtocol.BreakpointEvent;
  process: DebugProtocol.ProcessEvent;
  module: DebugProtocol.ModuleEvent;
  loadedSource: DebugProtocol.LoadedSourceEvent;
  capabilities: DebugProtocol.CapabilitiesEvent;
}

/** Events the adapter sends: body by event name. */
export type DapEvents = { [E in keyof Events]: Known<Events[E]['body']> };

/** Events this client understands. */
export type DapEventName = keyof DapEvents;
