/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type BreakpointInput = {
  /** Stop only when this expression is truthy. */
  condition?: string | null | undefined;
  /** Stop only on matching hits: "5", ">= 5", "% 2". */
  hitCondition?: string | null | undefined;
  /** 1-based line. */
  line: number;
  /** Logpoint: log this ({expr} interpolated) instead of stopping. */
  logMessage?: string | null | undefined;
};

export type CreateSessionInput = {
  /** Arguments for the program. */
  args?: Array<string> | null | undefined;
  /** Breakpoints to install before the program runs. */
  breakpoints?: Array<SourceBreakpointInput> | null | undefined;
  /** Working directory inside the workspace (default: the workspace root). */
  cwd?: string | null | undefined;
  /** Extra environment variables. Loader, shell, interpreter and debugger families (LD_*, NODE_* but NODE_ENV, PYTHON* but PYTHONUNBUFFERED/PYTHONIOENCODING, DEBUGPY_*, …) are refused with BAD_USER_INPUT. */
  env?: Array<EnvVarInput> | null | undefined;
  /** Exceptions that stop the program (default: none). */
  exceptionFilters?: Array<ExceptionFilter> | null | undefined;
  /** The host's network (true, the default: debug servers and clients). false: the session box gets a network of its own with loopback only. */
  network?: boolean | null | undefined;
  /** Path of the program, relative to the workspace or absolute inside it. */
  program: string;
  runtime: Runtime;
  /** Stop at the first line (default false). */
  stopOnEntry?: boolean | null | undefined;
};

export type EnvVarInput = {
  name: string;
  value: string;
};

/** Which exceptions stop the program. */
export type ExceptionFilter =
  /** Every exception when it is thrown (raised), caught or not. */
  | 'ALL'
  /** Exceptions nothing catches. */
  | 'UNCAUGHT';

export type LogStream =
  /** Debugger output: logpoint messages. */
  | 'CONSOLE'
  /** The debuggee's standard error. */
  | 'STDERR'
  /** The debuggee's standard output. */
  | 'STDOUT'
  /** debug-server itself: exits, restarts, lost lines. */
  | 'SYSTEM';

/** The language runtime a session debugs. */
export type Runtime =
  /** Node.js, through the V8 Inspector protocol. */
  | 'NODE'
  /** Python, through the Debug Adapter Protocol (debugpy). */
  | 'PYTHON';

export type SessionEventKind =
  /** A breakpoint changed (e.g. bound when its file loaded). */
  | 'BREAKPOINT'
  | 'CONTINUED'
  | 'EXITED'
  | 'FAILED'
  | 'RESTARTED'
  | 'STARTED'
  | 'STOPPED'
  | 'TERMINATED';

/** STARTING → PAUSED ⇄ RUNNING → EXITED | TERMINATED | FAILED; a restart goes back to STARTING. */
export type SessionState =
  /** The program ended by itself; `exitCode` says how. It can be restarted. */
  | 'EXITED'
  /** The program could not start, died before the debugger took control, was killed by a signal, or the debugger failed. It can be restarted. */
  | 'FAILED'
  /** The program is stopped: step, eval and inspect. */
  | 'PAUSED'
  /** The program runs. */
  | 'RUNNING'
  /** The debuggee is being launched. */
  | 'STARTING'
  /** The session was ended by a client or by the server. Final. */
  | 'TERMINATED';

export type SourceBreakpointInput = {
  condition?: string | null | undefined;
  hitCondition?: string | null | undefined;
  line: number;
  logMessage?: string | null | undefined;
  /** File path, relative to the session cwd or absolute. */
  source: string;
};

export type StepKind =
  /** Step into the call on this line (DAP `stepIn`). */
  | 'INTO'
  /** Run until the current function returns (DAP `stepOut`). */
  | 'OUT'
  /** Run to the next line of the current function (DAP `next`). */
  | 'OVER';

export type ConformanceStopFragment = { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> };

export type ConformanceSessionFragment = { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null };

export type ConformanceBreakpointFragment = { id: string, verified: boolean, source: string, line: number, requestedLine: number, condition: string | null, hitCondition: string | null, logMessage: string | null, message: string | null };

export type ConformanceCreateMutationVariables = Exact<{
  input: CreateSessionInput;
}>;


export type ConformanceCreateMutation = { createSession: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, breakpoints: Array<{ id: string, verified: boolean, source: string, line: number, requestedLine: number, condition: string | null, hitCondition: string | null, logMessage: string | null, message: string | null }>, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformanceSessionQueryVariables = Exact<{
  id: string;
}>;


export type ConformanceSessionQuery = { session: { exceptionFilters: Array<ExceptionFilter>, id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, breakpoints: Array<{ id: string, verified: boolean, source: string, line: number, requestedLine: number, condition: string | null, hitCondition: string | null, logMessage: string | null, message: string | null }>, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } | null };

export type ConformanceThreadsQueryVariables = Exact<{
  id: string;
}>;


export type ConformanceThreadsQuery = { session: { id: string, state: SessionState, threads: Array<{ id: string, name: string }> } | null };

export type ConformanceStackQueryVariables = Exact<{
  id: string;
  threadId?: string | null | undefined;
}>;


export type ConformanceStackQuery = { session: { id: string, state: SessionState, stackTrace: Array<{ id: string, name: string, source: string | null, line: number, column: number | null }> } | null };

export type ConformanceScopesQueryVariables = Exact<{
  id: string;
  frameId: string;
}>;


export type ConformanceScopesQuery = { session: { id: string, scopes: Array<{ name: string, reference: string | null, expensive: boolean }> } | null };

export type ConformanceVariablesQueryVariables = Exact<{
  id: string;
  reference: string;
  first?: number | null | undefined;
  after?: number | null | undefined;
}>;


export type ConformanceVariablesQuery = { session: { id: string, variables: Array<{ name: string, value: string, type: string | null, reference: string | null, indexedCount: number | null }> } | null };

export type ConformanceLogsQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type ConformanceLogsQuery = { session: { id: string, logs: { nextCursor: string | null, lost: number, hasMore: boolean, lines: Array<{ seq: string, stream: LogStream, text: string, generation: number }> } } | null };

export type ConformanceStepMutationVariables = Exact<{
  id: string;
  kind?: StepKind | null | undefined;
  threadId?: string | null | undefined;
}>;


export type ConformanceStepMutation = { step: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, snapshot: { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> } | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformanceContinueMutationVariables = Exact<{
  id: string;
  threadId?: string | null | undefined;
}>;


export type ConformanceContinueMutation = { continue: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformancePauseMutationVariables = Exact<{
  id: string;
}>;


export type ConformancePauseMutation = { pause: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformanceEvalMutationVariables = Exact<{
  id: string;
  expression: string;
  frameId?: string | null | undefined;
}>;


export type ConformanceEvalMutation = { eval: { value: string, type: string | null, error: string | null, variablesReference: string | null } };

export type ConformanceSetBreakpointsMutationVariables = Exact<{
  id: string;
  source: string;
  breakpoints: Array<BreakpointInput> | BreakpointInput;
}>;


export type ConformanceSetBreakpointsMutation = { setBreakpoints: Array<{ id: string, verified: boolean, source: string, line: number, requestedLine: number, condition: string | null, hitCondition: string | null, logMessage: string | null, message: string | null }> };

export type ConformanceSetExceptionBreakpointsMutationVariables = Exact<{
  id: string;
  filters: Array<ExceptionFilter> | ExceptionFilter;
}>;


export type ConformanceSetExceptionBreakpointsMutation = { setExceptionBreakpoints: { id: string, exceptionFilters: Array<ExceptionFilter> } };

export type ConformanceRestartMutationVariables = Exact<{
  id: string;
}>;


export type ConformanceRestartMutation = { restartSession: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformanceTerminateMutationVariables = Exact<{
  id: string;
}>;


export type ConformanceTerminateMutation = { terminateSession: { id: string, runtime: Runtime, state: SessionState, program: string, generation: number, exitCode: number | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null } };

export type ConformanceEventsSubscriptionVariables = Exact<{
  id: string;
}>;


export type ConformanceEventsSubscription = { sessionEvents: { kind: SessionEventKind, state: SessionState, generation: number, exitCode: number | null, message: string | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null, hitBreakpointIds: Array<string> } | null, breakpoint: { id: string, verified: boolean, source: string, line: number, requestedLine: number, condition: string | null, hitCondition: string | null, logMessage: string | null, message: string | null } | null } };

export type ConformanceCurrentSnapshotQueryVariables = Exact<{
  id: string;
}>;


export type ConformanceCurrentSnapshotQuery = { session: { id: string, snapshot: { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> } | null } | null };

export type SessionFieldsFragment = { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null };

export type CreateSessionMutationVariables = Exact<{
  input: CreateSessionInput;
}>;


export type CreateSessionMutation = { createSession: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type GetSessionQueryVariables = Exact<{
  id: string;
}>;


export type GetSessionQuery = { session: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, threads: Array<{ id: string, name: string }>, breakpoints: Array<{ id: string, verified: boolean, line: number, source: string }>, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } | null };

export type ListSessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ListSessionsQuery = { sessions: Array<{ id: string, state: SessionState }> };

export type StackTraceQueryVariables = Exact<{
  id: string;
}>;


export type StackTraceQuery = { session: { id: string, state: SessionState, stackTrace: Array<{ id: string, name: string, source: string | null, line: number, column: number | null }> } | null };

export type ScopesQueryVariables = Exact<{
  id: string;
  frameId: string;
}>;


export type ScopesQuery = { session: { scopes: Array<{ name: string, reference: string | null, expensive: boolean }> } | null };

export type VariablesQueryVariables = Exact<{
  id: string;
  reference: string;
  first?: number | null | undefined;
  after?: number | null | undefined;
}>;


export type VariablesQuery = { session: { variables: Array<{ name: string, value: string, type: string | null, reference: string | null, indexedCount: number | null }> } | null };

export type SnapshotQueryVariables = Exact<{
  id: string;
}>;


export type SnapshotQuery = { session: { snapshot: { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> } | null } | null };

export type LogsQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type LogsQuery = { session: { logs: { nextCursor: string | null, lost: number, hasMore: boolean, lines: Array<{ seq: string, stream: LogStream, text: string, generation: number }> } } | null };

export type StepMutationVariables = Exact<{
  id: string;
  kind?: StepKind | null | undefined;
}>;


export type StepMutation = { step: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, snapshot: { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> } | null, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type ContinueMutationVariables = Exact<{
  id: string;
}>;


export type ContinueMutation = { continue: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type PauseMutationVariables = Exact<{
  id: string;
}>;


export type PauseMutation = { pause: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type EvalMutationVariables = Exact<{
  id: string;
  expression: string;
  frameId?: string | null | undefined;
  timeoutMs?: number | null | undefined;
}>;


export type EvalMutation = { eval: { value: string, type: string | null, error: string | null, variablesReference: string | null } };

export type SetBreakpointsMutationVariables = Exact<{
  id: string;
  source: string;
  breakpoints: Array<BreakpointInput> | BreakpointInput;
}>;


export type SetBreakpointsMutation = { setBreakpoints: Array<{ id: string, verified: boolean, line: number, requestedLine: number, source: string, message: string | null }> };

export type RestartSessionMutationVariables = Exact<{
  id: string;
}>;


export type RestartSessionMutation = { restartSession: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type TerminateSessionMutationVariables = Exact<{
  id: string;
}>;


export type TerminateSessionMutation = { terminateSession: { id: string, runtime: Runtime, state: SessionState, program: string, owner: string, generation: number, exitCode: number | null, createdAt: string, stoppedAt: { reason: string, threadId: string | null, source: string | null, line: number | null, description: string | null } | null } };

export type SetExceptionBreakpointsMutationVariables = Exact<{
  id: string;
  filters: Array<ExceptionFilter> | ExceptionFilter;
}>;


export type SetExceptionBreakpointsMutation = { setExceptionBreakpoints: { id: string, exceptionFilters: Array<ExceptionFilter> } };

export type SnapshotFieldsFragment = { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> };

export type LogLinesSubscriptionVariables = Exact<{
  id: string;
  after?: string | null | undefined;
}>;


export type LogLinesSubscription = { logLines: Array<{ seq: string, stream: LogStream, text: string, generation: number }> };

export type SessionEventsSubscriptionVariables = Exact<{
  id: string;
}>;


export type SessionEventsSubscription = { sessionEvents: { kind: SessionEventKind, state: SessionState, generation: number, exitCode: number | null, message: string | null, stoppedAt: { reason: string, line: number | null, source: string | null } | null } };

export type VariableSnapshotsSubscriptionVariables = Exact<{
  id: string;
}>;


export type VariableSnapshotsSubscription = { variableSnapshots: { generation: number, reason: string, threadId: string | null, changed: Array<string>, truncated: boolean, frame: { id: string, name: string, source: string | null, line: number }, variables: Array<{ name: string, value: string, type: string | null, reference: string | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConformanceStopFragmentDoc = new TypedDocumentString(`
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
    `, {"fragmentName":"ConformanceStop"}) as unknown as TypedDocumentString<ConformanceStopFragment, unknown>;
export const ConformanceSessionFragmentDoc = new TypedDocumentString(`
    fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}`, {"fragmentName":"ConformanceSession"}) as unknown as TypedDocumentString<ConformanceSessionFragment, unknown>;
export const ConformanceBreakpointFragmentDoc = new TypedDocumentString(`
    fragment ConformanceBreakpoint on Breakpoint {
  id
  verified
  source
  line
  requestedLine
  condition
  hitCondition
  logMessage
  message
}
    `, {"fragmentName":"ConformanceBreakpoint"}) as unknown as TypedDocumentString<ConformanceBreakpointFragment, unknown>;
export const SessionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}
    `, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const SnapshotFieldsFragmentDoc = new TypedDocumentString(`
    fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}
    `, {"fragmentName":"SnapshotFields"}) as unknown as TypedDocumentString<SnapshotFieldsFragment, unknown>;
export const ConformanceCreateDocument = new TypedDocumentString(`
    mutation ConformanceCreate($input: CreateSessionInput!) {
  createSession(input: $input) {
    ...ConformanceSession
    breakpoints {
      ...ConformanceBreakpoint
    }
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}
fragment ConformanceBreakpoint on Breakpoint {
  id
  verified
  source
  line
  requestedLine
  condition
  hitCondition
  logMessage
  message
}`) as unknown as TypedDocumentString<ConformanceCreateMutation, ConformanceCreateMutationVariables>;
export const ConformanceSessionDocument = new TypedDocumentString(`
    query ConformanceSession($id: ID!) {
  session(id: $id) {
    ...ConformanceSession
    exceptionFilters
    breakpoints {
      ...ConformanceBreakpoint
    }
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}
fragment ConformanceBreakpoint on Breakpoint {
  id
  verified
  source
  line
  requestedLine
  condition
  hitCondition
  logMessage
  message
}`) as unknown as TypedDocumentString<ConformanceSessionQuery, ConformanceSessionQueryVariables>;
export const ConformanceThreadsDocument = new TypedDocumentString(`
    query ConformanceThreads($id: ID!) {
  session(id: $id) {
    id
    state
    threads {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConformanceThreadsQuery, ConformanceThreadsQueryVariables>;
export const ConformanceStackDocument = new TypedDocumentString(`
    query ConformanceStack($id: ID!, $threadId: ID) {
  session(id: $id) {
    id
    state
    stackTrace(threadId: $threadId) {
      id
      name
      source
      line
      column
    }
  }
}
    `) as unknown as TypedDocumentString<ConformanceStackQuery, ConformanceStackQueryVariables>;
export const ConformanceScopesDocument = new TypedDocumentString(`
    query ConformanceScopes($id: ID!, $frameId: ID!) {
  session(id: $id) {
    id
    scopes(frameId: $frameId) {
      name
      reference
      expensive
    }
  }
}
    `) as unknown as TypedDocumentString<ConformanceScopesQuery, ConformanceScopesQueryVariables>;
export const ConformanceVariablesDocument = new TypedDocumentString(`
    query ConformanceVariables($id: ID!, $reference: ID!, $first: Int, $after: Int) {
  session(id: $id) {
    id
    variables(reference: $reference, first: $first, after: $after) {
      name
      value
      type
      reference
      indexedCount
    }
  }
}
    `) as unknown as TypedDocumentString<ConformanceVariablesQuery, ConformanceVariablesQueryVariables>;
export const ConformanceLogsDocument = new TypedDocumentString(`
    query ConformanceLogs($id: ID!, $after: String, $first: Int) {
  session(id: $id) {
    id
    logs(after: $after, first: $first) {
      lines {
        seq
        stream
        text
        generation
      }
      nextCursor
      lost
      hasMore
    }
  }
}
    `) as unknown as TypedDocumentString<ConformanceLogsQuery, ConformanceLogsQueryVariables>;
export const ConformanceStepDocument = new TypedDocumentString(`
    mutation ConformanceStep($id: ID!, $kind: StepKind, $threadId: ID) {
  step(sessionId: $id, kind: $kind, threadId: $threadId) {
    ...ConformanceSession
    snapshot {
      ...SnapshotFields
    }
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}
fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}`) as unknown as TypedDocumentString<ConformanceStepMutation, ConformanceStepMutationVariables>;
export const ConformanceContinueDocument = new TypedDocumentString(`
    mutation ConformanceContinue($id: ID!, $threadId: ID) {
  continue(sessionId: $id, threadId: $threadId) {
    ...ConformanceSession
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}`) as unknown as TypedDocumentString<ConformanceContinueMutation, ConformanceContinueMutationVariables>;
export const ConformancePauseDocument = new TypedDocumentString(`
    mutation ConformancePause($id: ID!) {
  pause(sessionId: $id) {
    ...ConformanceSession
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}`) as unknown as TypedDocumentString<ConformancePauseMutation, ConformancePauseMutationVariables>;
export const ConformanceEvalDocument = new TypedDocumentString(`
    mutation ConformanceEval($id: ID!, $expression: String!, $frameId: ID) {
  eval(sessionId: $id, expression: $expression, frameId: $frameId) {
    value
    type
    error
    variablesReference
  }
}
    `) as unknown as TypedDocumentString<ConformanceEvalMutation, ConformanceEvalMutationVariables>;
export const ConformanceSetBreakpointsDocument = new TypedDocumentString(`
    mutation ConformanceSetBreakpoints($id: ID!, $source: String!, $breakpoints: [BreakpointInput!]!) {
  setBreakpoints(sessionId: $id, source: $source, breakpoints: $breakpoints) {
    ...ConformanceBreakpoint
  }
}
    fragment ConformanceBreakpoint on Breakpoint {
  id
  verified
  source
  line
  requestedLine
  condition
  hitCondition
  logMessage
  message
}`) as unknown as TypedDocumentString<ConformanceSetBreakpointsMutation, ConformanceSetBreakpointsMutationVariables>;
export const ConformanceSetExceptionBreakpointsDocument = new TypedDocumentString(`
    mutation ConformanceSetExceptionBreakpoints($id: ID!, $filters: [ExceptionFilter!]!) {
  setExceptionBreakpoints(sessionId: $id, filters: $filters) {
    id
    exceptionFilters
  }
}
    `) as unknown as TypedDocumentString<ConformanceSetExceptionBreakpointsMutation, ConformanceSetExceptionBreakpointsMutationVariables>;
export const ConformanceRestartDocument = new TypedDocumentString(`
    mutation ConformanceRestart($id: ID!) {
  restartSession(sessionId: $id) {
    ...ConformanceSession
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}`) as unknown as TypedDocumentString<ConformanceRestartMutation, ConformanceRestartMutationVariables>;
export const ConformanceTerminateDocument = new TypedDocumentString(`
    mutation ConformanceTerminate($id: ID!) {
  terminateSession(sessionId: $id) {
    ...ConformanceSession
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceSession on DebugSession {
  id
  runtime
  state
  program
  generation
  exitCode
  stoppedAt {
    ...ConformanceStop
  }
}`) as unknown as TypedDocumentString<ConformanceTerminateMutation, ConformanceTerminateMutationVariables>;
export const ConformanceEventsDocument = new TypedDocumentString(`
    subscription ConformanceEvents($id: ID!) {
  sessionEvents(sessionId: $id) {
    kind
    state
    generation
    exitCode
    message
    stoppedAt {
      ...ConformanceStop
    }
    breakpoint {
      ...ConformanceBreakpoint
    }
  }
}
    fragment ConformanceStop on StopInfo {
  reason
  threadId
  source
  line
  description
  hitBreakpointIds
}
fragment ConformanceBreakpoint on Breakpoint {
  id
  verified
  source
  line
  requestedLine
  condition
  hitCondition
  logMessage
  message
}`) as unknown as TypedDocumentString<ConformanceEventsSubscription, ConformanceEventsSubscriptionVariables>;
export const ConformanceCurrentSnapshotDocument = new TypedDocumentString(`
    query ConformanceCurrentSnapshot($id: ID!) {
  session(id: $id) {
    id
    snapshot {
      ...SnapshotFields
    }
  }
}
    fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}`) as unknown as TypedDocumentString<ConformanceCurrentSnapshotQuery, ConformanceCurrentSnapshotQueryVariables>;
export const CreateSessionDocument = new TypedDocumentString(`
    mutation CreateSession($input: CreateSessionInput!) {
  createSession(input: $input) {
    ...SessionFields
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<CreateSessionMutation, CreateSessionMutationVariables>;
export const GetSessionDocument = new TypedDocumentString(`
    query GetSession($id: ID!) {
  session(id: $id) {
    ...SessionFields
    threads {
      id
      name
    }
    breakpoints {
      id
      verified
      line
      source
    }
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<GetSessionQuery, GetSessionQueryVariables>;
export const ListSessionsDocument = new TypedDocumentString(`
    query ListSessions {
  sessions {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ListSessionsQuery, ListSessionsQueryVariables>;
export const StackTraceDocument = new TypedDocumentString(`
    query StackTrace($id: ID!) {
  session(id: $id) {
    id
    state
    stackTrace {
      id
      name
      source
      line
      column
    }
  }
}
    `) as unknown as TypedDocumentString<StackTraceQuery, StackTraceQueryVariables>;
export const ScopesDocument = new TypedDocumentString(`
    query Scopes($id: ID!, $frameId: ID!) {
  session(id: $id) {
    scopes(frameId: $frameId) {
      name
      reference
      expensive
    }
  }
}
    `) as unknown as TypedDocumentString<ScopesQuery, ScopesQueryVariables>;
export const VariablesDocument = new TypedDocumentString(`
    query Variables($id: ID!, $reference: ID!, $first: Int, $after: Int) {
  session(id: $id) {
    variables(reference: $reference, first: $first, after: $after) {
      name
      value
      type
      reference
      indexedCount
    }
  }
}
    `) as unknown as TypedDocumentString<VariablesQuery, VariablesQueryVariables>;
export const SnapshotDocument = new TypedDocumentString(`
    query Snapshot($id: ID!) {
  session(id: $id) {
    snapshot {
      ...SnapshotFields
    }
  }
}
    fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}`) as unknown as TypedDocumentString<SnapshotQuery, SnapshotQueryVariables>;
export const LogsDocument = new TypedDocumentString(`
    query Logs($id: ID!, $after: String, $first: Int) {
  session(id: $id) {
    logs(after: $after, first: $first) {
      lines {
        seq
        stream
        text
        generation
      }
      nextCursor
      lost
      hasMore
    }
  }
}
    `) as unknown as TypedDocumentString<LogsQuery, LogsQueryVariables>;
export const StepDocument = new TypedDocumentString(`
    mutation Step($id: ID!, $kind: StepKind) {
  step(sessionId: $id, kind: $kind) {
    ...SessionFields
    snapshot {
      ...SnapshotFields
    }
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}
fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}`) as unknown as TypedDocumentString<StepMutation, StepMutationVariables>;
export const ContinueDocument = new TypedDocumentString(`
    mutation Continue($id: ID!) {
  continue(sessionId: $id) {
    ...SessionFields
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<ContinueMutation, ContinueMutationVariables>;
export const PauseDocument = new TypedDocumentString(`
    mutation Pause($id: ID!) {
  pause(sessionId: $id) {
    ...SessionFields
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<PauseMutation, PauseMutationVariables>;
export const EvalDocument = new TypedDocumentString(`
    mutation Eval($id: ID!, $expression: String!, $frameId: ID, $timeoutMs: Int) {
  eval(
    sessionId: $id
    expression: $expression
    frameId: $frameId
    timeoutMs: $timeoutMs
  ) {
    value
    type
    error
    variablesReference
  }
}
    `) as unknown as TypedDocumentString<EvalMutation, EvalMutationVariables>;
export const SetBreakpointsDocument = new TypedDocumentString(`
    mutation SetBreakpoints($id: ID!, $source: String!, $breakpoints: [BreakpointInput!]!) {
  setBreakpoints(sessionId: $id, source: $source, breakpoints: $breakpoints) {
    id
    verified
    line
    requestedLine
    source
    message
  }
}
    `) as unknown as TypedDocumentString<SetBreakpointsMutation, SetBreakpointsMutationVariables>;
export const RestartSessionDocument = new TypedDocumentString(`
    mutation RestartSession($id: ID!) {
  restartSession(sessionId: $id) {
    ...SessionFields
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<RestartSessionMutation, RestartSessionMutationVariables>;
export const TerminateSessionDocument = new TypedDocumentString(`
    mutation TerminateSession($id: ID!) {
  terminateSession(sessionId: $id) {
    ...SessionFields
  }
}
    fragment SessionFields on DebugSession {
  id
  runtime
  state
  program
  owner
  generation
  exitCode
  createdAt
  stoppedAt {
    reason
    threadId
    source
    line
    description
  }
}`) as unknown as TypedDocumentString<TerminateSessionMutation, TerminateSessionMutationVariables>;
export const SetExceptionBreakpointsDocument = new TypedDocumentString(`
    mutation SetExceptionBreakpoints($id: ID!, $filters: [ExceptionFilter!]!) {
  setExceptionBreakpoints(sessionId: $id, filters: $filters) {
    id
    exceptionFilters
  }
}
    `) as unknown as TypedDocumentString<SetExceptionBreakpointsMutation, SetExceptionBreakpointsMutationVariables>;
export const LogLinesDocument = new TypedDocumentString(`
    subscription LogLines($id: ID!, $after: String) {
  logLines(sessionId: $id, after: $after) {
    seq
    stream
    text
    generation
  }
}
    `) as unknown as TypedDocumentString<LogLinesSubscription, LogLinesSubscriptionVariables>;
export const SessionEventsDocument = new TypedDocumentString(`
    subscription SessionEvents($id: ID!) {
  sessionEvents(sessionId: $id) {
    kind
    state
    generation
    exitCode
    message
    stoppedAt {
      reason
      line
      source
    }
  }
}
    `) as unknown as TypedDocumentString<SessionEventsSubscription, SessionEventsSubscriptionVariables>;
export const VariableSnapshotsDocument = new TypedDocumentString(`
    subscription VariableSnapshots($id: ID!) {
  variableSnapshots(sessionId: $id) {
    ...SnapshotFields
  }
}
    fragment SnapshotFields on VariableSnapshot {
  generation
  reason
  threadId
  frame {
    id
    name
    source
    line
  }
  variables {
    name
    value
    type
    reference
  }
  changed
  truncated
}`) as unknown as TypedDocumentString<VariableSnapshotsSubscription, VariableSnapshotsSubscriptionVariables>;