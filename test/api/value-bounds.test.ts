/** A huge value is cut where it lives: it never crosses the debugger connection whole. */
import { describe, expect, it } from 'vitest';
import {
  CreateSessionDocument,
  EvalDocument,
  GetSessionDocument,
  ScopesDocument,
  SnapshotDocument,
  StackTraceDocument,
  TerminateSessionDocument,
  VariablesDocument,
} from '../generated/graphql.js';
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

  it('a 100 MB local is cut in the debuggee: snapshot and variables show a short value', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/big-local.js' } },
      suite.token,
    );
    const id = createSession.id;
    const rss = process.memoryUsage().rss;
    await expect
      .poll(async () => (await suite.server.ok(GetSessionDocument, { id }, suite.token)).session?.state, { timeout: 30_000 })
      .toBe('PAUSED');
    const { session } = await suite.server.ok(SnapshotDocument, { id }, suite.token);
    const big = session?.snapshot?.variables.find((v) => v.name === 'big');
    expect(big?.type).toBe('string');
    expect(big?.value.length).toBeLessThanOrEqual(1000);
    expect(big?.value.startsWith('"xxxx')).toBe(true);
    expect(big?.value.endsWith('…')).toBe(true);

    const stack = (await suite.server.ok(StackTraceDocument, { id }, suite.token)).session?.stackTrace ?? [];
    const frameId = stack[0]?.id ?? '';
    const scopes = (await suite.server.ok(ScopesDocument, { id, frameId }, suite.token)).session?.scopes ?? [];
    const local = scopes.find((s) => s.name === 'Local');
    const variables = async (reference: string) =>
      (await suite.server.ok(VariablesDocument, { id, reference }, suite.token)).session?.variables ?? [];
    const locals = await variables(local?.reference ?? '');
    // Every other local is listed as usual next to the cut one.
    expect(locals.map((v) => v.name)).toEqual(expect.arrayContaining(['big', 'nested', 'list']));
    const nested = await variables(locals.find((v) => v.name === 'nested')?.reference ?? '');
    expect(nested.find((v) => v.name === 'text')?.value.length).toBeLessThanOrEqual(1000);
    expect(nested.find((v) => v.name === 'n')?.value).toBe('1');
    const list = await variables(locals.find((v) => v.name === 'list')?.reference ?? '');
    expect(list.find((v) => v.name === '0')?.value.length).toBeLessThanOrEqual(1000);
    expect(list.find((v) => v.name === '1')?.value).toBe('"small"');
    // Collections: their preview and their entries, read from the Map and Set themselves.
    expect(locals.find((v) => v.name === 'cache')?.value).toMatch(/^Map\(1\)/);
    const cache = await variables(locals.find((v) => v.name === 'cache')?.reference ?? '');
    const entries = await variables(cache.find((v) => v.name === '[[Entries]]')?.reference ?? '');
    const entry = await variables(entries[0]?.reference ?? '');
    expect(entry.find((v) => v.name === 'key')?.value).toBe('"file"');
    expect(entry.find((v) => v.name === 'value')?.value.length).toBeLessThanOrEqual(1000);
    const tags = await variables(locals.find((v) => v.name === 'tags')?.reference ?? '');
    const tagEntries = await variables(tags.find((v) => v.name === '[[Entries]]')?.reference ?? '');
    expect(tagEntries[0]?.value.length).toBeLessThanOrEqual(1000);
    // Had the string crossed the inspector connection (once per read), the server would have grown by hundreds of MiB.
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });
});
