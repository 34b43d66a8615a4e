/**
 * Breakpoints set in original files (TypeScript…) go into the source-mapped scripts that are
 * compiled from them as those load: ES modules at the instrumentation pause before they run,
 * CommonJS modules when source-map-hook.cjs announces them, anything else when it is parsed.
 */
import type { BreakpointManager } from './breakpoints.js';
import type { CdpConnection } from './cdp-connection.js';
import type { CdpEvents } from './cdp-types.js';
import type { Run } from './node-run.js';
import { canonicalUrl } from './url-pattern.js';

/** Puts breakpoints into a runner's source-mapped scripts; see the module comment. */
export class ScriptMapper {
  /** Source maps being loaded and breakpoints being put into their scripts. */
  private readonly mapping = new Set<Promise<void>>();

  /**
   * @param currentRun the runner's current run (breakpoints go into no other)
   * @param isPaused whether the program is stopped (see onSourceMappedModule)
   */
  constructor(
    private readonly breakpoints: BreakpointManager,
    private readonly currentRun: () => Run | undefined,
    private readonly isPaused: () => boolean,
  ) {}

  /** Work under way, if any: what must be done before the program may run on. */
  inFlight(): Promise<unknown> | undefined {
    return this.mapping.size > 0 ? Promise.all(this.mapping) : undefined;
  }

  /** A script was parsed (see wireRun). */
  scriptParsed(run: Run, { url, sourceMapURL, isModule }: CdpEvents['Debugger.scriptParsed']): void {
    // Scripts neither the hook nor the instrumentation pause (ES modules) saw, such as a loader's
    // CommonJS or vm code, get their breakpoints late rather than never.
    const seen = isModule === true || run.announced.delete(canonicalUrl(url));
    if (sourceMapURL && !seen && !this.breakpoints.empty) void this.mapScript(run, url, sourceMapURL);
  }

  /** Puts the breakpoints of a source-mapped script's original files into it. */
  mapScript(run: Run, url: string, sourceMapUrl: string): Promise<void> {
    const work = (async () => {
      const map = await run.sourceMaps.load(url, sourceMapUrl);
      if (map && this.currentRun() === run && !run.quiet) await this.breakpoints.mapInto(url, map);
    })();
    const tracked = work.catch(() => {}).finally(() => this.mapping.delete(tracked));
    this.mapping.add(tracked);
    return work;
  }

  /**
   * source-map-hook.cjs announced a CommonJS module with a source map and waits: put its
   * breakpoints in, then let it go on.
   */
  async onSourceMappedModule(run: Run, cdp: CdpConnection, payload: string): Promise<void> {
    let announcement: unknown[] = [];
    try {
      announcement = JSON.parse(payload) as unknown[];
    } catch {
      /* malformed: released below, the module runs without its mapped breakpoints */
    }
    const [url, sourceMapUrl, sequence] = announcement;
    if (typeof url === 'string') run.announced.add(canonicalUrl(url));
    const release = () =>
      cdp.send('DebugServer.releaseModuleHook', { sequence: typeof sequence === 'number' ? sequence : 0 }).catch(() => {});
    const map = () =>
      typeof url === 'string' && typeof sourceMapUrl === 'string' ? this.mapScript(run, url, sourceMapUrl) : Promise.resolve();
    if (this.isPaused()) {
      // A require() in an eval while paused: V8 serves no request until the eval is over, so the
      // breakpoints go in after it (late, when V8 parses the module) rather than never.
      await release();
      await map().catch(() => {});
      return;
    }
    await map().catch(() => {});
    await release();
  }
}
