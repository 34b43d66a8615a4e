/**
 * DAP's launch handshake for one run: `initialize`, `launch`, the `initialized` event, the
 * configuration (breakpoints, exception filters), `configurationDone`, and the first stop.
 */
import { RunnerError } from '../adapter.js';
import type { DapLauncher } from './dap-launcher.js';
import { STARTUP_TIMEOUT_MS, type Run } from './dap-run.js';
import type { Capabilities } from './protocol.js';
import { deferred, withTimeout } from '../run-lifecycle.js';

/** Time for the program to reach its first stop (entry) once launched. */
const FIRST_STOP_TIMEOUT_MS = 30_000;

/** What the handshake asks of the runner. */
export interface HandshakeSteps {
  /** The adapter answered `initialize` with these capabilities. */
  adoptCapabilities(capabilities: Capabilities): void;
  /** `initialized` came: send the breakpoints and exception filters. */
  configure(): Promise<void>;
}

/**
 * Runs the launch handshake of a freshly opened run (see the module comment). Resolves once the
 * program runs or stopped; rejects if the session ended or a step failed (the caller ends the run).
 */
export async function handshake(run: Run, launcher: DapLauncher, steps: HandshakeSteps): Promise<void> {
  const { client, options } = run;
  const initialized = deferred();
  client.on('initialized', () => initialized.resolve());
  const ended = run.endProcessed.promise.then(() => {
    throw new RunnerError('LAUNCH_FAILED', 'The debug session ended during launch');
  });
  ended.catch(() => {});
  const capabilities =
    (await Promise.race([
      client.request(
        'initialize',
        {
          clientID: 'debug-server',
          clientName: 'debug-server',
          adapterID: launcher.adapterId,
          locale: 'en-US',
          linesStartAt1: true,
          columnsStartAt1: true,
          pathFormat: 'path',
          supportsVariableType: true,
          supportsVariablePaging: true,
          supportsRunInTerminalRequest: false,
          supportsStartDebuggingRequest: false,
          supportsMemoryReferences: false,
          supportsProgressReporting: false,
          supportsInvalidatedEvent: false,
        },
        { timeoutMs: STARTUP_TIMEOUT_MS },
      ),
      ended,
    ])) ?? {};
  steps.adoptCapabilities(capabilities);
  // Not awaited yet: debugpy answers `launch` only after configurationDone.
  const launched = client.request('launch', launcher.launchArguments(options, launcher.stopsOnEntry || options.stopOnEntry), {
    timeoutMs: STARTUP_TIMEOUT_MS,
  });
  launched.catch(() => {});
  // `initialized` may come before or after the launch response; a failed launch ends the wait.
  await withTimeout(
    Promise.race([initialized.promise, launched.then(() => initialized.promise), ended]),
    STARTUP_TIMEOUT_MS,
    'initialized event',
  );
  run.configurable = true;
  await steps.configure();
  if (capabilities.supportsConfigurationDoneRequest) await client.request('configurationDone', {});
  await Promise.race([launched, ended]);
  // With an entry stop, launch returns once it was handled (reported, or resumed past).
  if (launcher.stopsOnEntry) await withTimeout(run.started.promise, FIRST_STOP_TIMEOUT_MS, 'first stop');
  else run.started.resolve();
}
