import { SCOPES } from '../../auth/scopes.js';
import { SessionError } from '../../sessions/errors.js';
import { OffsetSchema, PageSizeSchema } from '../../sessions/session-input.js';
import { parseCursor } from '../../logs/log-line.js';
import type { Session } from '../../sessions/session.js';
import { builder } from '../builder.js';
import { BreakpointRef, ScopeRef, StackFrameRef, StopInfoRef, ThreadRef, VariableRef, VariableSnapshotRef } from './debug.js';
import { ExceptionFilterEnum, RuntimeEnum, SessionStateEnum } from './enums.js';
import { LogPageRef } from './logs.js';
import { threadArg } from '../threads.js';
import { needs } from '../guards.js';

/** Lines or children per page when `first` is not given. */
const DEFAULT_PAGE = 100;

/** The inspection fields need `sessions:read` even on a session a mutation returned (createSession needs only `sessions:write`). */
const READ = { [SCOPES.SESSIONS_READ]: true } as const;

/** Parses a log cursor argument; BAD_USER_INPUT when it is not one of ours. */
export function cursorArg(after: string | null | undefined, session: Session): number | undefined {
  if (after === null || after === undefined) return undefined;
  const seq = parseCursor(after);
  if (seq === undefined) throw new SessionError('BAD_USER_INPUT', `"${after}" is not a log cursor`);
  if (seq > session.logs.lastSeq) {
    throw new SessionError('BAD_USER_INPUT', `cursor "${after}" is ahead of the log (last seq ${session.logs.lastSeq})`);
  }
  return seq;
}

export const DebugSessionRef = builder.objectRef<Session>('DebugSession').implement({
  description: 'A program running under a debugger, owned by the subject that created it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    runtime: t.field({ type: RuntimeEnum, resolve: (s) => s.spec.runtime }),
    state: t.field({ type: SessionStateEnum, resolve: (s) => s.state }),
    program: t.string({ description: 'Absolute path of the program.', resolve: (s) => s.spec.program }),
    args: t.stringList({ resolve: (s) => s.spec.args }),
    cwd: t.string({ resolve: (s) => s.spec.cwd }),
    owner: t.exposeString('owner', { description: 'The `sub` of the token that created it.' }),
    generation: t.exposeInt('generation', { description: '0 for the first run, +1 per restart.' }),
    exitCode: t.exposeInt('exitCode', { nullable: true }),
    createdAt: t.string({ resolve: (s) => new Date(s.createdAt).toISOString() }),
    stoppedAt: t.field({ type: StopInfoRef, nullable: true, resolve: (s) => s.stoppedAt }),
    threads: t.field({ type: [ThreadRef], authScopes: READ, resolve: (s) => s.threads() }),
    stackTrace: t.field({
      type: [StackFrameRef],
      description: 'Frames of a stopped thread, top first; empty unless PAUSED.',
      args: { threadId: t.arg.id() },
      authScopes: needs('stackTrace'),
      resolve: (s, args) => s.stackTrace(threadArg(args.threadId)),
    }),
    scopes: t.field({
      type: [ScopeRef],
      args: { frameId: t.arg.id({ required: true }) },
      authScopes: needs('scopes'),
      resolve: (s, args) => s.scopes(String(args.frameId)),
    }),
    variables: t.field({
      type: [VariableRef],
      description: 'Children of a variable reference, a page at a time (needs PAUSED).',
      args: {
        reference: t.arg.id({ required: true }),
        first: t.arg.int({ description: 'Page size (1–1000, default 100).', validate: PageSizeSchema }),
        after: t.arg.int({ description: 'Index of the first child to return (default 0).', validate: OffsetSchema }),
      },
      authScopes: needs('variables'),
      resolve: (s, args) => s.variables(String(args.reference), args.after ?? 0, args.first ?? DEFAULT_PAGE),
    }),
    breakpoints: t.field({ type: [BreakpointRef], resolve: (s) => s.breakpoints }),
    exceptionFilters: t.field({
      type: [ExceptionFilterEnum],
      description: 'Which exceptions stop the program (empty: none).',
      resolve: (s) => s.exceptionFilters,
    }),
    snapshot: t.field({
      type: VariableSnapshotRef,
      nullable: true,
      description: "The current stop's snapshot; null unless PAUSED.",
      authScopes: READ,
      resolve: (s) => s.snapshot(),
    }),
    logs: t.field({
      type: LogPageRef,
      description: 'Buffered output after a cursor (needs logs:read). Without `after`, from the oldest buffered line.',
      args: {
        after: t.arg.string({ description: 'A `LogLine.seq`; "0" means from the start.' }),
        first: t.arg.int({ description: 'Page size (1–1000, default 100).', validate: PageSizeSchema }),
      },
      authScopes: { [SCOPES.LOGS_READ]: true },
      resolve: (s, args) => {
        const after = cursorArg(args.after, s) ?? 0;
        const slice = s.logs.after(after, args.first ?? DEFAULT_PAGE);
        const last = slice.lines[slice.lines.length - 1];
        const nextSeq = last ? last.seq : after + slice.lost;
        return {
          lines: slice.lines,
          lost: slice.lost,
          hasMore: slice.hasMore,
          nextCursor: nextSeq > 0 ? String(nextSeq) : undefined,
        };
      },
    }),
  }),
});
