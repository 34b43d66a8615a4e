/**
 * Maps what a debug adapter announces in its `initialize` response (DAP `Capabilities`) to what
 * the runner offers through the API (`RunnerCapabilities`).
 */
import type { ExceptionFilter, RunnerCapabilities } from '../adapter.js';
import type { Capabilities } from './protocol.js';

/** The adapter's exception filter id for each of our filters it supports. */
export type ExceptionFilterIds = Partial<Record<ExceptionFilter, string>>;

/**
 * Filter ids adapters commonly use, best first. debugpy: `raised` (every raised exception) and
 * `uncaught`; js-debug: `all` / `uncaught`; others say `unhandled`.
 */
const CANDIDATES: Record<ExceptionFilter, readonly string[]> = {
  all: ['all', 'raised', 'allExceptions', 'caught'],
  uncaught: ['uncaught', 'unhandled', 'uncaughtExceptions'],
};

/**
 * Picks the adapter's filter id for each of our filters: `preferred` when the adapter offers it,
 * else the first known candidate it offers. Filters the adapter lacks are left out.
 */
export function exceptionFilterIds(capabilities: Capabilities, preferred: ExceptionFilterIds = {}): ExceptionFilterIds {
  const offered = new Set((capabilities.exceptionBreakpointFilters ?? []).map((f) => f.filter));
  const ids: ExceptionFilterIds = {};
  for (const filter of ['uncaught', 'all'] as const) {
    const wanted = preferred[filter];
    const id = wanted !== undefined && offered.has(wanted) ? wanted : CANDIDATES[filter].find((candidate) => offered.has(candidate));
    if (id !== undefined) ids[filter] = id;
  }
  return ids;
}

/**
 * The runner's capabilities for an adapter.
 *
 * `restart` is always true: the runner restarts by relaunching the adapter, whatever
 * `supportsRestartRequest` says. `evaluateTimeout` is always true: the runner times evaluations
 * itself (DAP has no evaluation timeout).
 */
export function mapCapabilities(capabilities: Capabilities, filterIds: ExceptionFilterIds): RunnerCapabilities {
  return {
    conditionalBreakpoints: capabilities.supportsConditionalBreakpoints === true,
    hitConditionalBreakpoints: capabilities.supportsHitConditionalBreakpoints === true,
    logPoints: capabilities.supportsLogPoints === true,
    exceptionFilters: (['uncaught', 'all'] as const).filter((filter) => filterIds[filter] !== undefined),
    restart: true,
    evaluateTimeout: true,
  };
}
