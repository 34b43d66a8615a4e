/**
 * How the runner reaches a debuggee's V8 inspector, and how it recognizes the program's first
 * statement there. One channel exists: `pipe` (pipe-channel.ts), a preloaded relay that speaks CDP
 * over an inherited pipe. No TCP port (nobody else on the machine can attach), and no
 * Nagle/delayed-ACK stalls (~0.5 ms per step instead of ~44 ms over `--inspect-brk`'s WebSocket;
 * docs/debugging.md). The interface stays so that another way in needs no change in the runner.
 */
import type { CdpConnection } from './cdp-connection.js';
import type { CdpEvents } from './cdp-types.js';
import type { DebuggeeProcess } from './debuggee-process.js';
import type { CdpTransport } from './transport.js';

/** Names of the available channels. */
export type InspectorChannelName = 'pipe';

/** What a pause means for the start of the program. */
export type EntryVerdict =
  /** The program's first statement: stop if asked to stop on entry, else resume (launch is done). */
  | 'entry'
  /** A pause of the entry machinery itself: resume at once; the program has not started yet. */
  | 'internal'
  /** Unrelated to the start. */
  | 'other';

/** Finds the program's first statement for one run. */
export interface EntryDetector {
  /** Called once the debugger is enabled and the breakpoints are in, before the program runs. */
  prepare(cdp: CdpConnection, scripts: ReadonlyMap<string, string>): Promise<void>;
  /** Classifies a pause (in arrival order, one at a time). */
  classify(cdp: CdpConnection, pause: CdpEvents['Debugger.paused']): Promise<EntryVerdict>;
}

/** A way to launch and connect to a debuggee's inspector. */
export interface InspectorChannel {
  readonly name: InspectorChannelName;
  /** Node options placed before the program. */
  readonly nodeArgs: readonly string[];
  /** Variables added to the debuggee's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the debuggee gets an inspector pipe as file descriptor 3. */
  readonly inspectorPipe: boolean;
  /** Opens the CDP transport to a freshly spawned debuggee. */
  connect(debuggee: DebuggeeProcess, timeoutMs: number): Promise<CdpTransport>;
  /** A new entry detector for one run. */
  entryDetector(): EntryDetector;
}
