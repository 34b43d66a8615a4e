/**
 * The `pipe` channel (the only one): no inspector port at all. `--require inspector-preload.cjs` starts
 * a worker thread in the debuggee that attaches to its main thread with
 * `inspector.Session#connectToMainThread()` and relays CDP over file descriptor 3, a pipe from
 * this server. The main thread waits in the preload until `Runtime.runIfWaitingForDebugger`.
 *
 * Measured here (2 cores, Node 20): step ~0.5 ms and evaluate ~0.25 ms per round trip, against
 * ~44 ms over the inspector's TCP socket (Nagle meets delayed ACK there; see docs/debugging.md).
 */
import { fileURLToPath } from 'node:url';
import type { BoxFile } from '../../sandbox/box.js';
import { RunnerError } from '../adapter.js';
import type { DebuggeeProcess } from './debuggee-process.js';
import type { InspectorChannel } from './inspector-channel.js';
import { pipeTransport } from './pipe-transport.js';
import { ProbeEntry } from './probe-entry.js';
import type { CdpTransport } from './transport.js';

/** Tells the preload which descriptor is the pipe (keep in sync with inspector-preload.cjs). */
export const INSPECTOR_FD_VARIABLE = 'DEBUG_SERVER_INSPECTOR_FD';
/** The inspector pipe's descriptor in the debuggee. */
const INSPECTOR_FD = 3;
/** Absolute path of the preload script. */
export const PRELOAD_PATH = fileURLToPath(new URL('./inspector-preload.cjs', import.meta.url));
/** Where a session box shows the preload and the files it loads (nothing else of the server). */
const BOX_DIR = '/run/debug-server/node';
/** The preload and its siblings, as a session box shows them (read-only). */
export const RUNNER_FILES: readonly BoxFile[] = ['inspector-preload.cjs', 'inspector-relay.cjs', 'source-map-hook.cjs'].map((name) => ({
  host: fileURLToPath(new URL(`./${name}`, import.meta.url)),
  box: `${BOX_DIR}/${name}`,
}));

/** The `pipe` channel. */
export const pipeChannel: InspectorChannel = {
  name: 'pipe',
  nodeArgs: ['--require', PRELOAD_PATH],
  env: { [INSPECTOR_FD_VARIABLE]: String(INSPECTOR_FD) },
  inspectorPipe: true,
  connect(debuggee: DebuggeeProcess): Promise<CdpTransport> {
    const pipe = debuggee.inspectorPipe;
    if (!pipe) return Promise.reject(new RunnerError('LAUNCH_FAILED', 'The debuggee has no inspector pipe'));
    return Promise.resolve(pipeTransport(pipe));
  },
  entryDetector: () => new ProbeEntry(),
};
