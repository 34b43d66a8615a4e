/**
 * Line breakpoints: the runner's own records (ids, hit counts, DAP state) and their V8
 * counterparts. Records outlive connections so a restart can reinstall them.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunnerError, type Breakpoint, type SourceBreakpoint } from '../adapter.js';
import type { CdpConnection } from './cdp-connection.js';
import type { Location } from './cdp-types.js';
import { compileHitCondition, type HitPredicate } from './hit-condition.js';
import { breakpointCondition } from './logpoint.js';

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
  /** V8's breakpoint id on the current connection. */
  cdpId?: string;
}

/** Owns the breakpoint records of one runner. */
export class BreakpointManager {
  private nextId = 1;
  private readonly bySource = new Map<string, BreakpointRecord[]>();
  private readonly byCdpId = new Map<string, BreakpointRecord>();
  /** Resolutions for V8 ids we have not recorded yet (event raced ahead of the response). */
  private readonly earlyResolutions = new Map<string, Location[]>();
  private cdp: CdpConnection | undefined;
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
      return next.map(toBreakpoint);
    });
  }

  /**
   * Uses a new connection (launch, restart): every record is reinstalled unverified with its hit
   * count reset; the program has not run yet, so this happens before any code loads.
   */
  attach(cdp: CdpConnection): Promise<void> {
    return this.serialize(async () => {
      this.cdp = cdp;
      this.byCdpId.clear();
      this.earlyResolutions.clear();
      for (const records of this.bySource.values()) {
        for (const record of records) {
          record.cdpId = undefined;
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

  /** Forgets the connection (it closed); records stay for the next attach. */
  detach(cdp: CdpConnection): void {
    if (this.cdp === cdp) this.cdp = undefined;
  }

  /** The record behind a V8 breakpoint id from `Debugger.paused`'s hitBreakpoints. */
  lookup(cdpId: string): BreakpointRecord | undefined {
    return this.byCdpId.get(cdpId);
  }

  /** Handles `Debugger.breakpointResolved`: a script matching the breakpoint's URL was loaded. */
  resolved(cdpId: string, location: Location): void {
    const record = this.byCdpId.get(cdpId);
    if (!record) {
      const list = this.earlyResolutions.get(cdpId) ?? [];
      list.push(location);
      this.earlyResolutions.set(cdpId, list);
      return;
    }
    if (this.bind(record, [location])) this.onChanged(toBreakpoint(record), 'changed');
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
    };
  }

  private async install(record: BreakpointRecord): Promise<void> {
    if (record.hitCondition !== undefined && !record.hitPredicate) {
      record.message = `Invalid hit condition: ${record.hitCondition} (expected N, >= N, > N, == N, <= N, < N or % N)`;
      return;
    }
    const cdp = this.cdp;
    if (!cdp || cdp.closed) return; // Installed at the next attach.
    // A logpoint with a hit condition must pause every time so the runner can count its hits.
    const condition = breakpointCondition(record, this.marker, record.hitPredicate === undefined);
    try {
      const result = await cdp.send('Debugger.setBreakpointByUrl', {
        url: pathToFileURL(record.source).href,
        lineNumber: record.requestedLine - 1,
        ...(condition ? { condition } : {}),
      });
      record.cdpId = result.breakpointId;
      this.byCdpId.set(result.breakpointId, record);
      const early = this.earlyResolutions.get(result.breakpointId) ?? [];
      this.earlyResolutions.delete(result.breakpointId);
      this.bind(record, [...result.locations, ...early]);
    } catch (error) {
      record.message = error instanceof Error ? error.message : String(error);
    }
  }

  private async uninstall(record: BreakpointRecord): Promise<void> {
    const cdpId = record.cdpId;
    if (cdpId === undefined) return;
    record.cdpId = undefined;
    this.byCdpId.delete(cdpId);
    const cdp = this.cdp;
    if (!cdp || cdp.closed) return;
    await cdp.send('Debugger.removeBreakpoint', { breakpointId: cdpId }).catch(() => {
      /* the program is gone or the breakpoint with it */
    });
  }

  /** Marks the record bound to its first location; true if that changed it. */
  private bind(record: BreakpointRecord, locations: Location[]): boolean {
    const first = locations[0];
    if (!first || record.verified) return false;
    record.verified = true;
    record.line = first.lineNumber + 1;
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

/** The public (DAP) view of a record. */
export function toBreakpoint(record: BreakpointRecord): Breakpoint {
  return {
    id: record.id,
    verified: record.verified,
    source: record.source,
    requestedLine: record.requestedLine,
    line: record.line,
    ...(record.condition !== undefined ? { condition: record.condition } : {}),
    ...(record.hitCondition !== undefined ? { hitCondition: record.hitCondition } : {}),
    ...(record.logMessage !== undefined ? { logMessage: record.logMessage } : {}),
    ...(record.message !== undefined ? { message: record.message } : {}),
  };
}
