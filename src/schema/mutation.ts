import * as commands from '../sessions/commands.js';
import { threadArg } from './threads.js';
import { builder } from './builder.js';
import { callerOf, needs, sessionOf } from './guards.js';
import { BreakpointInputRef, BreakpointRef, EvalResultRef, SourceBreakpointInputRef } from './types/debug.js';
import { ExceptionFilterEnum, RuntimeEnum, StepKindEnum } from './types/enums.js';
import { DebugSessionRef } from './types/session.js';
import type { ApiContext } from './context.js';
import type { Session } from '../sessions/session.js';
import { BreakpointCountSchema, CreateSchema, EvalTimeoutSchema, ExpressionSchema } from '../sessions/session-input.js';

/** Runs a debugger command, recording its latency by runtime and transport. */
function timed<T>(ctx: ApiContext, session: Session, command: string, run: () => Promise<T>): Promise<T> {
  return ctx.metrics.timeCommand(command, session.spec.runtime, ctx.transport, run);
}

const EnvVarInput = builder.inputType('EnvVarInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.string({ required: true }),
  }),
  // Checked by CreateSessionInput's schema (see SourceBreakpointInput).
});

const CreateSessionInput = builder.inputType('CreateSessionInput', {
  fields: (t) => ({
    runtime: t.field({ type: RuntimeEnum, required: true }),
    program: t.string({ required: true, description: 'Path of the program, relative to the workspace or absolute inside it.' }),
    args: t.stringList({ description: 'Arguments for the program.' }),
    cwd: t.string({ description: 'Working directory inside the workspace (default: the workspace root).' }),
    env: t.field({
      type: [EnvVarInput],
      description:
        'Extra environment variables. Loader, shell, interpreter and debugger families (LD_*, NODE_* but NODE_ENV, PYTHON* but PYTHONUNBUFFERED/PYTHONIOENCODING, DEBUGPY_*, …) are refused with BAD_USER_INPUT.',
    }),
    stopOnEntry: t.boolean({ description: 'Stop at the first line (default false).' }),
    network: t.boolean({
      description:
        "The host's network (true, the default: debug servers and clients). false: the session box gets a network of its own with loopback only.",
    }),
    breakpoints: t.field({ type: [SourceBreakpointInputRef], description: 'Breakpoints to install before the program runs.' }),
    exceptionFilters: t.field({ type: [ExceptionFilterEnum], description: 'Exceptions that stop the program (default: none).' }),
  }),
  // The whole input, its env variables and breakpoints included; paths are resolved later, by the registry.
  validate: CreateSchema,
});

builder.mutationType({
  fields: (t) => ({
    createSession: t.field({
      type: DebugSessionRef,
      description:
        'Launches a program under the debugger. Answers once it runs, is stopped on entry, or failed (state FAILED, reason in the logs).',
      args: { input: t.arg({ type: CreateSessionInput, required: true }) },
      authScopes: (_root, { input }) => needs('createSession', input.breakpoints ?? []),
      resolve: (_root, { input }, ctx) => ctx.registry.create(callerOf(ctx).subject, input),
    }),
    setBreakpoints: t.field({
      type: [BreakpointRef],
      description: 'Replaces every breakpoint of one source file (an empty list clears them). Kept across restarts.',
      args: {
        sessionId: t.arg.id({ required: true }),
        source: t.arg.string({ required: true }),
        breakpoints: t.arg({ type: [BreakpointInputRef], required: true, validate: BreakpointCountSchema }),
      },
      authScopes: (_root, args) => needs('setBreakpoints', args.breakpoints),
      resolve: (_root, args, ctx) => commands.setBreakpoints(ctx.registry, sessionOf(ctx, args.sessionId), args.source, args.breakpoints),
    }),
    setExceptionBreakpoints: t.field({
      type: DebugSessionRef,
      description:
        'Chooses which exceptions stop the program: [UNCAUGHT], [ALL] or [] (none). Kept across restarts. The stop has reason "exception" and the exception in `stoppedAt.description`.',
      args: {
        sessionId: t.arg.id({ required: true }),
        filters: t.arg({ type: [ExceptionFilterEnum], required: true }),
      },
      authScopes: needs('setExceptionBreakpoints'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await session.setExceptionBreakpoints(args.filters);
        return session;
      },
    }),
    step: t.field({
      type: DebugSessionRef,
      description: 'Steps; answers at the next stop (or the program end). Select `snapshot` to get the new locals in the same round trip.',
      args: {
        sessionId: t.arg.id({ required: true }),
        kind: t.arg({ type: StepKindEnum, defaultValue: 'OVER' }),
        threadId: t.arg.id(),
      },
      authScopes: needs('step'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await timed(ctx, session, 'step', () => session.step(args.kind ?? 'OVER', threadArg(args.threadId)));
        return session;
      },
    }),
    continue: t.field({
      type: DebugSessionRef,
      description: 'Resumes; answers at once (state RUNNING). Watch `sessionEvents` for the next stop.',
      args: { sessionId: t.arg.id({ required: true }), threadId: t.arg.id() },
      authScopes: needs('continue'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await timed(ctx, session, 'continue', () => session.continue(threadArg(args.threadId)));
        return session;
      },
    }),
    pause: t.field({
      type: DebugSessionRef,
      description: 'Pauses; answers at the stop. An idle program stops when it next runs JavaScript.',
      args: { sessionId: t.arg.id({ required: true }), threadId: t.arg.id() },
      authScopes: needs('pause'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await timed(ctx, session, 'pause', () => session.pause(threadArg(args.threadId)));
        return session;
      },
    }),
    eval: t.field({
      type: EvalResultRef,
      description:
        'Evaluates an expression in a frame of the stopped program (default: the top frame). A throwing expression is a result with `error`, not a GraphQL error.',
      args: {
        sessionId: t.arg.id({ required: true }),
        expression: t.arg.string({ required: true, validate: ExpressionSchema }),
        frameId: t.arg.id(),
        timeoutMs: t.arg.int({ description: 'Abort after this long (default 5000, max 60000).', validate: EvalTimeoutSchema }),
        sideEffectFree: t.arg.boolean({ description: 'Refuse expressions with side effects (for hover-like reads).' }),
      },
      authScopes: needs('eval'),
      resolve: (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        return timed(ctx, session, 'eval', () =>
          session.evaluate({
            expression: args.expression,
            frameId: args.frameId == null ? undefined : String(args.frameId),
            timeoutMs: args.timeoutMs ?? undefined,
            sideEffectFree: args.sideEffectFree ?? undefined,
          }),
        );
      },
    }),
    restartSession: t.field({
      type: DebugSessionRef,
      description: 'Runs the program again (generation + 1) with the current breakpoints; logs and subscriptions go on.',
      args: { sessionId: t.arg.id({ required: true }) },
      authScopes: needs('restart'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await commands.restart(ctx.registry, session);
        return session;
      },
    }),
    terminateSession: t.field({
      type: DebugSessionRef,
      description: 'Ends the program and the session; every subscription on it completes.',
      args: { sessionId: t.arg.id({ required: true }) },
      authScopes: needs('terminate'),
      resolve: async (_root, args, ctx) => {
        const session = sessionOf(ctx, args.sessionId);
        await session.terminate();
        return session;
      },
    }),
  }),
});
