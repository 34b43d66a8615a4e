import type { Breakpoint, StackFrame } from '../runners/adapter.js';
import type { Runtime } from '../runners/runtimes.js';

/** A runtime's API name; the runtime registry (src/runners/runtimes.ts) lists them. */
export type { Runtime };

/** `STARTING → PAUSED ⇄ RUNNING → EXITED | TERMINATED | FAILED`; a restart goes back to STARTING. */
export type SessionState = 'STARTING' | 'RUNNING' | 'PAUSED' | 'EXITED' | 'TERMINATED' | 'FAILED';

export type StepKind = 'OVER' | 'INTO' | 'OUT';

/** Where and why the program is stopped. */
export interface StopInfo {
  reason: string;
  threadId: number;
  source: string | undefined;
  line: number | undefined;
  description: string | undefined;
  hitBreakpointIds: number[];
}

/** A stack frame with its opaque API id (`<stop>:<frame>`), valid until the program resumes. */
export type FrameView = StackFrame & { ref: string };

/** One variable of a snapshot or of an expanded reference. */
export interface VariableView {
  name: string;
  value: string;
  type: string | undefined;
  /** Opaque reference to expand children (DAP variablesReference), valid until the program resumes. */
  reference: string | undefined;
  indexedCount: number | undefined;
}

/** The top frame and its locals at one stop; computed once per stop. */
export interface VariableSnapshot {
  generation: number;
  reason: string;
  threadId: number;
  frame: FrameView;
  variables: VariableView[];
  /** Names whose value differs from the previous snapshot of the same generation (or are new). */
  changed: string[];
  /** True when the frame had more variables than the snapshot holds. */
  truncated: boolean;
}

export type SessionEventKind = 'STARTED' | 'STOPPED' | 'CONTINUED' | 'EXITED' | 'TERMINATED' | 'RESTARTED' | 'FAILED' | 'BREAKPOINT';

export interface SessionEvent {
  kind: SessionEventKind;
  state: SessionState;
  generation: number;
  stoppedAt: StopInfo | undefined;
  exitCode: number | undefined;
  breakpoint: Breakpoint | undefined;
  message: string | undefined;
  /** Milliseconds since the epoch. */
  time: number;
}

/** Validated, resolved input for a new session. */
export interface SessionSpec {
  runtime: Runtime;
  /** Absolute path inside the workspace. */
  program: string;
  args: string[];
  /** Absolute path inside the workspace. */
  cwd: string;
  env: Record<string, string>;
  stopOnEntry: boolean;
  /** The host's network (true) or, in a session box, a private loopback-only one (false). */
  network: boolean;
}

/** Tunables of a session (part of Config). */
export interface SessionLimits {
  /** Log buffer limits per session. */
  logBufferLines: number;
  logBufferBytes: number;
  /** Longest log line kept; longer lines are cut and marked. */
  maxLineLength: number;
  /** How long `step` and `pause` wait for the next stop before answering with the current state. */
  stopWaitMs: number;
  /** Default `eval` timeout. */
  evalTimeoutMs: number;
  /** Snapshot bounds: number of variables, length of each value. */
  snapshotMaxVariables: number;
  snapshotMaxValueLength: number;
}

/** What `eval` asks. */
export interface EvalRequest {
  expression: string;
  /** An opaque frame id (`FrameView.ref`); default: the top frame. */
  frameId?: string | undefined;
  timeoutMs?: number | undefined;
  sideEffectFree?: boolean | undefined;
}

/** Result of an `eval`. */
export interface EvalOutcome {
  value: string;
  type: string | undefined;
  error: string | undefined;
  reference: string | undefined;
}
