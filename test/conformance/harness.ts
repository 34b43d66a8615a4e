/**
 * The conformance suite's client: a real debug-server per test file, driven only through the
 * GraphQL API. Mutations that answer at a stop (step, pause) and every subscription go over
 * graphql-ws; plain reads go over HTTP. Every session a test creates is terminated afterwards.
 */
import type { Client as WsClient } from 'graphql-ws';
import {
  ConformanceContinueDocument,
  ConformanceCreateDocument,
  ConformanceEvalDocument,
  ConformanceLogsDocument,
  ConformancePauseDocument,
  ConformanceScopesDocument,
  ConformanceSessionDocument,
  ConformanceSetBreakpointsDocument,
  ConformanceStackDocument,
  ConformanceStepDocument,
  ConformanceTerminateDocument,
  ConformanceVariablesDocument,
  type BreakpointInput,
  type ConformanceCreateMutation,
  type ConformanceSessionQuery,
  type CreateSessionInput,
  type Runtime,
  type SessionState,
  type StepKind,
  type TypedDocumentString,
} from '../generated/graphql.js';
import { collect, eventually, TestServer } from '../support/server.js';

export type Session = NonNullable<ConformanceSessionQuery['session']>;
export type CreatedSession = ConformanceCreateMutation['createSession'];

/** A running subscription: `items` fills as data arrives; `done` when `until` holds; `completed` when the server ends it. */
export interface Subscription<T> {
  items: T[];
  done: Promise<T[]>;
  completed: Promise<void>;
  stop: () => void;
}

export class Harness {
  readonly #sessions = new Map<string, Runtime>();

  private constructor(
    readonly server: TestServer,
    readonly token: string,
    readonly ws: WsClient,
  ) {}

  static async start(): Promise<Harness> {
    const server = await TestServer.start();
    const token = await server.token('conformance');
    // Connected up front, so a subscription reaches the server as soon as it is sent.
    const ws = server.ws(`Bearer ${token}`, { lazy: false });
    await new Promise<void>((resolve, reject) => {
      ws.on('connected', () => resolve());
      ws.on('closed', (event) => reject(new Error(`graphql-ws closed: ${JSON.stringify(event)}`)));
    });
    return new Harness(server, token, ws);
  }

  /** A query or mutation over HTTP; fails the test on any GraphQL error. */
  http<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    return this.server.ok(document, variables, this.token);
  }

  /** A query or mutation over graphql-ws; fails the test on any GraphQL error. */
  request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      let result: TResult | undefined;
      this.ws.subscribe<TResult>(
        { query: document.toString(), variables: variables as Record<string, unknown> },
        {
          next: (value) => {
            if (value.errors?.length || !value.data) reject(new Error(`GraphQL errors: ${JSON.stringify(value.errors)}`));
            else result = value.data;
          },
          error: (err: unknown) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
          complete: () => (result === undefined ? reject(new Error('no result')) : resolve(result)),
        },
      );
    });
  }

  /** Subscribes over graphql-ws; data only (a GraphQL error fails `done`). */
  subscribe<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    until: (items: TResult[]) => boolean = () => false,
    timeoutMs = 20_000,
  ): Subscription<TResult> {
    const items: TResult[] = [];
    const inner = collect<TResult>(
      (sink) =>
        this.ws.subscribe<TResult>(
          { query: document.toString(), variables: variables as Record<string, unknown> },
          {
            next: (value) => {
              if (value.errors?.length || !value.data) sink.error(new Error(`GraphQL errors: ${JSON.stringify(value.errors)}`));
              else {
                items.push(value.data);
                sink.next(value.data);
              }
            },
            error: sink.error,
            complete: sink.complete,
          },
        ),
      until,
      timeoutMs,
    );
    return { items, done: inner.done, completed: inner.completed, stop: inner.stop };
  }

  /** Creates a session (tracked, so {@link terminateAll} ends it). */
  async create(input: CreateSessionInput): Promise<CreatedSession> {
    const session = (await this.http(ConformanceCreateDocument, { input })).createSession;
    this.#sessions.set(session.id, input.runtime);
    return session;
  }

  async session(id: string): Promise<Session> {
    const session = (await this.http(ConformanceSessionDocument, { id })).session;
    if (!session) throw new Error(`session ${id} not found`);
    return session;
  }

  /** Polls until the session is in one of `states`. */
  waitForState(id: string, states: readonly SessionState[], timeoutMs = 15_000): Promise<Session> {
    return eventually(async () => {
      const s = await this.session(id);
      return states.includes(s.state) ? s : undefined;
    }, timeoutMs);
  }

  /**
   * Polls until the session is stopped and the stop is complete (fails if it ends instead).
   *
   * (The session only turns PAUSED once the stop's line is known; waiting for the line too is harmless.)
   */
  async waitForStop(id: string, timeoutMs = 15_000): Promise<Session & { stoppedAt: NonNullable<Session['stoppedAt']> }> {
    const s = await eventually(async () => {
      const current = await this.session(id);
      if (current.state === 'PAUSED' && current.stoppedAt?.line == null) return undefined;
      return ['PAUSED', 'EXITED', 'FAILED', 'TERMINATED'].includes(current.state) ? current : undefined;
    }, timeoutMs);
    if (s.state !== 'PAUSED' || !s.stoppedAt) throw new Error(`expected PAUSED, got ${s.state}`);
    return { ...s, stoppedAt: s.stoppedAt };
  }

  /** Sends an operation that must fail; returns the error's `extensions.code`. */
  async errorCode<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<string> {
    const res = await this.server.request(document, variables, this.token);
    const code = res.errors?.[0]?.extensions?.code;
    if (!code) throw new Error(`expected an error, got ${JSON.stringify(res)}`);
    return code;
  }

  async continue(id: string) {
    return (await this.http(ConformanceContinueDocument, { id })).continue;
  }

  /** Pauses over graphql-ws; answers at the stop. */
  async pause(id: string) {
    return (await this.request(ConformancePauseDocument, { id })).pause;
  }

  async setBreakpoints(id: string, source: string, breakpoints: BreakpointInput[]) {
    return (await this.http(ConformanceSetBreakpointsDocument, { id, source, breakpoints })).setBreakpoints;
  }

  /** Steps over graphql-ws; answers at the next stop with the new line and snapshot. */
  async step(id: string, kind: StepKind, threadId?: string) {
    return (await this.request(ConformanceStepDocument, { id, kind, threadId })).step;
  }

  async stack(id: string, threadId?: string) {
    return (await this.http(ConformanceStackDocument, { id, threadId })).session?.stackTrace ?? [];
  }

  async scopes(id: string, frameId: string) {
    return (await this.http(ConformanceScopesDocument, { id, frameId })).session?.scopes ?? [];
  }

  async variables(id: string, reference: string, first?: number, after?: number) {
    return (await this.http(ConformanceVariablesDocument, { id, reference, first, after })).session?.variables ?? [];
  }

  /** The variables of the top frame's first non-expensive scope (its locals). */
  async locals(id: string) {
    const [top] = await this.stack(id);
    if (!top) throw new Error('no frames');
    const scope = (await this.scopes(id, top.id)).find((s) => !s.expensive && s.reference);
    if (!scope?.reference) throw new Error('no local scope');
    return this.variables(id, scope.reference, 1000);
  }

  async eval(id: string, expression: string, frameId?: string) {
    return (await this.http(ConformanceEvalDocument, { id, expression, frameId })).eval;
  }

  /** Every buffered log line, oldest first. */
  async logs(id: string) {
    return (await this.http(ConformanceLogsDocument, { id, after: '0', first: 1000 })).session?.logs.lines ?? [];
  }

  async terminate(id: string) {
    return (await this.http(ConformanceTerminateDocument, { id })).terminateSession;
  }

  /** Terminates every session created so far, or those of one runtime (idempotent on the server's side). */
  async terminateAll(runtime?: Runtime): Promise<void> {
    const ids = [...this.#sessions].filter(([, r]) => runtime === undefined || r === runtime).map(([id]) => id);
    for (const id of ids) this.#sessions.delete(id);
    await Promise.all(ids.map((id) => this.terminate(id)));
  }

  async stop(): Promise<void> {
    await this.terminateAll();
    await this.ws.dispose();
    await this.server.stop();
  }
}
