/** A huge value is cut where it lives: it never crosses the debugger connection whole. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, EvalDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { TestServer } from '../support/server.js';

describe('values are cut in the debuggee', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
  });
  afterAll(() => server.stop());

  it('evaluating a 200 MB string answers a short value and costs the server little memory', async () => {
    const { createSession } = await server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/ticker.js', stopOnEntry: true } },
      token,
    );
    const rss = process.memoryUsage().rss;
    const result = await server.ok(
      EvalDocument,
      { id: createSession.id, expression: "'x'.repeat(200 * 1024 * 1024)", timeoutMs: 20_000 },
      token,
    );
    expect(result.eval.type).toBe('string');
    expect(result.eval.value.length).toBeLessThan(70_000);
    expect(result.eval.value.startsWith('"xxxx')).toBe(true);
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024);
    // Statements still evaluate as they are.
    expect((await server.ok(EvalDocument, { id: createSession.id, expression: 'let a = 2; a * 21' }, token)).eval.value).toBe('42');
    await server.ok(TerminateSessionDocument, { id: createSession.id }, token);
  });
});
