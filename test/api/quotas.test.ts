/** Quotas on live sessions, and one createSession per operation, on HTTP and graphql-ws. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, RestartSessionDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { processesRunning } from '../support/processes.js';
import { TestServer } from '../support/server.js';

const IDLE = 'programs/ticker.js';

describe('session quotas and one createSession per operation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ DEBUG_SERVER_MAX_SESSIONS_PER_OWNER: '2', DEBUG_SERVER_MAX_SESSIONS: '3' });
  });
  afterAll(() => server.stop());

  const create = async (token: string) =>
    server.raw<{ createSession: { id: string; state: string } }>(
      CreateSessionDocument.toString(),
      { input: { runtime: 'NODE', program: IDLE } },
      `Bearer ${token}`,
    );

  it('refuses two createSession fields in one operation (aliases or fragments), starting nothing, on every transport', async () => {
    const token = await server.token(`multi-${randomUUID()}`);
    const marker = randomUUID();
    const input = `{ runtime: NODE, program: "${IDLE}", args: ["${marker}"] }`;
    const aliases = `mutation { a: createSession(input: ${input}) { id } b: createSession(input: ${input}) { id } }`;
    const fragments = `mutation { ...F ...F } fragment F on Mutation { createSession(input: ${input}) { id } }`;
    for (const query of [aliases, fragments]) {
      const res = await server.raw(query, {}, `Bearer ${token}`);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/one session at most/);
      expect(res.data ?? null).toBeNull();
      const ws = server.ws(`Bearer ${token}`);
      const over = await new Promise<unknown>((resolve) => {
        ws.subscribe({ query }, { next: resolve, error: resolve, complete: () => undefined });
      });
      await ws.dispose();
      expect(JSON.stringify(over)).toMatch(/one session at most/);
    }
    expect(processesRunning(marker)).toEqual([]);
  });

  it('LIMIT_EXCEEDED past the per-owner and the total number of live sessions; ended sessions do not count', async () => {
    const alice = await server.token(`alice-${randomUUID()}`);
    const bob = await server.token(`bob-${randomUUID()}`);
    const a1 = (await create(alice)).data!.createSession.id;
    const a2 = (await create(alice)).data!.createSession.id;
    const over = await create(alice);
    expect(over.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(over.errors?.[0]?.message).toMatch(/per owner/);

    const b1 = (await create(bob)).data!.createSession.id;
    const total = await create(bob);
    expect(total.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');

    // An ended session frees its place, and restarting it needs one again.
    await server.ok(TerminateSessionDocument, { id: a1 }, alice);
    const a3 = (await create(alice)).data!.createSession.id;
    const restart = await server.request(RestartSessionDocument, { id: a1 }, alice);
    expect(restart.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    for (const [id, token] of [
      [a2, alice],
      [a3, alice],
      [b1, bob],
    ] as const) {
      await server.ok(TerminateSessionDocument, { id }, token);
    }
  });
});
