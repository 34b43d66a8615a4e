/**
 * Stop-on-entry without `--inspect-brk` (pipe channel): one-shot breakpoints at the program's
 * first statement, found before it runs.
 *
 * - CommonJS: inspector-preload.cjs compiled the main module's source as a "probe" function whose
 *   script URL is PROBE_URL_PREFIX + the main module's URL. V8 lists the probe's break locations;
 *   the first one of its outermost function is the first statement, and a breakpoint by URL and
 *   position there binds in the real module when Node compiles it. (A breakpoint at line 1,
 *   column 1 would not do: V8 moves it to the nearest break location, which can be inside a
 *   function declared above the first statement.)
 * - ES modules (usually no probe: import syntax): an instrumentation breakpoint pauses before the
 *   first module (a dependency, maybe) is evaluated, at its first statement; a breakpoint goes
 *   there and the program resumes. The instrumentation pause itself is never shown: V8 does not
 *   step out of one (it hangs). Node compiles CommonJS modules as functions, not scripts: no
 *   instrumentation pause for them, hence the probe.
 */
import type { CdpConnection } from './cdp-connection.js';
import type { CdpEvents, Location } from './cdp-types.js';
import type { EntryDetector, EntryVerdict } from './inspector-channel.js';
import { urlPattern } from './url-pattern.js';

/** URL prefix of the probe script (keep in sync with inspector-preload.cjs). */
export const PROBE_URL_PREFIX = 'debug-server-entry-probe:';
/** The probe's source is the module's with a line break in front. */
const PROBE_LINE_OFFSET = 1;

/** Entry detection of one run of the pipe channel. */
export class ProbeEntry implements EntryDetector {
  /** V8 ids of the one-shot breakpoints at a first statement. */
  private readonly entryIds = new Set<string>();
  private instrumentationId: string | undefined;
  private done = false;
  /** Entry breakpoints to remove at the next pause. */
  private readonly spent: string[] = [];

  async prepare(cdp: CdpConnection, scripts: ReadonlyMap<string, string>): Promise<void> {
    const probe = [...scripts].reverse().find(([, url]) => url.startsWith(PROBE_URL_PREFIX));
    if (probe) {
      const [scriptId, url] = probe;
      const first = await firstStatement(cdp, scriptId);
      if (first) {
        const { breakpointId } = await cdp.send('Debugger.setBreakpointByUrl', {
          // The probe's URL is pathToFileURL's; V8 may spell the module's differently (`[`, `]`).
          urlRegex: urlPattern(url.slice(PROBE_URL_PREFIX.length)),
          lineNumber: first.lineNumber - PROBE_LINE_OFFSET,
          columnNumber: first.columnNumber,
        });
        this.entryIds.add(breakpointId);
      }
    }
    // Also for CommonJS: a main module Node loads as an ES module anyway ("type": "module").
    const { breakpointId } = await cdp.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' });
    this.instrumentationId = breakpointId;
  }

  async classify(cdp: CdpConnection, pause: CdpEvents['Debugger.paused']): Promise<EntryVerdict> {
    // The program has left the entry: its breakpoints can go now (see below).
    for (const breakpointId of this.spent.splice(0)) void cdp.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => {});
    if (pause.reason === 'instrumentation') {
      // A late one (its removal raced with a script) is as internal as the first.
      if (!this.done) await this.onInstrumentation(cdp, pause);
      return 'internal';
    }
    if (this.done || !(pause.hitBreakpoints ?? []).some((id) => this.entryIds.has(id))) return 'other';
    this.done = true;
    // One-shot, but removed only at the next pause, once the program is somewhere else: removed
    // while the program stands on it, V8 steps over the next few statements (the loop head after
    // `let total = 0`…); removed while a step from it runs, V8 drops the step and the program runs
    // on. A module's first statement runs once, so nothing can hit them in between.
    this.spent.push(...this.entryIds);
    const instrumentationId = this.instrumentationId;
    this.instrumentationId = undefined;
    if (instrumentationId) {
      // Not a breakpoint the program stands on: it goes as soon as the program leaves the pause.
      const off = cdp.on('Debugger.resumed', () => {
        off();
        void cdp.send('Debugger.removeBreakpoint', { breakpointId: instrumentationId }).catch(() => {});
      });
    }
    return 'entry';
  }

  private async onInstrumentation(cdp: CdpConnection, pause: CdpEvents['Debugger.paused']): Promise<void> {
    // V8 shows the pause at the first break location of the script's outermost function.
    const location = pause.callFrames[0]?.location;
    if (!location || location.scriptId !== pause.data?.['scriptId']) return; // Not a script of ours to stop in: wait for the next.
    const first = { scriptId: location.scriptId, lineNumber: location.lineNumber, columnNumber: location.columnNumber ?? 0 };
    const { breakpointId } = await cdp.send('Debugger.setBreakpoint', { location: first });
    this.entryIds.add(breakpointId);
    if (this.instrumentationId) {
      const id = this.instrumentationId;
      this.instrumentationId = undefined;
      await cdp.send('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => {});
    }
  }
}

/** The first break location of the function around the start of a script, if any. */
async function firstStatement(cdp: CdpConnection, scriptId: string): Promise<Location | undefined> {
  try {
    const { locations } = await cdp.send('Debugger.getPossibleBreakpoints', {
      start: { scriptId, lineNumber: 0, columnNumber: 0 },
      restrictToFunction: true,
    });
    const first = locations[0];
    return first && { scriptId: first.scriptId, lineNumber: first.lineNumber, columnNumber: first.columnNumber ?? 0 };
  } catch {
    return undefined; // The script is gone already: no entry to find there.
  }
}
