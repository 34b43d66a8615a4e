/**
 * Line breakpoints: the runner's own records (ids, hit counts, DAP state) and their V8
 * counterparts. Records outlive connections so a restart can reinstall them.
 *
 * A record has one V8 breakpoint by its own file's URL (plain JavaScript, and TypeScript that
 * Node runs as is) and one more per source-mapped script compiled from its file: V8 only knows
 * the scripts, so a breakpoint in `app.ts` goes to the position in `app.js` that the map gives.
 * When the script that runs under the file's own URL is itself compiled with a map (tsx,
 * ts-node), only the mapped breakpoint stays: the other would stop on the compiled line numbers.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunnerError, type Breakpoint, type SourceBreakpoint } from '../adapter.js';
import { toBreakpoint } from '../breakpoint-view.js';
import type { CdpConnection } from './cdp-connection.js';
import type { Location } from './cdp-types.js';
import { compileHitCondition, type HitPredicate } from './hit-condition.js';
import { breakpointCondition } from './logpoint.js';
import type { SourceMap } from './source-map.js';
import { canonicalUrl, urlPattern } from './url-pattern.js';

/** A breakpoint as the runner tracks it. */
export interface BreakpointRecord {
  readonly id: number;
  readonly source: string;
  readonly requestedLine: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  /** Compiled hitCondition; undefined when there is none (or it is invalid, see `message`). */
  readonly hitPredicate?: HitPredicate;
  verified: boolean;
  line: number;
  message?: string;
  /** Pauses counted against the hit condition since the breakpoint was installed. */
  hits: number;
  /** V8's breakpoint id (by the record's own URL) on the current connection. */
  cdpId?: string;
  /** V8's breakpoints in source-mapped scripts compiled from the record's file, by script URL. */
  readonly mapped: Map<string, { readonly cdpId: string; readonly map: SourceMap }>;
  /** The V8 breakpoint whose location made the record verified. */
  boundBy?: string;
}

/** A V8 breakpoint id's record, and the map that placed it when it went into a compiled script. */
interface Installed {
  readonly record: BreakpointRecord;
  readonly map?: SourceMap;
}

/** The source maps of the current run, as the breakpoints need them (see script-source-maps.ts). */
export interface SourceMapCatalog {
  /** The newest map of each script URL (in canonicalUrl's spelling) loaded so far. */
  loaded(): ReadonlyMap<string, SourceMap>;
  /** Loads the maps of every script parsed so far. */
  loadNoted(): Promise<void>;
  /** Loads the maps of these scripts (for {@link mapOf}). */
  prepare(scriptIds: Iterable<string>): Promise<void>;
  /** Whether a script names a source map. */
  names(scriptId: string): boolean;
  /** A prepared script's map. */
  mapOf(scriptId: string): SourceMap | undefined;
}

const NO_MAPS: SourceMapCatalog = {
  loaded: () => new Map(),
  loadNoted: () => Promise.resolve(),
  prepare: () => Promise.resolve(),
  names: () => false,
  mapOf: () => undefined,
};

/** Owns the breakpoint records of one runner. */
export class BreakpointManager {
  private nextId = 1;
  private readonly bySource = new Map<string, BreakpointRecord[]>();
  private readonly byCdpId = new Map<string, Installed>();
  /** Resolutions for V8 ids we have not recorded yet (event raced ahead of the response). */
  private readonly earlyResolutions = new Map<string, Location[]>();
  private cdp: CdpConnection | undefined;
  /** Source maps of the current connection's run. */
  private maps: SourceMapCatalog = NO_MAPS;
  // setBreakpoints calls and (re)installs must not interleave: they edit the same V8 state.
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param marker logpoint marker (see logpoint.ts)
   * @param onChanged a breakpoint was installed by attach ('new') or bound to code after it was reported ('changed')
   */
  constructor(
    private readonly marker: string,
    private readonly onChanged: (breakpoint: Breakpoint, reason: 'new' | 'changed') => void,
  ) {}

  /**
   * Replaces all breakpoints of `source` (DAP setBreakpoints). Identical breakpoints (same line,
   * condition, hit condition and log message) keep their id, hit count and V8 breakpoint.
   */
  set(source: string, breakpoints: SourceBreakpoint[]): Promise<Breakpoint[]> {
    if (!isAbsolute(source))
      return Promise.reject(new RunnerError('BAD_USER_INPUT', `Breakpoint source must be an absolute path: ${source}`));
    for (const bp of breakpoints) {
      if (!Number.isInteger(bp.line) || bp.line < 1)
        return Promise.reject(new RunnerError('BAD_USER_INPUT', `Invalid breakpoint line ${bp.line} (lines are 1-based)`));
    }
    return this.serialize(async () => {
      const old = [...(this.bySource.get(source) ?? [])];
      const next: BreakpointRecord[] = [];
      const added: BreakpointRecord[] = [];
      for (const bp of breakpoints) {
        const index = old.findIndex((r) => sameBreakpoint(r, bp));
        if (index !== -1) {
          const kept = old[index] as BreakpointRecord;
          next.push(kept);
          old.splice(index, 1);
          // Not in V8 yet (set while no program ran, or V8 refused it): try again now.
          if (kept.cdpId === undefined) added.push(kept);
        } else {
          const record = this.createRecord(source, bp);
          next.push(record);
          added.push(record);
        }
      }
      // Remove first: V8 refuses a second breakpoint at the same location.
      for (const record of old) await this.uninstall(record);
      if (next.length) this.bySource.set(source, next);
      else this.bySource.delete(source);
      for (const record of added) await this.install(record);
      if (next.length > 0 && this.cdp) {
        // Scripts compiled from this file may be running already.
        await this.maps.loadNoted();
        for (const [url, map] of this.maps.loaded()) {
          if (map.has(source)) for (const record of next) await this.installMapped(record, url, map);
        }
      }
      return next.map(toBreakpoint);
    });
  }

  /**
   * Uses a new connection (launch, restart): every record is reinstalled unverified with its hit
   * count reset; the program has not run yet, so this happens before any code loads.
   *
   * @param maps the run's source maps (they grow as scripts load)
   */
  attach(cdp: CdpConnection, maps: SourceMapCatalog): Promise<void> {
    return this.serialize(async () => {
      this.cdp = cdp;
      this.maps = maps;
      this.byCdpId.clear();
      this.earlyResolutions.clear();
      for (const records of this.bySource.values()) {
        for (const record of records) {
          record.cdpId = undefined;
          record.mapped.clear();
          delete record.boundBy;
          record.verified = false;
          record.line = record.requestedLine;
          record.hits = 0;
          delete record.message;
          await this.install(record);
          this.onChanged(toBreakpoint(record), 'new');
        }
      }
    });
  }

  /** Whether any breakpoint is set. */
  get empty(): boolean {
    return this.bySource.size === 0;
  }

  /** Forgets the connection (it closed); records stay for the next attach. */
  detach(cdp: CdpConnection): void {
    if (this.cdp === cdp) this.cdp = undefined;
  }

  /**
   * A source-mapped script is about to run (or to be compiled, or was just parsed): puts the
   * breakpoints of its original files into it, with the positions of this map.
   */
  mapInto(scriptUrl: string, map: SourceMap): Promise<void> {
    const url = canonicalUrl(scriptUrl);
    return this.serialize(async () => {
      for (const source of map.sources) {
        for (const record of this.bySource.get(source) ?? []) {
          const before = JSON.stringify(toBreakpoint(record));
          // The file's own URL names compiled code here (tsx, ts-node): its lines are not the file's.
          if (record.cdpId !== undefined && pathToFileURL(record.source).href === url) {
            await this.remove(record, record.cdpId);
            record.cdpId = undefined;
          }
          await this.installMapped(record, url, map);
          // An ES module is compiled by now, so the breakpoint may bind (or move) right away: say so.
          if (JSON.stringify(toBreakpoint(record)) !== before) this.onChanged(toBreakpoint(record), 'changed');
        }
      }
    });
  }

  /**
   * The record behind a V8 breakpoint id from `Debugger.paused`'s hitBreakpoints, hit in script
   * `scriptId` (whose map must be prepared): none for a stray hit (see {@link isStray}).
   */
  lookup(cdpId: string, scriptId: string): BreakpointRecord | undefined {
    const installed = this.byCdpId.get(cdpId);
    return installed && !this.isStray(installed, scriptId) ? installed.record : undefined;
  }

  /** Handles `Debugger.breakpointResolved`: a script matching the breakpoint's URL was loaded. */
  resolved(cdpId: string, location: Location): void {
    const installed = this.byCdpId.get(cdpId);
    if (!installed) {
      const list = this.earlyResolutions.get(cdpId) ?? [];
      list.push(location);
      this.earlyResolutions.set(cdpId, list);
      return;
    }
    if (this.maps.names(location.scriptId)) {
      // Bound in a script with a map: which map decides (see isStray).
      void this.serialize(async () => {
        if (this.byCdpId.get(cdpId) !== installed) return; // Removed meanwhile.
        const [genuine] = await this.genuine(installed, cdpId, [location]);
        if (genuine && this.bind(installed, cdpId, [genuine])) this.onChanged(toBreakpoint(installed.record), 'changed');
      });
      return;
    }
    if (this.bind(installed, cdpId, [location])) this.onChanged(toBreakpoint(installed.record), 'changed');
  }

  /**
   * A breakpoint by the record's own URL that landed in a script compiled from the record's file
   * with a map (tsx, ts-node, `--experimental-transform-types` name the compiled script after the
   * `.ts` file): its line is the compiled code's, not the file's. The mapped breakpoint stands for
   * the record there.
   */
  private isStray(installed: Installed, scriptId: string): boolean {
    const map = this.maps.mapOf(scriptId);
    // A mapped breakpoint binds in every script of its URL: one compiled before a rebuild has another map.
    if (installed.map) return map !== undefined && map !== installed.map;
    return !!map?.has(installed.record.source);
  }

  /**
   * The locations of a breakpoint that count: a mapped one's in scripts of its map; an own-URL one
   * is removed if it is stray (see {@link isStray}).
   */
  private async genuine(installed: Installed, cdpId: string, locations: Location[]): Promise<Location[]> {
    if (locations.length === 0) return locations;
    await this.maps.prepare(locations.map((l) => l.scriptId));
    if (installed.map) return locations.filter((l) => !this.isStray(installed, l.scriptId));
    if (!locations.some((l) => this.isStray(installed, l.scriptId))) return locations;
    const { record } = installed;
    if (record.cdpId === cdpId) record.cdpId = undefined;
    await this.remove(record, cdpId);
    return [];
  }

  private createRecord(source: string, bp: SourceBreakpoint): BreakpointRecord {
    const hitPredicate = bp.hitCondition?.trim() ? compileHitCondition(bp.hitCondition) : undefined;
    return {
      id: this.nextId++,
      source,
      requestedLine: bp.line,
      ...(bp.condition?.trim() ? { condition: bp.condition } : {}),
      ...(bp.hitCondition?.trim() ? { hitCondition: bp.hitCondition } : {}),
      ...(bp.logMessage !== undefined ? { logMessage: bp.logMessage } : {}),
      ...(hitPredicate ? { hitPredicate } : {}),
      verified: false,
      line: bp.line,
      hits: 0,
      mapped: new Map(),
    };
  }

  /** Installs the breakpoint by its own file's URL (unless that URL runs compiled code with a map of the file). */
  private async install(record: BreakpointRecord): Promise<void> {
    if (record.hitCondition !== undefined && !record.hitPredicate) {
      record.message = `Invalid hit condition: ${record.hitCondition} (expected N, >= N, > N, == N, <= N, < N or % N)`;
      return;
    }
    const url = pathToFileURL(record.source).href;
    if (this.maps.loaded().get(url)?.has(record.source)) return;
    const cdpId = await this.place(record, { urlRegex: urlPattern(url) }, { lineNumber: record.requestedLine - 1 });
    if (cdpId !== undefined) record.cdpId = cdpId;
  }

  /**
   * Installs the breakpoint in a script compiled from its file, where the script's map puts it;
   * moves it if the script was rebuilt since (a new map).
   */
  private async installMapped(record: BreakpointRecord, url: string, map: SourceMap): Promise<void> {
    if (record.hitCondition !== undefined && !record.hitPredicate) return;
    const current = record.mapped.get(url);
    if (current?.map === map) return;
    if (current) {
      record.mapped.delete(url);
      await this.remove(record, current.cdpId);
    }
    const position = map.generated(record.source, record.requestedLine);
    if (!position) return; // Nothing of the file from this line on made code in this script.
    // By a pattern unique to the record: two lines of the file can map to one position (a type
    // line moves down onto the next line's code), and V8 takes one breakpoint per URL and position.
    const urlRegex = `${urlPattern(url)}|^debug-server-breakpoint-${record.id}$`;
    const cdpId = await this.place(record, { urlRegex }, position, map);
    if (cdpId !== undefined) record.mapped.set(url, { cdpId, map });
  }

  /** One V8 breakpoint for a record; its id, or undefined when V8 refused it (the reason goes to `message`). */
  private async place(
    record: BreakpointRecord,
    target: { url: string } | { urlRegex: string },
    position: { lineNumber: number; columnNumber?: number },
    map?: SourceMap,
  ): Promise<string | undefined> {
    const cdp = this.cdp;
    if (!cdp || cdp.closed) return undefined; // Installed at the next attach.
    // A logpoint with a hit condition must pause every time so the runner can count its hits.
    const condition = breakpointCondition(record, this.marker, record.hitPredicate === undefined);
    try {
      const result = await cdp.send('Debugger.setBreakpointByUrl', { ...target, ...position, ...(condition ? { condition } : {}) });
      const installed: Installed = map ? { record, map } : { record };
      this.byCdpId.set(result.breakpointId, installed);
      const early = this.earlyResolutions.get(result.breakpointId) ?? [];
      this.earlyResolutions.delete(result.breakpointId);
      const locations = await this.genuine(installed, result.breakpointId, [...result.locations, ...early]);
      if (!this.byCdpId.has(result.breakpointId)) return undefined; // Stray: removed.
      this.bind(installed, result.breakpointId, locations);
      return result.breakpointId;
    } catch (error) {
      if (!record.verified) record.message = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  private async uninstall(record: BreakpointRecord): Promise<void> {
    const ids = [...(record.cdpId !== undefined ? [record.cdpId] : []), ...[...record.mapped.values()].map((m) => m.cdpId)];
    record.cdpId = undefined;
    record.mapped.clear();
    for (const cdpId of ids) await this.remove(record, cdpId);
  }

  /** Removes one of a record's V8 breakpoints; if it was the one that bound the record, the record is unbound. */
  private async remove(record: BreakpointRecord, cdpId: string): Promise<void> {
    this.byCdpId.delete(cdpId);
    if (record.boundBy === cdpId) {
      delete record.boundBy;
      record.verified = false;
      record.line = record.requestedLine;
    }
    const cdp = this.cdp;
    if (!cdp || cdp.closed) return;
    await cdp.send('Debugger.removeBreakpoint', { breakpointId: cdpId }).catch(() => {
      /* the program is gone or the breakpoint with it */
    });
  }

  /**
   * Marks the record bound to its first location (in its own file's lines: a compiled script's
   * location goes back through the map); true if that changed it.
   */
  private bind({ record, map }: Installed, cdpId: string, locations: Location[]): boolean {
    const first = locations[0];
    if (!first || record.verified) return false;
    let line = first.lineNumber + 1;
    if (map) {
      const original = map.original({ lineNumber: first.lineNumber, columnNumber: first.columnNumber ?? 0 });
      // V8 may have moved it onto code from another file (inlined helpers): keep the asked-for line then.
      line = original?.source === record.source ? original.line : record.requestedLine;
    }
    record.verified = true;
    record.line = line;
    record.boundBy = cdpId;
    delete record.message;
    return true;
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

function sameBreakpoint(record: BreakpointRecord, bp: SourceBreakpoint): boolean {
  const norm = (s: string | undefined): string | undefined => (s?.trim() ? s : undefined);
  return (
    record.requestedLine === bp.line &&
    record.condition === norm(bp.condition) &&
    record.hitCondition === norm(bp.hitCondition) &&
    record.logMessage === bp.logMessage
  );
}
