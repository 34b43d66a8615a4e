'use strict';
/**
 * Worker thread started by inspector-preload.cjs: relays CDP between an inspector session on the
 * debuggee's main thread and the debug server, one JSON message per line on an inherited pipe.
 *
 * A pipe has no Nagle/delayed-ACK interplay (unlike the inspector's TCP socket) and no port other
 * local users could connect to. Requests keep the server's ids; responses and events are written
 * as V8 produced them (re-serialized: `inspector.Session` hands them over parsed).
 *
 * Exit handshake: the exiting main thread sets FLUSH_REQUESTED, posts 'flush' and waits. The
 * relay sends one more request through the session; its answer comes after everything the main
 * thread sent before, so once it is here and the pipe has taken all of it, FLUSH_DONE.
 *
 * One request is the relay's own, not V8's: RELEASE_HOOK_METHOD lets the main thread go on from
 * source-map-hook.cjs once the server has put breakpoints into a source-mapped module.
 */
const net = require('node:net');
const { Session } = require('node:inspector');
const { parentPort, workerData } = require('node:worker_threads');

// Keep these in sync with inspector-preload.cjs, source-map-hook.cjs and cdp-types.ts.
const GATE = 0;
const GATE_CLOSED = 0;
const GATE_OPEN = 1;
const GATE_ABORTED = 2;
const FLUSH = 1;
const FLUSH_REQUESTED = 1;
const FLUSH_DONE = 2;
const FLUSH_DETACHED = 3;
const HOOK = 2;
const HOOK_RELEASED = -1;
const HOOK_DETACHED = -2;
const RELEASE_HOOK_METHOD = 'DebugServer.releaseModuleHook';
/** The request after which the program may run (as after `node --inspect-brk`). */
const RUN_METHOD = 'Runtime.runIfWaitingForDebugger';
/** A request without effects, for its answer's place in the queue. */
const BARRIER_METHOD = 'Runtime.getIsolateId';

const { fd, sync } = workerData;
const session = new Session();
const pipe = new net.Socket({ fd, readable: true, writable: true });
let detached = false;

/** Lets the main thread go on: into the program (open) or out of the process (aborted). */
function release(state) {
  if (Atomics.compareExchange(sync, GATE, GATE_CLOSED, state) === GATE_CLOSED) Atomics.notify(sync, GATE);
}

/** Lets the main thread go on from source-map-hook.cjs, if it still waits for this announcement. */
function releaseHook(sequence) {
  if (typeof sequence !== 'number' || sequence <= 0) return;
  if (Atomics.compareExchange(sync, HOOK, sequence, HOOK_RELEASED) === sequence) Atomics.notify(sync, HOOK);
}

/** Ends the exit handshake (or makes sure none starts: the main thread checks for FLUSH_IDLE). */
function flushed(state) {
  Atomics.store(sync, FLUSH, state);
  Atomics.notify(sync, FLUSH);
}

function flush() {
  if (detached) return flushed(FLUSH_DETACHED);
  session.post(BARRIER_METHOD, () => {
    // An empty line (ignored by the server) whose callback runs once all before it is written.
    if (detached) flushed(FLUSH_DETACHED);
    else pipe.write('\n', () => flushed(FLUSH_DONE));
  });
}

function send(message) {
  if (!detached) pipe.write(`${JSON.stringify(message)}\n`);
}

/** `inspector.Session` reports protocol errors as "Inspector error <code>: <message>". */
function protocolError(error) {
  const match = /^Inspector error (-?\d+): ([\s\S]*)$/.exec(error.message);
  return match ? { code: Number(match[1]), message: match[2] } : { code: -32000, message: error.message };
}

function dispatch(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return; // Not a request; the server never sends such a line.
  }
  const { id, method, params } = request;
  if (method === RELEASE_HOOK_METHOD) {
    releaseHook(params && params.sequence);
    send({ id, result: {} });
    return;
  }
  try {
    session.post(method, params, (error, result) => {
      send(error ? { id, error: protocolError(error) } : { id, result: result ?? {} });
      if (!error && method === RUN_METHOD) release(GATE_OPEN);
    });
  } catch (error) {
    send({ id, error: { code: -32000, message: error instanceof Error ? error.message : String(error) } });
  }
}

/** The server is gone: let the program go on without a debugger (or not start at all). */
function detach() {
  if (detached) return;
  detached = true;
  try {
    session.disconnect(); // Resumes the main thread if it is paused.
  } catch {
    /* already disconnected */
  }
  release(GATE_ABORTED);
  // No server, no releases: the hook must not wait any more, now or later.
  Atomics.store(sync, HOOK, HOOK_DETACHED);
  Atomics.notify(sync, HOOK);
  if (Atomics.exchange(sync, FLUSH, FLUSH_DETACHED) === FLUSH_REQUESTED) Atomics.notify(sync, FLUSH);
  pipe.destroy();
}

session.connectToMainThread();
session.on('inspectorNotification', send);
parentPort.on('message', (message) => {
  if (message === 'flush') flush();
});
// Only the pipe keeps the relay alive.
parentPort.unref();

// Lines can be megabytes (big previews): collect chunks and join once per line.
let chunks = [];
pipe.setEncoding('utf8');
pipe.on('data', (text) => {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    chunks.push(text.slice(start, nl));
    dispatch(chunks.join(''));
    chunks = [];
    start = nl + 1;
  }
  if (start < text.length) chunks.push(text.slice(start));
});
pipe.on('error', detach);
pipe.on('close', detach);
