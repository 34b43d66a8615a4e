/**
 * The `port` channel: `node --inspect-brk` on a loopback port, CDP over a WebSocket. Node itself
 * pauses at the program's first statement ("Break on start") and waits for
 * `Runtime.runIfWaitingForDebugger` before that.
 *
 * Slow on Linux: the inspector writes each message separately with Nagle's algorithm on, so a
 * second message waits for the client's delayed ACK (~40 ms per step or evaluation).
 */
import type { CdpEvents } from './cdp-types.js';
import type { DebuggeeProcess } from './debuggee-process.js';
import type { EntryDetector, EntryVerdict, InspectorChannel } from './inspector-channel.js';
import { connectWebSocketTransport, type CdpTransport } from './transport.js';

/** Node's reason for the `--inspect-brk` pause at the program's first statement (Node 20). */
export const BREAK_ON_START = 'Break on start';

/** The `port` channel. */
export const portChannel: InspectorChannel = {
  name: 'port',
  // Loopback only, port 0: the OS picks a free port, nobody else on the network can attach.
  nodeArgs: ['--inspect-brk=127.0.0.1:0'],
  env: {},
  inspectorPipe: false,
  async connect(debuggee: DebuggeeProcess, timeoutMs: number): Promise<CdpTransport> {
    const url = await debuggee.inspectorUrl(timeoutMs);
    return connectWebSocketTransport(url, { timeoutMs });
  },
  entryDetector: () => new BreakOnStartEntry(),
};

/** Recognizes Node's own first pause. */
class BreakOnStartEntry implements EntryDetector {
  private seen = false;

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  classify(_cdp: unknown, pause: CdpEvents['Debugger.paused']): Promise<EntryVerdict> {
    if (pause.reason !== BREAK_ON_START || this.seen) return Promise.resolve('other');
    this.seen = true;
    return Promise.resolve('entry');
  }
}
