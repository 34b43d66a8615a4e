import type { Breakpoint, BreakpointEvent, ExceptionFilter, RunnerCapabilities, SourceBreakpoint } from '../runners/adapter.js';
import { SessionError } from './errors.js';

/**
 * A session's breakpoints as the debugger bound them, by source, and its exception filters.
 * Both outlive a run: the runner installs them again at every (re)start.
 */
export class SessionBreakpoints {
  readonly #bound = new Map<string, Breakpoint[]>();
  #exceptionFilters: ExceptionFilter[] = [];

  /** @param capabilities the runner's, read at each check: a DAP adapter states its own at launch. */
  constructor(private readonly capabilities: () => RunnerCapabilities) {}

  /** Every breakpoint, as the debugger bound it. */
  get all(): Breakpoint[] {
    return [...this.#bound.values()].flat();
  }

  /** Exception filters in force: `uncaught`, `all`, or none. */
  get exceptionFilters(): ExceptionFilter[] {
    return [...this.#exceptionFilters];
  }

  /** Checks filters against the runtime; answers them without repeats. Throws BAD_USER_INPUT. */
  checkExceptionFilters(filters: readonly ExceptionFilter[]): ExceptionFilter[] {
    const unsupported = filters.filter((f) => !this.capabilities().exceptionFilters.includes(f));
    if (unsupported.length > 0) {
      throw new SessionError('BAD_USER_INPUT', `this runtime does not support exception filter(s): ${unsupported.join(', ')}`);
    }
    return [...new Set(filters)];
  }

  setExceptionFilters(filters: readonly ExceptionFilter[]): void {
    this.#exceptionFilters = [...new Set(filters)];
  }

  /** Refuses what the runtime cannot do (BAD_USER_INPUT), before the debugger is asked. */
  checkSpecs(specs: readonly SourceBreakpoint[]): void {
    const caps = this.capabilities();
    for (const s of specs) {
      if (!Number.isInteger(s.line) || s.line < 1) {
        throw new SessionError('BAD_USER_INPUT', `breakpoint line must be a positive integer, got ${s.line}`);
      }
      if (s.condition && !caps.conditionalBreakpoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support conditional breakpoints');
      }
      if (s.hitCondition && !caps.hitConditionalBreakpoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support hit-count breakpoints');
      }
      if (s.logMessage && !caps.logPoints) {
        throw new SessionError('BAD_USER_INPUT', 'this runtime does not support logpoints');
      }
    }
  }

  /** Records one source's breakpoints as the debugger answered them (DAP semantics: they replace). */
  replace(source: string, bound: Breakpoint[]): void {
    if (bound.length === 0) this.#bound.delete(source);
    else this.#bound.set(source, bound);
  }

  /** Applies a debugger's breakpoint event; true when clients should hear of it. */
  apply(event: BreakpointEvent): boolean {
    const { breakpoint } = event;
    const list = (this.#bound.get(breakpoint.source) ?? []).filter((b) => b.id !== breakpoint.id);
    if (event.reason !== 'removed') list.push(breakpoint);
    list.sort((a, b) => a.requestedLine - b.requestedLine || a.id - b.id);
    this.replace(breakpoint.source, list);
    // Breakpoints installed by a launch are announced as "new"; only later changes are news to clients.
    return event.reason !== 'new';
  }

  /** Forgets the bindings (a new run binds them again); the requests stay with the runner. */
  clearBindings(): void {
    this.#bound.clear();
  }
}
