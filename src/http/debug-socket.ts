/**
 * `ws://…/sessions/:id/debug`: one session, driven and watched over one WebSocket, for websocat
 * and scripts. Frames are JSON objects (docs/protocol.md has them all, with a transcript):
 *
 * - client → server: `{"id": <any>, "command": "step", "args": {"kind": "INTO"}}`, with the
 *   GraphQL mutations' argument names; answered by `{"id", "result"}` or
 *   `{"id", "error": {"code", "message"}}` (the API's codes). Plain lines are a shorthand for
 *   typing: `step [over|into|out]`, `continue`, `pause`, `eval <expression>`, `stack`,
 *   `restart`, `terminate` (answered with `"id": null`).
 * - server → client: `{"type":"session"}` first, then `{"type":"event"}` for each session event,
 *   `{"type":"snapshot"}` at each stop, `{"type":"log","lines":[…]}` for output (with `logs:read`;
 *   `?after=<seq>` replays buffered lines first, else live lines only).
 *
 * A malformed frame gets an error frame; the socket stays. Needs `sessions:read`; each command
 * needs the scope of its mutation. Closes with 1000 once the session is terminated.
 */
import { z } from 'zod';
import { SCOPES, type Principal, type Scope } from '../auth/scopes.js';
import { apiError, toApiError } from '../schema/errors.js';
import { threadArg } from '../schema/threads.js';
import { cursorArg } from '../schema/types/session.js';
import * as commands from '../sessions/commands.js';
import { SessionError } from '../sessions/errors.js';
import { BreakpointListSchema, EvalTimeoutSchema, ExpressionSchema, OffsetSchema, PageSizeSchema } from '../sessions/session-input.js';
import { jsonArrayOf } from '../logs/encoders.js';
import { LogTail } from '../logs/log-tail.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { VariableSnapshot } from '../sessions/types.js';
import type { ApiMetrics, Stream } from '../metrics/metrics.js';
import { SOCKET_CLOSE, sessionSocketEndpoint, type SessionConnection, type SessionSocketDeps } from './session-socket.js';
import type { SocketEndpoint } from './socket-endpoint.js';

const MAX_LINES_PER_FRAME = 1000;
/** Commands one socket may have running at once; more are answered LIMIT_EXCEEDED. */
const MAX_COMMANDS_IN_FLIGHT = 32;

const ThreadId = z.union([z.number(), z.string()]).optional();

/** Every command: its arguments and what it does (the scope it needs is its mutation's, `COMMAND_SCOPES`). */
const COMMANDS = {
  step: {
    args: z.object({ kind: z.enum(['OVER', 'INTO', 'OUT']).default('OVER'), threadId: ThreadId }),
    timed: true,
    run: async (c: Context, a: { kind: 'OVER' | 'INTO' | 'OUT'; threadId?: string | number | undefined }) => {
      await c.session.step(a.kind, threadArg(a.threadId));
      const snapshot = await c.session.snapshot();
      return { ...sessionView(c.session), snapshot: snapshot ? snapshotView(snapshot) : null };
    },
  },
  continue: {
    args: z.object({ threadId: ThreadId }),
    timed: true,
    run: async (c: Context, a: { threadId?: string | number | undefined }) => {
      await c.session.continue(threadArg(a.threadId));
      return sessionView(c.session);
    },
  },
  pause: {
    args: z.object({ threadId: ThreadId }),
    timed: true,
    run: async (c: Context, a: { threadId?: string | number | undefined }) => {
      await c.session.pause(threadArg(a.threadId));
      return sessionView(c.session);
    },
  },
  eval: {
    // The same schemas as the GraphQL `eval` arguments.
    args: z.object({
      expression: ExpressionSchema,
      frameId: z.union([z.string(), z.number()]).optional(),
      timeoutMs: EvalTimeoutSchema.optional(),
      sideEffectFree: z.boolean().optional(),
    }),
    timed: true,
    run: (
      c: Context,
      a: {
        expression: string;
        frameId?: string | number | undefined;
        timeoutMs?: number | undefined;
        sideEffectFree?: boolean | undefined;
      },
    ) =>
      c.session.evaluate({
        expression: a.expression,
        frameId: a.frameId === undefined ? undefined : String(a.frameId),
        timeoutMs: a.timeoutMs,
        sideEffectFree: a.sideEffectFree,
      }),
  },
  setBreakpoints: {
    args: z.object({ source: z.string(), breakpoints: BreakpointListSchema }),
    timed: false,
    run: (c: Context, a: { source: string; breakpoints: z.output<typeof BreakpointListSchema> }) => {
      // Conditions and logpoint expressions need more than the command's own scope.
      for (const scope of commands.scopesFor('setBreakpoints', a.breakpoints)) requireScope(c.principal, scope);
      return commands.setBreakpoints(c.registry, c.session, a.source, a.breakpoints);
    },
  },
  setExceptionBreakpoints: {
    args: z.object({ filters: z.array(z.enum(['UNCAUGHT', 'ALL'])) }),
    timed: false,
    run: async (c: Context, a: { filters: Array<'UNCAUGHT' | 'ALL'> }) => {
      await c.session.setExceptionBreakpoints(a.filters.map((f) => (f === 'ALL' ? 'all' : 'uncaught')));
      return sessionView(c.session);
    },
  },
  stackTrace: {
    args: z.object({ threadId: ThreadId }),
    timed: false,
    run: async (c: Context, a: { threadId?: string | number | undefined }) =>
      (await c.session.stackTrace(threadArg(a.threadId))).map((f) => ({
        id: f.ref,
        name: f.name,
        source: f.source ?? null,
        line: f.line,
        column: f.column ?? null,
      })),
  },
  scopes: {
    args: z.object({ frameId: z.union([z.string(), z.number()]) }),
    timed: false,
    run: (c: Context, a: { frameId: string | number }) => c.session.scopes(String(a.frameId)),
  },
  variables: {
    args: z.object({
      reference: z.union([z.string(), z.number()]),
      first: PageSizeSchema.default(100),
      after: OffsetSchema.default(0),
    }),
    timed: false,
    run: (c: Context, a: { reference: string | number; first: number; after: number }) =>
      c.session.variables(String(a.reference), a.after, a.first),
  },
  restart: {
    args: z.object({}),
    timed: false,
    run: async (c: Context) => {
      await commands.restart(c.registry, c.session);
      return sessionView(c.session);
    },
  },
  terminate: {
    args: z.object({}),
    timed: false,
    run: async (c: Context) => {
      await c.session.terminate();
      return sessionView(c.session);
    },
  },
} as const;

type CommandName = keyof typeof COMMANDS;

interface Context {
  session: Session;
  principal: Principal;
  registry: SessionRegistry;
}

const Frame = z.object({
  id: z.unknown().optional(),
  command: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
});

/** The `/sessions/:id/debug` WebSocket endpoint. */
export function debugSocketEndpoint(deps: SessionSocketDeps): SocketEndpoint {
  return sessionSocketEndpoint(deps, {
    name: '/sessions/:id/debug',
    scope: SCOPES.SESSIONS_READ,
    serve: (connection, url) => serve(connection, url, deps),
  });
}

function serve(connection: SessionConnection, url: URL, deps: SessionSocketDeps): void {
  const { socket, session, principal, send } = connection;
  const context: Context = { session, principal, registry: deps.registry };
  let after: number | undefined;
  try {
    after = cursorArg(url.searchParams.get('after'), session);
  } catch (err) {
    return socket.close(4400, err instanceof Error ? err.message : 'bad cursor');
  }
  let inFlight = 0;
  socket.on('message', (data: Buffer) => {
    if (inFlight >= MAX_COMMANDS_IN_FLIGHT) {
      deps.metrics.refused('commands_per_socket');
      const error = { code: 'LIMIT_EXCEEDED', message: `a socket may run ${MAX_COMMANDS_IN_FLIGHT} commands at once; wait for answers` };
      void send(JSON.stringify({ id: frameId(data.toString()), error }));
      return;
    }
    inFlight++;
    void answer(data.toString(), context, deps.metrics)
      .then((reply) => send(JSON.stringify(reply)))
      .finally(() => inFlight--);
  });
  void send(JSON.stringify({ type: 'session', session: sessionView(session) }));

  // Pushed streams; each ends when the session is terminated (or reaped), and then the socket closes.
  const streams = [
    pump(connection, deps.metrics, 'events', session.events.subscribe(), (e) => ({ type: 'event', ...e })),
    pump(connection, deps.metrics, 'snapshots', session.snapshots.subscribe(), (s) => ({ type: 'snapshot', ...snapshotView(s) })),
  ];
  if (principal.scopes.has(SCOPES.LOGS_READ)) {
    const tail = new LogTail(session, after, MAX_LINES_PER_FRAME, deps.metrics.logMeter('ws-debug'));
    streams.push(pumpText(connection, deps.metrics, tail, (batch) => `{"type":"log","lines":${jsonArrayOf(batch)}}`));
  }
  void Promise.all(streams).then(() => socket.close(SOCKET_CLOSE.SESSION_ENDED, 'session terminated'));
}

/** Sends each item of `source` as a frame until it ends or the socket closes. */
function pump<T>(
  connection: SessionConnection,
  metrics: ApiMetrics,
  stream: Stream,
  source: AsyncIterator<T>,
  frame: (item: T) => unknown,
): Promise<void> {
  return pumpText(connection, metrics, source, (item) => JSON.stringify(frame(item)), stream);
}

function pumpText<T>(
  connection: SessionConnection,
  metrics: ApiMetrics,
  source: AsyncIterator<T>,
  encode: (item: T) => string,
  stream: Stream = 'logs',
): Promise<void> {
  const tracked = metrics.trackSubscriber(stream, 'ws-debug', source);
  void connection.closed.then(() => tracked.return?.());
  return (async () => {
    for (;;) {
      const next = await tracked.next();
      if (next.done) return;
      if (!(await connection.send(encode(next.value)))) return;
    }
  })().catch(() => undefined);
}

/** The reply to one client frame. */
async function answer(
  text: string,
  context: Context,
  metrics: ApiMetrics,
): Promise<{ id: unknown; result?: unknown; error?: { code: string; message: string } }> {
  let id: unknown = null;
  try {
    const parsed = parseFrame(text);
    id = parsed.id;
    const command = COMMANDS[parsed.command];
    requireScope(context.principal, commands.COMMAND_SCOPES[parsed.command]);
    const args = command.args.safeParse(parsed.args ?? {});
    if (!args.success)
      throw new SessionError(
        'BAD_USER_INPUT',
        `bad args for ${parsed.command}: ${args.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`,
      );
    // Each entry's run takes its own schema's output; the table pairs them.
    const run = command.run as (c: Context, a: unknown) => Promise<unknown>;
    const result = command.timed
      ? await metrics.timeCommand(parsed.command, context.session.spec.runtime, 'ws-debug', () => run(context, args.data))
      : await run(context, args.data);
    return { id, result: result ?? null };
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'frameId' in err) id = err.frameId ?? null;
    const error = toApiError(err);
    const code = typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
    return { id, error: { code, message: error.message } };
  }
}

/** The `id` of a JSON frame (null when it has none or is not JSON). */
function frameId(text: string): unknown {
  try {
    return (JSON.parse(text) as { id?: unknown }).id ?? null;
  } catch {
    return null;
  }
}

/** A JSON command frame, or a typed shorthand line. */
function parseFrame(text: string): { id: unknown; command: CommandName; args?: Record<string, unknown> } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return shorthand(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new SessionError('BAD_USER_INPUT', 'a frame is a JSON object {"id", "command", "args"} or a shorthand line such as "step"');
  }
  const frame = Frame.safeParse(json);
  if (!frame.success) throw new SessionError('BAD_USER_INPUT', 'a frame is a JSON object {"id", "command", "args"}');
  if (!(frame.data.command in COMMANDS)) {
    throw Object.assign(
      new SessionError(
        'BAD_USER_INPUT',
        `unknown command "${frame.data.command.slice(0, 50)}"; commands: ${Object.keys(COMMANDS).join(', ')}`,
      ),
      { frameId: frame.data.id },
    );
  }
  return { id: frame.data.id ?? null, command: frame.data.command as CommandName, ...(frame.data.args ? { args: frame.data.args } : {}) };
}

/** `step [over|into|out]`, `continue`, `pause`, `eval <expression>`, `stack`, `restart`, `terminate`. */
function shorthand(line: string): { id: null; command: CommandName; args?: Record<string, unknown> } {
  const [word = '', ...rest] = line.split(/\s+/);
  const tail = line.slice(word.length).trim();
  switch (word.toLowerCase()) {
    case 'step':
    case 'next':
      return { id: null, command: 'step', args: { kind: (rest[0] ?? 'over').toUpperCase() } };
    case 'continue':
    case 'c':
      return { id: null, command: 'continue' };
    case 'pause':
      return { id: null, command: 'pause' };
    case 'eval':
    case 'p':
      return { id: null, command: 'eval', args: { expression: tail } };
    case 'stack':
    case 'bt':
      return { id: null, command: 'stackTrace' };
    case 'restart':
      return { id: null, command: 'restart' };
    case 'terminate':
      return { id: null, command: 'terminate' };
    default:
      throw new SessionError(
        'BAD_USER_INPUT',
        `unknown shorthand "${word.slice(0, 50)}"; try step [over|into|out], continue, pause, eval <expression>, stack, restart, terminate`,
      );
  }
}

function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.has(scope)) throw apiError('FORBIDDEN', `this command needs the "${scope}" scope`);
}

/** A snapshot as the API shows it: the frame's id is its opaque API id (as `stackTrace` gives it). */
function snapshotView(snapshot: VariableSnapshot): Record<string, unknown> {
  const { ref, ...frame } = snapshot.frame;
  return { ...snapshot, frame: { ...frame, id: ref } };
}

/** What a command result says of the session. */
function sessionView(session: Session): Record<string, unknown> {
  return {
    id: session.id,
    runtime: session.spec.runtime,
    state: session.state,
    program: session.spec.program,
    generation: session.generation,
    exitCode: session.exitCode ?? null,
    stoppedAt: session.stoppedAt ?? null,
  };
}
