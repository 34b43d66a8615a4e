/** A huge value is cut where it lives: it never crosses the debugger connection whole. */
import { describe, expect, it } from 'vitest';
import { CreateSessionDocument, EvalDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { serverForSuite } from '../support/server.js';

describe('values are cut in the debuggee', () => {
  const suite = serverForSuite();

  it('evaluating a 200 MB string answers a short value and costs the server little memory', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/ticker.js', stopOnEntry: true } },
      suite.token,
    );
    const rss = process.memoryUsage().rss;
    const result = await suite.server.ok(
      EvalDocument,
      { id: createSession.id, expression: "'x'.repeat(200 * 1024 * 1024)", timeoutMs: 20_000 },
      suite.token,
    );
    expect(result.eval.type).toBe('string');
    expect(result.eval.value.length).toBeLessThan(70_000);
    expect(result.eval.value.startsWith('"xxxx')).toBe(true);
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024);
    // Statements still evaluate as they are.
    expect((await suite.server.ok(EvalDocument, { id: createSession.id, expression: 'let a = 2; a * 21' }, suite.token)).eval.value).toBe(
      '42',
    );
    await suite.server.ok(TerminateSessionDocument, { id: createSession.id }, suite.token);
  });
});
