import type { ExecutionResult } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';
import {
  CreateSessionDocument,
  EvalDocument,
  GetSessionDocument,
  ListSessionsDocument,
  LogLinesDocument,
  LogsDocument,
  SetBreakpointsDocument,
  SessionEventsDocument,
  StepDocument,
  TerminateSessionDocument,
} from '../generated/graphql.js';
import { collect, SECRET, TestServer } from '../support/server.js';

const SESSIONS = '{ sessions { id } }';

/** Tokens that must all be refused, by how they are wrong. */
async function badTokens(): Promise<Record<string, string>> {
  const key = new TextEncoder().encode(SECRET);
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ scope: 'sessions:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(key);
  const noSubject = await new SignJWT({ scope: 'sessions:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(now + 600)
    .sign(key);
  const noExpiry = await new SignJWT({ scope: 'sessions:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(key);
  const signed = (claims: { iat?: number; exp: number }) => {
    const jwt = new SignJWT({ scope: 'sessions:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(claims.exp);
    return (claims.iat === undefined ? jwt : jwt.setIssuedAt(claims.iat)).sign(key);
  };
  const year = 365 * 86_400;
  const centuryLong = await signed({ iat: now, exp: now + 100 * year });
  const fromTheFuture = await signed({ iat: now + year, exp: now + year + 600 });
  const longWithoutIat = await signed({ exp: now + 2 * 86_400 });
  const wrongKey = await new TokenService('another-secret-another-secret-another-secret').sign('alice', ['sessions:read'], 600);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: 'alice', scope: 'sessions:read', exp: now + 600 })).toString('base64url');
  return {
    malformed: 'not-a-jwt',
    expired,
    'wrongly signed': wrongKey,
    'alg none': `${header}.${payload}.`,
    'without sub': noSubject,
    'without exp': noExpiry,
    'century-long': centuryLong,
    'future-dated': fromTheFuture,
    'two-day (no iat)': longWithoutIat,
  };
}

describe('authentication and isolation', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let bad: Record<string, string>;

  beforeAll(async () => {
    server = await TestServer.start();
    alice = await server.token('alice');
    bob = await server.token('bob');
    bad = await badTokens();
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('over HTTP', () => {
    it('asks for a token when there is none (401, UNAUTHENTICATED)', async () => {
      const res = await server.raw(SESSIONS);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    });

    it('refuses a header that is not a bearer token', async () => {
      const res = await server.raw(SESSIONS, {}, `Basic ${Buffer.from('a:b').toString('base64')}`);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      'malformed',
      'expired',
      'wrongly signed',
      'alg none',
      'without sub',
      'without exp',
      'century-long',
      'future-dated',
      'two-day (no iat)',
    ])('refuses a %s token', async (kind) => {
      const res = await server.raw(SESSIONS, {}, `Bearer ${bad[kind]}`);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    });

    it('needs the right scope for each operation (FORBIDDEN)', async () => {
      const readOnly = await server.token('alice', ['sessions:read']);
      const created = await server.request(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js' } }, readOnly);
      expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(created.errors?.[0]?.message).toMatch(/sessions:write/);

      const noScopes = await server.token('alice', []);
      const listed = await server.request(ListSessionsDocument, {}, noScopes);
      expect(listed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const session = (
        await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } }, alice)
      ).createSession;
      const controlOnly = await server.token('alice', ['sessions:read', 'debug:control']);
      const evaluated = await server.request(EvalDocument, { id: session.id, expression: '1' }, controlOnly);
      expect(evaluated.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(evaluated.errors?.[0]?.message).toMatch(/debug:eval/);
      const logs = await server.request(LogsDocument, { id: session.id }, controlOnly);
      expect(logs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const stepped = await server.request(StepDocument, { id: session.id }, readOnly);
      expect(stepped.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // Conditions and logpoints run code in the debuggee: they need debug:eval too.
      for (const bp of [
        { line: 2, condition: 'true' },
        { line: 2, logMessage: '{process.pid}' },
      ]) {
        const guarded = await server.request(
          SetBreakpointsDocument,
          { id: session.id, source: 'programs/counter.js', breakpoints: [bp] },
          controlOnly,
        );
        expect(guarded.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(guarded.errors?.[0]?.message).toMatch(/debug:eval/);
      }
      const plain = await server.request(
        SetBreakpointsDocument,
        { id: session.id, source: 'programs/counter.js', breakpoints: [{ line: 2 }] },
        controlOnly,
      );
      expect(plain.errors).toBeUndefined();
      // The same rule for the breakpoints createSession installs: refused, and nothing starts.
      const writer = await server.token('alice', ['sessions:read', 'sessions:write', 'debug:control']);
      const before = (await server.ok(ListSessionsDocument, {}, alice)).sessions.length;
      const conditional = await server.request(
        CreateSessionDocument,
        {
          input: {
            runtime: 'NODE',
            program: 'programs/counter.js',
            breakpoints: [{ source: 'programs/counter.js', line: 2, condition: 'true' }],
          },
        },
        writer,
      );
      expect(conditional.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(conditional.errors?.[0]?.message).toBe('this operation needs the "debug:eval" scope');
      expect((await server.ok(ListSessionsDocument, {}, alice)).sessions.length).toBe(before);
      await server.ok(TerminateSessionDocument, { id: session.id }, alice);
    });

    it('names the missing scope, and checks the inspection fields of a session a mutation returns', async () => {
      const writeOnly = await server.token('alice', ['sessions:write']);
      const created = await server.raw(
        'mutation { createSession(input: { runtime: NODE, program: "programs/counter.js", stopOnEntry: true }) { id stackTrace { line } } }',
        {},
        `Bearer ${writeOnly}`,
      );
      expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(created.errors?.[0]?.message).toBe('this operation needs the "sessions:read" scope');
      for (const session of (await server.ok(ListSessionsDocument, {}, alice)).sessions) {
        await server.request(TerminateSessionDocument, { id: session.id }, alice);
      }
    });

    it("hides one subject's sessions from another, exactly like ids that do not exist", async () => {
      const session = (
        await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } }, alice)
      ).createSession;
      expect((await server.ok(GetSessionDocument, { id: session.id }, bob)).session).toBeNull();
      expect((await server.ok(ListSessionsDocument, {}, bob)).sessions.map((s) => s.id)).not.toContain(session.id);
      expect((await server.ok(ListSessionsDocument, {}, alice)).sessions.map((s) => s.id)).toContain(session.id);

      const theirs = await server.request(StepDocument, { id: session.id }, bob);
      const missing = await server.request(StepDocument, { id: '00000000-0000-0000-0000-000000000000' }, bob);
      expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(theirs.errors?.[0]?.message.replace(session.id, 'ID')).toBe(
        missing.errors?.[0]?.message.replace('00000000-0000-0000-0000-000000000000', 'ID'),
      );
      const terminate = await server.request(TerminateSessionDocument, { id: session.id }, bob);
      expect(terminate.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      const ws = server.ws(`Bearer ${bob}`);
      try {
        const events = collect<unknown>(
          (sink) => ws.subscribe({ query: SessionEventsDocument.toString(), variables: { id: session.id } }, sink),
          () => false,
        );
        const items = await events.done;
        expect(JSON.stringify(items)).toMatch(/NOT_FOUND/);
      } finally {
        await ws.dispose();
      }
      // Still alive and alice's.
      expect((await server.ok(GetSessionDocument, { id: session.id }, alice)).session?.state).toBe('PAUSED');
      await server.ok(TerminateSessionDocument, { id: session.id }, alice);
    });
  });

  describe('over GraphQL-over-SSE', () => {
    it.each(['missing', 'malformed', 'expired', 'wrongly signed'])('refuses a %s token with 401', async (kind) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
      if (kind !== 'missing') headers.authorization = `Bearer ${bad[kind]}`;
      const res = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: 'subscription($id: ID!) { sessionEvents(sessionId: $id) { kind } }', variables: { id: 'x' } }),
      });
      const text = await res.text();
      if (kind === 'missing') {
        // No credentials at all: the operation itself answers UNAUTHENTICATED.
        expect(text).toMatch(/UNAUTHENTICATED/);
        // Invalid arguments change nothing: a caller without a token learns only that it needs one.
        const invalid = await fetch(server.graphqlUrl, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: 'mutation { eval(sessionId: "x", expression: "1", timeoutMs: 0) { value } }' }),
        });
        const answer = await invalid.text();
        expect(answer).toMatch(/UNAUTHENTICATED/);
        expect(answer).not.toMatch(/BAD_USER_INPUT/);
      } else {
        expect(res.status).toBe(401);
        expect(text).toMatch(/UNAUTHENTICATED/);
      }
    });

    it('streams to a valid token with graphql-sse', async () => {
      const session = (
        await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } }, alice)
      ).createSession;
      const sse = server.sse(`Bearer ${alice}`);
      try {
        const events = collect<{ data?: { sessionEvents: { kind: string } } }>(
          (sink) => sse.subscribe({ query: SessionEventsDocument.toString(), variables: { id: session.id } }, sink),
          (items) => items.some((i) => i.data?.sessionEvents.kind === 'TERMINATED'),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await server.ok(TerminateSessionDocument, { id: session.id }, alice);
        const items = await events.done;
        expect(items.map((i) => i.data?.sessionEvents.kind)).toContain('TERMINATED');
      } finally {
        sse.dispose();
      }
    });
  });

  describe('over graphql-ws', () => {
    const closeCodeOf = async (authorization: string | undefined): Promise<number | undefined> => {
      const ws = server.ws(authorization);
      try {
        const result = collect<unknown>(
          (sink) => ws.subscribe({ query: SESSIONS }, sink),
          () => true,
          5000,
        );
        try {
          await result.done;
          return undefined;
        } catch (err) {
          return (err as { code?: number }).code;
        }
      } finally {
        await ws.dispose();
      }
    };

    it('closes with 4401 (not retried by graphql-ws clients) when there is no token', async () => {
      expect(await closeCodeOf(undefined)).toBe(4401);
    });

    it.each(['malformed', 'expired', 'wrongly signed', 'alg none', 'without sub', 'century-long', 'future-dated'])(
      'closes with 4401 for a %s token',
      async (kind) => {
        expect(await closeCodeOf(`Bearer ${bad[kind]}`)).toBe(4401);
      },
    );

    it("checks a subscription's scopes when it is subscribed to, not at its first message (FORBIDDEN at once)", async () => {
      // Paused on entry: the program writes nothing and no event comes, so only a check at
      // subscribe time can answer.
      const session = (
        await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } }, alice)
      ).createSession;
      const cases = [
        { scopes: ['sessions:read'], query: LogLinesDocument.toString(), needs: 'logs:read' },
        { scopes: ['logs:read'], query: SessionEventsDocument.toString(), needs: 'sessions:read' },
        {
          scopes: ['logs:read'],
          query: 'subscription($id: ID!) { variableSnapshots(sessionId: $id) { generation } }',
          needs: 'sessions:read',
        },
      ];
      for (const { scopes, query, needs } of cases) {
        const token = await server.token('alice', scopes);
        const ws = server.ws(`Bearer ${token}`);
        const sse = server.sse(`Bearer ${token}`);
        try {
          for (const client of [ws, sse]) {
            const items = await collect<ExecutionResult>(
              (sink) => client.subscribe({ query, variables: { id: session.id } }, sink),
              (got) => got.length > 0,
              5000,
            ).done;
            expect(items[0]?.errors?.[0]?.extensions.code, query).toBe('FORBIDDEN');
            expect(items[0]?.errors?.[0]?.message).toBe(`this operation needs the "${needs}" scope`);
          }
        } finally {
          sse.dispose();
          await ws.dispose();
        }
      }
      await server.ok(TerminateSessionDocument, { id: session.id }, alice);
    });

    it('accepts the token in connectionParams, with or without the Bearer prefix', async () => {
      for (const authorization of [`Bearer ${alice}`, alice]) {
        const ws = server.ws(authorization);
        try {
          const result = collect<{ data?: unknown }>(
            (sink) => ws.subscribe({ query: SESSIONS }, sink),
            (items) => items.length > 0,
          );
          const [first] = await result.done;
          expect(Array.isArray((first?.data as { sessions?: unknown } | undefined)?.sessions)).toBe(true);
        } finally {
          await ws.dispose();
        }
      }
    });

    it('accepts the token in the upgrade request header', async () => {
      const { createClient } = await import('graphql-ws');
      const { default: WebSocket } = await import('ws');
      class AuthorizedWebSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { authorization: `Bearer ${alice}` } });
        }
      }
      const ws = createClient({ url: server.graphqlUrl.replace('http', 'ws'), webSocketImpl: AuthorizedWebSocket, retryAttempts: 0 });
      try {
        const result = collect<{ data?: unknown }>(
          (sink) => ws.subscribe({ query: SESSIONS }, sink),
          (items) => items.length > 0,
        );
        const [first] = await result.done;
        expect(Array.isArray((first?.data as { sessions?: unknown } | undefined)?.sessions)).toBe(true);
      } finally {
        await ws.dispose();
      }
    });

    it('closes with 4403 (retried, with a fresh connectionParams) when the token expires during the connection, and 4401 once it is presented expired', async () => {
      const shortLived = await server.token('alice', ['sessions:read'], 2);
      const ws = server.ws(`Bearer ${shortLived}`);
      try {
        const session = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, alice))
          .createSession;
        const events = collect<unknown>(
          (sink) => ws.subscribe({ query: SessionEventsDocument.toString(), variables: { id: session.id } }, sink),
          () => false,
          5000,
        );
        await expect(events.done).rejects.toMatchObject({ code: 4403, reason: 'Forbidden: token expired' });
        // The same token at the next connect: refused, 4401, and a client stops there.
        expect(await closeCodeOf(`Bearer ${shortLived}`)).toBe(4401);
        await server.ok(TerminateSessionDocument, { id: session.id }, alice);
      } finally {
        await ws.dispose();
      }
    });
  });
});
