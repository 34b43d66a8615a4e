'use strict';
/**
 * Preloaded (`node --require`) into a debuggee by the Node runner's pipe channel (pipe-channel.ts).
 *
 * Connects the program to the debug server without a TCP port: a worker thread
 * (inspector-relay.cjs) attaches an inspector session to this main thread and relays CDP over a
 * pipe the server passed as an extra file descriptor. Until the server has installed its
 * breakpoints and sent `Runtime.runIfWaitingForDebugger`, this thread blocks here, so no line of
 * the program runs undebugged. Inspector messages are still served meanwhile: V8 runs them as
 * interrupts, which `Atomics.wait` honours.
 *
 * It also compiles (never runs) the main module's source as a "probe": the server asks V8 where
 * the probe's first statement is and puts a one-shot breakpoint there, which is how the program
 * stops on entry without `--inspect-brk`.
 *
 * Once the program may run, it installs source-map-hook.cjs (CommonJS modules with source maps)
 * and gives the program a console that does not report to the inspector (see useQuietConsole).
 *
 * At exit (uncaught exceptions included), the main thread waits (briefly) until the relay has
 * written everything the inspector sent before: the answer to a last `Debugger.resume`, logpoint
 * output… `node --inspect` keeps a finished program alive until the debugger detaches for the
 * same reason.
 *
 * Without the environment variable below it does nothing (e.g. in the program's own workers).
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');
const { isMainThread, Worker } = require('node:worker_threads');

// Keep these in sync with pipe-channel.ts, probe-entry.ts, inspector-relay.cjs and source-map-hook.cjs.
const FD_VARIABLE = 'DEBUG_SERVER_INSPECTOR_FD';
const PROBE_URL_PREFIX = 'debug-server-entry-probe:';
const GATE = 0;
const GATE_CLOSED = 0;
const GATE_OPEN = 1;
const FLUSH = 1;
const FLUSH_IDLE = 0;
const FLUSH_REQUESTED = 1;
/** Last resort when the relay can neither open nor abort (it crashed at start): leave, don't hang. */
const GATE_TIMEOUT_MS = 60_000;
/** At exit: a round trip through the inspector takes well under a millisecond. */
const FLUSH_TIMEOUT_MS = 2000;

if (isMainThread && process.env[FD_VARIABLE]) attach(Number(process.env[FD_VARIABLE]));

function attach(fd) {
  // The program, and any process it starts, must not inherit the variable.
  delete process.env[FD_VARIABLE];
  // [GATE]: may the program run? [FLUSH]: the exit handshake (see inspector-relay.cjs).
  // [HOOK]: is the server done with a source-mapped module (see source-map-hook.cjs)?
  const sync = new Int32Array(new SharedArrayBuffer(12));
  const relay = new Worker(path.join(__dirname, 'inspector-relay.cjs'), {
    workerData: { fd, sync },
    // Not the program's options, variables or streams: nothing of the relay may leak into them.
    execArgv: [],
    env: {},
    stdout: true,
    stderr: true,
    name: 'debug-server-inspector',
  });
  // The relay must neither keep the program alive nor crash it.
  relay.unref();
  relay.on('error', () => {});
  // Referenced until the gate opens, so Debugger.enable still reports the probe's script.
  const held = { probe: compileProbe() };
  Atomics.wait(sync, GATE, GATE_CLOSED, GATE_TIMEOUT_MS);
  held.probe = undefined;
  if (Atomics.load(sync, GATE) !== GATE_OPEN) {
    // The server went away (or never came): a program meant to run under a debugger does not run.
    process.stderr.write('debug-server: the debugger did not attach\n');
    process.exit(1);
  }
  require('./source-map-hook.cjs').install(sync);
  useQuietConsole();
  const flush = () => {
    // Not when the relay has detached (it then leaves FLUSH_IDLE).
    if (Atomics.compareExchange(sync, FLUSH, FLUSH_IDLE, FLUSH_REQUESTED) !== FLUSH_IDLE) return;
    relay.postMessage('flush');
    Atomics.wait(sync, FLUSH, FLUSH_REQUESTED, FLUSH_TIMEOUT_MS);
  };
  process.on('exit', flush);
}

/**
 * Gives the program a console that does not report to the inspector. With an inspector session
 * attached, Node's global console hands every call to V8's console as well, which records it
 * (a stack trace included) for a debugger that might ask: 300,000 `console.log` lines took
 * 660 ms instead of 190 ms. The server never asks (it reads stdout and stderr; logpoints use a
 * binding), so the program gets a plain `Console` on the same streams, method for method.
 */
function useQuietConsole() {
  const { Console } = require('node:console');
  const quiet = new Console({ stdout: process.stdout, stderr: process.stderr });
  for (const key of Object.keys(quiet)) {
    if (typeof quiet[key] === 'function' && typeof console[key] === 'function') console[key] = quiet[key];
  }
}

/** Compiles the main module as a CommonJS function; undefined when that is impossible (ES module syntax…). */
function compileProbe() {
  try {
    const main = require.resolve(path.resolve(process.argv[1]));
    // Node strips a BOM; a shebang line becomes blanks so that every position stays the same.
    const source = fs
      .readFileSync(main, 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/^#!.*/, (line) => ' '.repeat(line.length));
    // The leading line break puts the start of the probe outside any function the program
    // declares (`function f() {` at 1:1 would contain it): the server looks there for the
    // outermost function's first statement, and takes the line break off again.
    return vm.compileFunction(`\n${source}`, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: PROBE_URL_PREFIX + pathToFileURL(main).href,
    });
  } catch {
    return undefined; // The server then relies on its instrumentation breakpoint (ES modules).
  }
}
