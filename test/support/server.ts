import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createApp, type App } from '../../src/app.js';
import { ALL_SCOPES } from '../../src/auth/scopes.js';
import { loadConfig } from '../../src/config/config.js';
import type { TypedDocumentString } from '../generated/graphql.js';

/** The tests' workspace: sample programs live here. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
export const SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A real debug-server on an ephemeral loopback port, with helpers to talk to it. */
export class TestServer {
  private constructor(
    readonly app: App,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<TestServer> {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      DEBUG_SERVER_JWT_SECRET: SECRET,
      DEBUG_SERVER_WORKSPACE: FIXTURES,
      DEBUG_SERVER_STOP_WAIT_MS: '10000',
      // Every test session runs boxed (scripts/test.sh installs bubblewrap); the fixtures load the
      // repo's packages (tsx) as a project loads its own node_modules.
      DEBUG_SERVER_SANDBOX: 'bwrap',
      DEBUG_SERVER_SANDBOX_READONLY_PATHS: NODE_MODULES,
      ...env,
    });
    const app = createApp(config, pino({ level: 'silent' }));
    await app.server.listen(0, '127.0.0.1');
    return new TestServer(app, app.server.url());
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** A token for `sub` with the given scopes (default: every scope). */
  token(sub = 'alice', scopes: readonly string[] = ALL_SCOPES, ttlSeconds = 600): Promise<string> {
    return this.app.tokens.sign(sub, scopes, ttlSeconds);
  }

  /** POSTs a typed operation; returns status and body. */
  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    token: string | undefined,
  ): Promise<GraphQLResponse<TResult>> {
    return this.raw(document.toString(), variables as Record<string, unknown>, token ? `Bearer ${token}` : undefined);
  }

  /** POSTs a raw operation with a raw Authorization header. */
  async raw<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    authorization?: string,
  ): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(this.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GraphQLResponse<T>;
    return { ...body, status: res.status };
  }

  /** Like {@link request}, but fails the test on any error. */
  async ok<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    token: string,
  ): Promise<TResult> {
    const res = await this.request(document, variables, token);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  /** A graphql-ws client; `authorization` goes in connectionParams. */
  ws(authorization: string | undefined, options: { lazy?: boolean; retryAttempts?: number } = {}): WsClient {
    return createWsClient({
      url: this.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      lazy: options.lazy ?? true,
      retryAttempts: options.retryAttempts ?? 0,
    });
  }

  /** A GraphQL-over-SSE client (distinct connections mode, as yoga serves it). */
  sse(authorization: string | undefined): SseClient {
    return createSseClient({
      url: this.graphqlUrl,
      headers: authorization ? { authorization } : {},
      retryAttempts: 0,
    });
  }

  async stop(): Promise<void> {
    await this.app.server.close();
  }
}

/** Collects a subscription's results until `until` says stop (or `timeoutMs`). */
export function collect<T>(
  subscribe: (sink: { next: (value: T) => void; error: (err: unknown) => void; complete: () => void }) => () => void,
  until: (items: T[]) => boolean,
  timeoutMs = 15_000,
): { done: Promise<T[]>; items: T[]; completed: Promise<void>; stop: () => void } {
  const items: T[] = [];
  let resolveDone!: (items: T[]) => void;
  let rejectDone!: (err: unknown) => void;
  let resolveCompleted!: () => void;
  const done = new Promise<T[]>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const completed = new Promise<void>((resolve) => {
    resolveCompleted = resolve;
  });
  const timer = setTimeout(() => rejectDone(new Error(`timed out; got ${JSON.stringify(items).slice(0, 2000)}`)), timeoutMs);
  const dispose = subscribe({
    next: (value) => {
      items.push(value);
      if (until(items)) {
        clearTimeout(timer);
        resolveDone(items);
      }
    },
    error: (err) => {
      clearTimeout(timer);
      rejectDone(err);
      resolveCompleted();
    },
    complete: () => {
      clearTimeout(timer);
      resolveDone(items);
      resolveCompleted();
    },
  });
  return {
    done,
    items,
    completed,
    stop: () => {
      clearTimeout(timer);
      dispose();
    },
  };
}

/** Polls `check` until it returns a value (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A {@link TestServer} and a token for `alice` (every scope) for one describe block: started before
 * its tests, stopped after them. Read `server` and `token` inside the tests.
 */
export function serverForSuite(env: Record<string, string> = {}): { readonly server: TestServer; readonly token: string } {
  const suite = {} as { server: TestServer; token: string };
  beforeAll(async () => {
    suite.server = await TestServer.start(env);
    suite.token = await suite.server.token('alice');
  });
  afterAll(() => suite.server.stop());
  return suite;
}
