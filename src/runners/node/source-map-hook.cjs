'use strict';
/**
 * Installed into a debuggee by inspector-preload.cjs: tells the server about each CommonJS module
 * that names a source map, and waits until the server has put the breakpoints of the module's
 * original files (`.ts`…) into it, before Node compiles and runs it.
 *
 * V8 can pause before an ES module with a source map runs (an instrumentation breakpoint), but
 * Node compiles CommonJS modules as functions, for which V8 has no such pause. A debugger pause
 * would not do here either: it would cut short a step the user is taking over `require(…)`. So
 * the hook calls a binding the server added (`Runtime.addBinding`), whose call reaches the server
 * as an event, and blocks until the server's release comes through the relay
 * (inspector-relay.cjs). Meanwhile V8 still serves the server's inspector requests: they run as
 * interrupts, which `Atomics.wait` honours.
 */
const Module = require('node:module');
const { pathToFileURL } = require('node:url');

// Keep these in sync with inspector-relay.cjs and node-runner.ts.
const BINDING = '__debugServerSourceMappedModule';
const HOOK = 2;
const HOOK_IDLE = 0;
const HOOK_RELEASED = -1;
/** Announcement numbers, the value of [HOOK] while the server works on one. */
const MAX_SEQUENCE = 2 ** 31 - 1;
let lastSequence = 0;
/** Loading a big map takes the server milliseconds; past this, run the module without waiting. */
const HOOK_TIMEOUT_MS = 10_000;

/** The value of the last `//# sourceMappingURL=` comment (the one V8 takes), if any. */
function sourceMappingUrl(content) {
  const at = content.lastIndexOf('sourceMappingURL=');
  if (at < 4 || !/\/[/*][#@]\s*$/.test(content.slice(Math.max(0, at - 8), at))) return undefined;
  const match = /^[^\s*]+/.exec(content.slice(at + 'sourceMappingURL='.length));
  return match ? match[0] : undefined;
}

/**
 * @param sync the preload's shared flags: [HOOK] is the number of the announcement the server
 *   works on (so that a late release, after a timeout, cannot let a later module go before its
 *   breakpoints are in), HOOK_IDLE, HOOK_RELEASED, or HOOK_DETACHED for good once the server is
 *   gone (nobody would release a wait then)
 */
function install(sync) {
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, ...rest) {
    const notify = globalThis[BINDING];
    if (typeof notify === 'function' && typeof content === 'string' && typeof filename === 'string') {
      const sourceMapUrl = sourceMappingUrl(content);
      const sequence = (lastSequence % MAX_SEQUENCE) + 1;
      if (sourceMapUrl && Atomics.compareExchange(sync, HOOK, HOOK_IDLE, sequence) === HOOK_IDLE) {
        lastSequence = sequence;
        notify(JSON.stringify([pathToFileURL(filename).href, sourceMapUrl, sequence]));
        Atomics.wait(sync, HOOK, sequence, HOOK_TIMEOUT_MS);
        // Released or timed out: idle again. Detached meanwhile: that sticks.
        Atomics.compareExchange(sync, HOOK, sequence, HOOK_IDLE);
        Atomics.compareExchange(sync, HOOK, HOOK_RELEASED, HOOK_IDLE);
      }
    }
    return Reflect.apply(compile, this, [content, filename, ...rest]);
  };
}

module.exports = { install };
