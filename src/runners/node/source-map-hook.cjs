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
const HOOK_SEQUENCE = 3;
const HOOK_IDLE = 0;
const HOOK_WAITING = 1;
const HOOK_RELEASED = 2;
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
 * @param sync the preload's shared flags: [HOOK] is HOOK_WAITING while the server works (and
 *   stays HOOK_DETACHED once the server is gone: nobody would release a wait then);
 *   [HOOK_SEQUENCE] numbers the announcements, so that a late release (after a timeout) cannot
 *   let a later module go before its breakpoints are in
 */
function install(sync) {
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, ...rest) {
    const notify = globalThis[BINDING];
    if (typeof notify === 'function' && typeof content === 'string' && typeof filename === 'string') {
      const sourceMapUrl = sourceMappingUrl(content);
      if (sourceMapUrl && Atomics.compareExchange(sync, HOOK, HOOK_IDLE, HOOK_WAITING) === HOOK_IDLE) {
        const sequence = Atomics.add(sync, HOOK_SEQUENCE, 1) + 1;
        notify(JSON.stringify([pathToFileURL(filename).href, sourceMapUrl, sequence]));
        Atomics.wait(sync, HOOK, HOOK_WAITING, HOOK_TIMEOUT_MS);
        // Released or timed out: idle again. Detached meanwhile: that sticks.
        Atomics.compareExchange(sync, HOOK, HOOK_WAITING, HOOK_IDLE);
        Atomics.compareExchange(sync, HOOK, HOOK_RELEASED, HOOK_IDLE);
      }
    }
    return Reflect.apply(compile, this, [content, filename, ...rest]);
  };
}

module.exports = { install };
