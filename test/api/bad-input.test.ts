import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContinueDocument,
  CreateSessionDocument,
  EvalDocument,
  GetSessionDocument,
  ListSessionsDocument,
  LogsDocument,
  SetBreakpointsDocument,
  StepDocument,
  TerminateSessionDocument,
  VariablesDocument,
} from '../generated/graphql.js';
import { eventually, FIXTURES, TestServer } from '../support/server.js';
import { processesRunning } from '../support/processes.js';

describe('bad input gets a typed error, never a crash, a hang or a leftover process', () => {
  let server: TestServer;
  let token: string;
  let outside: string;

  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
    outside = mkdtempSync(path.join(tmpdir(), 'debug-server-outside-'));
    writeFileSync(path.join(outside, 'evil.js'), 'console.log("must never run")\n');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(outside, { recursive: true, force: true });
  });

  const createError = async (input: Record<string, unknown>) => {
    const res = await server.raw(CreateSessionDocument.toString(), { input: { runtime: 'NODE', ...input } }, `Bearer ${token}`);
    return res.errors?.[0];
  };

  it('refuses a program outside the workspace, by path, by ../ and by symlink, launching nothing', async () => {
    const before = (await server.ok(ListSessionsDocument, {}, token)).sessions.length;
    const outsideError = await createError({ program: path.join(outside, 'evil.js') });
    expect(outsideError?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(outsideError?.message).toMatch(/outside the workspace/);
    expect((await createError({ program: `../${path.relative(path.dirname(FIXTURES), outside)}/evil.js` }))?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    const link = path.join(FIXTURES, 'programs', `link-${process.pid}.js`);
    symlinkSync(path.join(outside, 'evil.js'), link);
    try {
      expect((await createError({ program: link }))?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      rmSync(link);
    }
    expect(await createError({ program: 'programs/counter.js', cwd: outside })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect((await server.ok(ListSessionsDocument, {}, token)).sessions.length).toBe(before);
    expect(processesRunning('evil.js')).toEqual([]);
  });

  it('refuses a missing program, a directory, and malformed input', async () => {
    const missing = await createError({ program: 'programs/nope.js' });
    expect(missing?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing?.message).toMatch(/does not exist/);
    expect((await createError({ program: 'programs' }))?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await createError({ program: '' })).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: 'program: program is empty',
    });
    // Every issue, by its path inside the argument, joined with "; ".
    expect((await createError({ program: '', env: [{ name: 'LD_PRELOAD', value: 'x' }] }))?.message).toBe(
      'program: program is empty; env.0.name: LD_PRELOAD may not be set by clients (it loads code or changes the debugger)',
    );
    expect(
      (await createError({ program: 'programs/counter.js', env: [{ name: 'NODE_OPTIONS', value: '--inspect=0.0.0.0:9229' }] }))?.extensions
        ?.code,
    ).toBe('BAD_USER_INPUT');
    expect((await createError({ program: 'programs/counter.js', env: [{ name: 'A=B', value: 'x' }] }))?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      (await createError({ program: 'programs/counter.js', breakpoints: [{ source: 'programs/counter.js', line: 0 }] }))?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
    // A GraphQL-level mistake (wrong enum) is a validation error, also typed.
    const res = await server.raw('mutation { createSession(input: { runtime: COBOL, program: "x" }) { id } }', {}, `Bearer ${token}`);
    expect(res.errors?.[0]?.extensions?.code).toBeDefined();
  });

  it('reports a program that cannot start as FAILED, with its stderr in the logs', async () => {
    const session = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/syntax-error.js' } }, token))
      .createSession;
    const failed = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'FAILED' ? s : undefined;
    });
    expect(failed.state).toBe('FAILED');
    const logs = (await server.ok(LogsDocument, { id: session.id, after: '0' }, token)).session?.logs.lines ?? [];
    expect(
      logs
        .filter((l) => l.stream === 'STDERR')
        .map((l) => l.text)
        .join('\n'),
    ).toMatch(/SyntaxError/);
    expect(logs.some((l) => l.text.includes('never printed'))).toBe(false);
    expect(processesRunning('syntax-error.js')).toEqual([]);
  });

  it('keeps the stderr and exit code of a program that throws at start', async () => {
    const session = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/crash-on-start.js' } }, token))
      .createSession;
    const ended = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s && (s.state === 'EXITED' || s.state === 'FAILED') ? s : undefined;
    });
    expect(ended.exitCode).toBe(1);
    const logs = (await server.ok(LogsDocument, { id: session.id, after: '0' }, token)).session?.logs.lines ?? [];
    expect(logs.map((l) => l.text).join('\n')).toMatch(/boom at start/);
  });

  it('refuses step, eval and variables while running (INVALID_STATE), and the session goes on', async () => {
    const session = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, token))
      .createSession;
    expect(session.state).toBe('RUNNING');
    const step = await server.request(StepDocument, { id: session.id }, token);
    expect(step.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_STATE' } });
    const evaluated = await server.request(EvalDocument, { id: session.id, expression: 'n' }, token);
    expect(evaluated.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const cont = await server.request(ContinueDocument, { id: session.id }, token);
    expect(cont.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const vars = await server.request(VariablesDocument, { id: session.id, reference: '1:1' }, token);
    expect(vars.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect((await server.ok(GetSessionDocument, { id: session.id }, token)).session?.state).toBe('RUNNING');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
    expect(processesRunning('ticker.js').length).toBe(0);
  });

  it('refuses stale and malformed references, bad cursors and bad page sizes', async () => {
    const session = (
      await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } }, token)
    ).createSession;
    const malformed = await server.request(VariablesDocument, { id: session.id, reference: 'nope' }, token);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const stale = await server.request(VariablesDocument, { id: session.id, reference: '999:1' }, token);
    expect(stale.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const badCursor = await server.request(LogsDocument, { id: session.id, after: 'abc' }, token);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const future = await server.request(LogsDocument, { id: session.id, after: '999999' }, token);
    expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badFirst = await server.request(LogsDocument, { id: session.id, first: 0 }, token);
    expect(badFirst.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badBp = await server.request(
      SetBreakpointsDocument,
      { id: session.id, source: '/etc/passwd', breakpoints: [{ line: 1 }] },
      token,
    );
    expect(badBp.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badThread = await server.raw(
      'query($id: ID!) { session(id: $id) { stackTrace(threadId: "abc") { line } } }',
      { id: session.id },
      `Bearer ${token}`,
    );
    expect(badThread.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badHit = await server.request(
      SetBreakpointsDocument,
      { id: session.id, source: 'programs/counter.js', breakpoints: [{ line: 2, hitCondition: 'rm -rf' }] },
      token,
    );
    expect(badHit.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const lineZero = await server.request(
      SetBreakpointsDocument,
      { id: session.id, source: 'programs/counter.js', breakpoints: [{ line: 2 }, { line: 0 }] },
      token,
    );
    expect(lineZero.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'breakpoints.1.line: line must be ≥ 1' });
    // Bounds on plain arguments are reported by the argument's name.
    const badTimeout = await server.request(EvalDocument, { id: session.id, expression: '1', timeoutMs: 0 }, token);
    expect(badTimeout.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: 'timeoutMs: must be between 1 and 60000',
    });
    const tooLong = await server.request(EvalDocument, { id: session.id, expression: 'x'.repeat(100_001) }, token);
    expect(tooLong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'expression: at most 100000 characters' });
    const badAfter = await server.request(VariablesDocument, { id: session.id, reference: '1:1', after: -1 }, token);
    expect(badAfter.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'after: must be ≥ 0' });
    const bigPage = await server.request(LogsDocument, { id: session.id, first: 1001 }, token);
    expect(bigPage.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'first: must be between 1 and 1000' });
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('answers NOT_FOUND for an unknown session id on every mutation', async () => {
    const id = 'does-not-exist';
    for (const res of [
      await server.request(StepDocument, { id }, token),
      await server.request(ContinueDocument, { id }, token),
      await server.request(EvalDocument, { id, expression: '1' }, token),
      await server.request(TerminateSessionDocument, { id }, token),
    ]) {
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await server.ok(GetSessionDocument, { id }, token)).session).toBeNull();
  });

  it('answers a malformed request body with a 400, not a crash', async () => {
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
