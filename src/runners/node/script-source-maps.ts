/**
 * The source maps of one run's scripts: which script names which map (`Debugger.scriptParsed`,
 * the CommonJS hook, the ES module instrumentation pause), each map loaded once, and the
 * script → original position lookups that stack frames and stepping need.
 */
import type { Location } from './cdp-types.js';
import { SourceMap, type OriginalPosition } from './source-map.js';

/** Source maps of the scripts of one run (a restart starts a new one: the files may have been rebuilt). */
export class ScriptSourceMaps {
  /** scriptId → [script URL, sourceMappingURL] for scripts that name a map. */
  private readonly scripts = new Map<string, readonly [string, string]>();
  /** `${scriptUrl} ${sourceMapUrl}` → the map, loading or loaded. */
  private readonly loading = new Map<string, Promise<SourceMap | undefined>>();
  /** Script URL → its map, once loaded. */
  private readonly loadedByUrl = new Map<string, SourceMap>();

  /** Records a parsed script (`Debugger.scriptParsed`); its map is loaded when first needed. */
  noteScript(scriptId: string, url: string, sourceMapUrl: string | undefined): void {
    if (sourceMapUrl && url) this.scripts.set(scriptId, [url, sourceMapUrl]);
  }

  /** Loads (once) the map of the script at `url`. */
  load(url: string, sourceMapUrl: string): Promise<SourceMap | undefined> {
    const key = `${url} ${sourceMapUrl}`;
    let map = this.loading.get(key);
    if (!map) {
      map = SourceMap.load(url, sourceMapUrl).then((loaded) => {
        if (loaded) this.loadedByUrl.set(url, loaded);
        return loaded;
      });
      this.loading.set(key, map);
    }
    return map;
  }

  /** The maps loaded so far, by script URL (breakpoints set later go into these scripts too). */
  loaded(): ReadonlyMap<string, SourceMap> {
    return this.loadedByUrl;
  }

  /** Loads the maps of these scripts, so that {@link original} can answer for them. */
  async prepare(scriptIds: Iterable<string>): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const scriptId of new Set(scriptIds)) {
      const script = this.scripts.get(scriptId);
      if (script) pending.push(this.load(...script));
    }
    await Promise.all(pending);
  }

  /** Whether a script has a (loaded, usable) source map. */
  isMapped(scriptId: string): boolean {
    return this.mapOf(scriptId) !== undefined;
  }

  /**
   * The original position of a script location; undefined when the script has no loaded map or
   * the position maps to nothing. Call {@link prepare} for the script first.
   */
  original(location: Location): OriginalPosition | undefined {
    return this.mapOf(location.scriptId)?.original({ lineNumber: location.lineNumber, columnNumber: location.columnNumber ?? 0 });
  }

  private mapOf(scriptId: string): SourceMap | undefined {
    const script = this.scripts.get(scriptId);
    return script ? this.loadedByUrl.get(script[0]) : undefined;
  }
}
