import type { RunnerAdapter, Scope, StackFrame } from '../runners/adapter.js';
import type { VariableSnapshot } from './types.js';

export interface SnapshotOptions {
  generation: number;
  reason: string;
  threadId: number;
  maxVariables: number;
  maxValueLength: number;
  /** Values of the previous snapshot, by name, to compute `changed`. */
  previous: ReadonlyMap<string, string>;
  /** Turns a runner reference into the API's opaque reference. */
  encodeRef: (ref: number) => string | undefined;
  /** Opaque API id of the frame. */
  frameRef: string;
}

/**
 * Reads the top frame's own variables into a bounded snapshot: the innermost scopes (blocks)
 * up to and including the one the runner marks as the frame's locals, or else the first cheap
 * scope. Expensive scopes (globals) are never read here. The scope reads run in parallel, so a
 * snapshot costs one scopes and one variables round trip.
 */
export async function takeSnapshot(runner: RunnerAdapter, frame: StackFrame, options: SnapshotOptions): Promise<VariableSnapshot> {
  const scopes = await runner.scopes(frame.id);
  const wanted = snapshotScopes(scopes);
  const pages = await Promise.all(
    wanted.map((scope) => runner.variables(scope.variablesReference, { start: 0, count: options.maxVariables + 1 })),
  );
  // Inner scopes shadow outer ones, as in the program.
  const seen = new Set<string>();
  const vars = pages.flat().filter((v) => v.presentationHint?.visibility !== 'internal' && !seen.has(v.name) && seen.add(v.name));
  const truncated = vars.length > options.maxVariables;
  const variables = vars.slice(0, options.maxVariables).map((v) => ({
    name: v.name,
    value: cap(v.value, options.maxValueLength),
    type: v.type,
    reference: options.encodeRef(v.variablesReference),
    indexedCount: v.indexedVariables,
  }));
  const changed = variables.filter((v) => options.previous.get(v.name) !== v.value).map((v) => v.name);
  return {
    generation: options.generation,
    reason: options.reason,
    threadId: options.threadId,
    frame: { ...frame, ref: options.frameRef },
    variables,
    changed,
    truncated,
  };
}

/** The scopes a snapshot reads (see {@link takeSnapshot}). */
export function snapshotScopes(scopes: Scope[]): Scope[] {
  const cheap = scopes.filter((s) => !s.expensive && s.variablesReference > 0);
  const locals = cheap.findIndex((s) => s.presentationHint === 'locals');
  return locals === -1 ? cheap.slice(0, 1) : cheap.slice(0, locals + 1);
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Where a snapshot is taken: which run, stop and thread. */
export interface SnapshotStop {
  generation: number;
  reason: string;
  threadId: number;
  /** The stop's number, which opaque references carry. */
  stopId: number;
}

/**
 * Takes a run's snapshots, one per stop, remembering the previous values so each snapshot says
 * what `changed`.
 */
export class SnapshotTaker {
  #previous = new Map<string, string>();

  constructor(
    private readonly runner: RunnerAdapter,
    private readonly limits: { snapshotMaxVariables: number; snapshotMaxValueLength: number },
  ) {}

  /** The snapshot at `frame`; undefined when the program moved on (or the debugger failed) meanwhile. */
  async take(frame: StackFrame, stop: SnapshotStop): Promise<VariableSnapshot | undefined> {
    try {
      const snapshot = await takeSnapshot(this.runner, frame, {
        generation: stop.generation,
        reason: stop.reason,
        threadId: stop.threadId,
        maxVariables: this.limits.snapshotMaxVariables,
        maxValueLength: this.limits.snapshotMaxValueLength,
        previous: this.#previous,
        encodeRef: (ref) => (ref > 0 ? `${stop.stopId}:${ref}` : undefined),
        frameRef: `${stop.stopId}:${frame.id}`,
      });
      this.#previous = new Map(snapshot.variables.map((v) => [v.name, v.value]));
      return snapshot;
    } catch {
      return undefined;
    }
  }

  /** A new run: nothing it shows counts as changed against the old run. */
  reset(): void {
    this.#previous.clear();
  }
}
