/**
 * The source maps of one run's scripts: which script names which map (`Debugger.scriptParsed`,
 * the CommonJS hook, the ES module instrumentation pause), each map loaded once per content (a
 * rebuild while the program runs gives a new one), and the script → original position lookups
 * that stack frames and stepping need.
 */
import type { Location } from './cdp-types.js';
import { SourceMap, type OriginalPosition } from './source-map.js';
import { canonicalUrl } from './url-pattern.js';

/** Source maps of the scripts of one run (a restart starts a new one). */
export class ScriptSourceMaps {
  /** scriptId → [script URL, sourceMappingURL] for scripts that name a map. */
  private readonly scripts = new Map<string, readonly [string, string]>();
  /** scriptId → the map its positions are read with, fixed when first needed. */
  private readonly byScript = new Map<string, SourceMap | undefined>();
  /** {@link SourceMap.stamp} → the map, loading or loaded. */
  private readonly byStamp = new Map<string, Promise<SourceMap | undefined>>();
  /** Script URL (canonicalUrl's spelling) → the newest map loaded for it. */
  private readonly latest = new Map<string, SourceMap>();

  /** @param projectRoot the program's working directory (see {@link SourceMap.load}) */
  constructor(private readonly projectRoot: string) {}

  /**
   * Records a parsed script (`Debugger.scriptParsed`). A map loaded for its URL just before (the
   * CommonJS hook) is the one it was compiled with; otherwise its map is loaded when first needed.
   */
  noteScript(scriptId: string, url: string, sourceMapUrl: string | undefined): void {
    if (!sourceMapUrl || !url) return;
    this.scripts.set(scriptId, [url, sourceMapUrl]);
    const latest = this.latest.get(canonicalUrl(url));
    if (latest) this.byScript.set(scriptId, latest);
  }

  /** Loads the current map of the script at `url` (again only if the map changed since). */
  async load(url: string, sourceMapUrl: string): Promise<SourceMap | undefined> {
    const stamp = await SourceMap.stamp(url, sourceMapUrl);
    if (stamp === undefined) return undefined;
    let map = this.byStamp.get(stamp);
    if (!map) {
      map = SourceMap.load(url, sourceMapUrl, this.projectRoot);
      this.byStamp.set(stamp, map);
    }
    const loaded = await map;
    if (loaded) this.latest.set(canonicalUrl(url), loaded);
    return loaded;
  }

  /** The newest map of each script URL loaded so far (breakpoints set later go into these scripts too). */
  loaded(): ReadonlyMap<string, SourceMap> {
    return this.latest;
  }

  /** Loads the maps of every script parsed so far. */
  loadNoted(): Promise<void> {
    return this.prepare(this.scripts.keys());
  }

  /** Loads the maps of these scripts, so that {@link original} can answer for them. */
  async prepare(scriptIds: Iterable<string>): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const scriptId of new Set(scriptIds)) {
      const script = this.scripts.get(scriptId);
      if (!script || this.byScript.has(scriptId)) continue;
      pending.push(this.load(...script).then((map) => this.byScript.set(scriptId, map)));
    }
    await Promise.all(pending);
  }

  /** Whether a script names a source map (usable or not). */
  names(scriptId: string): boolean {
    return this.scripts.has(scriptId);
  }

  /** A script's source map, once {@link prepare}d; undefined when it has none (or none usable). */
  mapOf(scriptId: string): SourceMap | undefined {
    return this.byScript.get(scriptId);
  }

  /** Whether a script has a (loaded, usable) source map. */
  isMapped(scriptId: string): boolean {
    return this.byScript.get(scriptId) !== undefined;
  }

  /**
   * The original position of a script location; undefined when the script has no loaded map or
   * the position maps to nothing. Call {@link prepare} for the script first.
   */
  original(location: Location): OriginalPosition | undefined {
    return this.byScript.get(location.scriptId)?.original({ lineNumber: location.lineNumber, columnNumber: location.columnNumber ?? 0 });
  }
}
