/**
 * Line breakpoints of a DAP runner: the runner's own records (stable ids that outlive adapter
 * sessions, so a restart can reinstall them) and their binding to the adapter's breakpoints.
 */
import { isAbsolute } from 'node:path';
import { RunnerError, type Breakpoint, type SourceBreakpoint } from '../adapter.js';
import { toBreakpoint } from '../breakpoint-view.js';
import type { DapBreakpoint, DapSourceBreakpoint } from './protocol.js';

/** A breakpoint as the runner tracks it. */
interface BreakpointRecord {
  readonly id: number;
  readonly source: string;
  readonly requestedLine: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  verified: boolean;
  line: number;
  message?: string;
  /** The adapter's id for it in the current session, if the adapter gave one. */
  dapId?: number;
}

/** Owns the breakpoint records of one runner. */
export class BreakpointBook {
  private nextId = 1;
  private readonly bySource = new Map<string, BreakpointRecord[]>();

  /**
   * Replaces the breakpoints of `source` (DAP setBreakpoints semantics). Identical breakpoints
   * (same line, condition, hit condition, log message) keep their id. Throws BAD_USER_INPUT on a
   * relative path or a line that is not a positive integer.
   */
  replace(source: string, breakpoints: SourceBreakpoint[]): Breakpoint[] {
    if (!isAbsolute(source)) throw new RunnerError('BAD_USER_INPUT', `Breakpoint source must be an absolute path: ${source}`);
    for (const bp of breakpoints) {
      if (!Number.isInteger(bp.line) || bp.line < 1)
        throw new RunnerError('BAD_USER_INPUT', `Invalid breakpoint line ${bp.line} (lines are 1-based)`);
    }
    const old = [...(this.bySource.get(source) ?? [])];
    const next = breakpoints.map((bp) => {
      const index = old.findIndex((r) => sameSpec(r, bp));
      if (index !== -1) return old.splice(index, 1)[0] as BreakpointRecord;
      return this.create(source, bp);
    });
    if (next.length > 0) this.bySource.set(source, next);
    else this.bySource.delete(source);
    return next.map(toBreakpoint);
  }

  /** Every source that has breakpoints. */
  sources(): string[] {
    return [...this.bySource.keys()];
  }

  /** The `breakpoints` argument of DAP setBreakpoints for a source. */
  request(source: string): DapSourceBreakpoint[] {
    return (this.bySource.get(source) ?? []).map((r) => ({
      line: r.requestedLine,
      ...(r.condition !== undefined ? { condition: r.condition } : {}),
      ...(r.hitCondition !== undefined ? { hitCondition: r.hitCondition } : {}),
      ...(r.logMessage !== undefined ? { logMessage: r.logMessage } : {}),
    }));
  }

  /** Records the adapter's answer to setBreakpoints (same order as the request); returns them. */
  bind(source: string, answer: DapBreakpoint[]): Breakpoint[] {
    const records = this.bySource.get(source) ?? [];
    records.forEach((record, i) => {
      const bound = answer[i];
      if (bound) apply(record, bound);
    });
    return records.map(toBreakpoint);
  }

  /** The breakpoints of a source as they are now. */
  current(source: string): Breakpoint[] {
    return (this.bySource.get(source) ?? []).map(toBreakpoint);
  }

  /** Applies a DAP `breakpoint` event (reason `changed`); returns the breakpoint it changed. */
  changed(bound: DapBreakpoint): Breakpoint | undefined {
    if (bound.id === undefined) return undefined;
    for (const records of this.bySource.values()) {
      const record = records.find((r) => r.dapId === bound.id);
      if (record) {
        apply(record, bound);
        return toBreakpoint(record);
      }
    }
    return undefined;
  }

  /** The session ended: the adapter's ids mean nothing any more, nothing is bound. */
  unbindAll(): void {
    for (const records of this.bySource.values()) {
      for (const record of records) {
        delete record.dapId;
        delete record.message;
        record.verified = false;
        record.line = record.requestedLine;
      }
    }
  }

  /** Our ids of the breakpoints with these adapter ids. */
  idsForDapIds(dapIds: number[]): number[] {
    const ids: number[] = [];
    for (const records of this.bySource.values()) {
      for (const record of records) if (record.dapId !== undefined && dapIds.includes(record.dapId)) ids.push(record.id);
    }
    return ids;
  }

  /** Our ids of the stopping (non-logpoint) breakpoints bound at a location. */
  idsAt(source: string, line: number): number[] {
    return (this.bySource.get(source) ?? []).filter((r) => r.line === line && r.logMessage === undefined).map((r) => r.id);
  }

  private create(source: string, bp: SourceBreakpoint): BreakpointRecord {
    return {
      id: this.nextId++,
      source,
      requestedLine: bp.line,
      ...(bp.condition ? { condition: bp.condition } : {}),
      ...(bp.hitCondition ? { hitCondition: bp.hitCondition } : {}),
      ...(bp.logMessage !== undefined ? { logMessage: bp.logMessage } : {}),
      verified: false,
      line: bp.line,
    };
  }
}

function sameSpec(record: BreakpointRecord, bp: SourceBreakpoint): boolean {
  return (
    record.requestedLine === bp.line &&
    (record.condition ?? '') === (bp.condition ?? '') &&
    (record.hitCondition ?? '') === (bp.hitCondition ?? '') &&
    record.logMessage === bp.logMessage
  );
}

function apply(record: BreakpointRecord, bound: DapBreakpoint): void {
  if (bound.id !== undefined) record.dapId = bound.id;
  if (bound.verified && bound.line !== undefined && bound.line < 1) {
    // debugpy binds a breakpoint above a module's first statement to "line 0" (the module's
    // RESUME instruction), where it never fires: report it as what it is, unbound.
    record.verified = false;
    record.line = record.requestedLine;
    record.message = 'no code at or after this line that the debugger can stop at';
    return;
  }
  record.verified = bound.verified;
  if (bound.line !== undefined) record.line = bound.line;
  if (bound.message) record.message = bound.message;
  else delete record.message;
}
