/** Long-lived streams end when the token that opened them expires, on every transport, saying so. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, LogLinesDocument, TerminateSessionDocument, type LogLinesSubscription } from '../generated/graphql.js';
import { collect, TestServer } from '../support/server.js';

/** Lifetime of the short tokens below: long enough to open a stream on a busy machine. */
const TTL_SECONDS = 3;

describe('streams end at token expiry', () => {
  let server: TestServer;
  let id: string;
  let longToken: string;
  beforeAll(async () => {
    server = await TestServer.start();
    longToken = await server.token('alice');
    id = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, longToken)).createSession
      .id;
  });
  afterAll(async () => {
    await server.ok(TerminateSessionDocument, { id }, longToken);
    await server.stop();
  });

  it('GraphQL-over-SSE: a last UNAUTHENTICATED "token expired" error, then the end', async () => {
    const token = await server.token('alice', undefined, TTL_SECONDS);
    const sse = server.sse(`Bearer ${token}`);
    const started = Date.now();
    const sub = collect<{ data?: LogLinesSubscription | null }>(
      (sink) => sse.subscribe({ query: LogLinesDocument.toString(), variables: { id } }, sink),
      () => false,
      (TTL_SECONDS + 10) * 1000,
    );
    const outcome = await sub.done.then(
      () => 'completed',
      (err: unknown) => JSON.stringify(err),
    );
    sse.dispose();
    expect(Date.now() - started).toBeGreaterThan(1000);
    const last = sub.items[sub.items.length - 1] as { errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
    // graphql-sse hands the final error result either as a value or as the error itself.
    expect(`${outcome} ${JSON.stringify(last)}`).toMatch(/token expired/);
    expect(`${outcome} ${JSON.stringify(last)}`).toMatch(/UNAUTHENTICATED/);
  });

  it.each([
    ['text/event-stream', /event: expired\ndata: \{"error":"token expired"\}\n\n$/],
    ['application/x-ndjson', /\{"error":"token expired"\}\n$/],
    ['text/plain', /debug-server: token expired, stream ended\n$/],
  ])('REST %s: ends with a last message that says so', async (accept, last) => {
    const token = await server.token('alice', undefined, TTL_SECONDS);
    const started = Date.now();
    const res = await fetch(`${server.url}/sessions/${id}/logs`, { headers: { authorization: `Bearer ${token}`, accept } });
    const body = await res.text();
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(body).toMatch(/tick/);
    expect(body).toMatch(last);
  });
});
