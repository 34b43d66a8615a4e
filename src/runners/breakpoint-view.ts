import type { Breakpoint } from './adapter.js';

/** What every runner's breakpoint record holds of the public {@link Breakpoint}. */
export type BreakpointView = Pick<Breakpoint, 'id' | 'verified' | 'source' | 'requestedLine' | 'line'> &
  Partial<Pick<Breakpoint, 'condition' | 'hitCondition' | 'logMessage' | 'message'>>;

/** The public (DAP) view of a runner's breakpoint record: its own bookkeeping left out. */
export function toBreakpoint(record: BreakpointView): Breakpoint {
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
