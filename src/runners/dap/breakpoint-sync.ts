/**
 * Sending a DAP runner's breakpoints and exception filters to the adapter of the current session
 * (the records themselves are breakpoints.ts's).
 */
import type { Breakpoint, ExceptionFilter } from '../adapter.js';
import type { BreakpointBook } from './breakpoints.js';
import type { ExceptionFilterIds } from './capabilities.js';
import type { DapClient } from './dap-client.js';
import type { Capabilities } from './protocol.js';

/** The session breakpoints go to, and what it was sent last. */
export interface BreakpointTarget {
  readonly client: DapClient;
  /** Per source, the breakpoints last sent to the adapter (JSON). */
  readonly sentBreakpoints: Map<string, string>;
}

/** Sends the breakpoints of a {@link BreakpointBook}, one `setBreakpoints` at a time. */
export class BreakpointSync {
  // setBreakpoints calls must reach the adapter in order: each replaces a source's breakpoints.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly book: BreakpointBook) {}

  /** Runs `task` once every task queued before it is done. */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => {});
    return result;
  }

  /** Sends the breakpoints of `source`; returns them as the adapter bound them. */
  async send(target: BreakpointTarget, source: string): Promise<Breakpoint[]> {
    const breakpoints = this.book.request(source);
    const key = JSON.stringify(breakpoints);
    // Resending the same set would reset the adapter's hit counts (debugpy does): skip it.
    if (target.sentBreakpoints.get(source) === key) return this.book.current(source);
    const body = await target.client.request('setBreakpoints', { source: { path: source }, breakpoints });
    target.sentBreakpoints.set(source, key);
    return this.book.bind(source, body.breakpoints);
  }
}

/** Sends the exception filters, as the adapter names them (if it has any). */
export async function sendExceptionFilters(
  client: DapClient,
  capabilities: Capabilities,
  filterIds: ExceptionFilterIds,
  filters: readonly ExceptionFilter[],
): Promise<void> {
  if (!capabilities.exceptionBreakpointFilters) return;
  const ids = filters.map((filter) => filterIds[filter]).filter((id): id is string => id !== undefined);
  await client.request('setExceptionBreakpoints', { filters: ids });
}
