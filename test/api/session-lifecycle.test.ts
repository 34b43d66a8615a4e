import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContinueDocument,
  CreateSessionDocument,
  EvalDocument,
  GetSessionDocument,
  LogsDocument,
  RestartSessionDocument,
  ScopesDocument,
  SetBreakpointsDocument,
  SnapshotDocument,
  StackTraceDocument,
  StepDocument,
  TerminateSessionDocument,
  VariablesDocument,
} from '../generated/graphql.js';
import { eventually, FIXTURES, TestServer } from '../support/server.js';

const COUNTER = 'programs/counter.js';

describe('a Node.js session driven over HTTP', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
  });
  afterAll(async () => {
    await server.stop();
  });

  const create = async (stopOnEntry = true, breakpoints: Array<{ source: string; line: number }> = []) => {
    const data = await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: COUNTER, stopOnEntry, breakpoints } }, token);
    return data.createSession;
  };

  it('stops on entry at the first line of the program', async () => {
    const session = await create();
    expect(session.state).toBe('PAUSED');
    expect(session.runtime).toBe('NODE');
    expect(session.owner).toBe('alice');
    expect(session.program).toBe(`${FIXTURES}${COUNTER}`);
    expect(session.stoppedAt).toMatchObject({ reason: 'entry', line: 6, source: `${FIXTURES}${COUNTER}` });
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('steps over, into and out, answering with the new line and its locals', async () => {
    const session = await create();
    const over = (await server.ok(StepDocument, { id: session.id, kind: 'OVER' }, token)).step;
    expect(over.state).toBe('PAUSED');
    expect(over.stoppedAt).toMatchObject({ reason: 'step', line: 7 });
    // The module's own variables, not the CommonJS loader's plumbing (exports, require, module…).
    const names = over.snapshot?.variables.map((v) => v.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['square', 'total']));
    for (const plumbing of ['exports', 'require', 'module', '__filename', '__dirname', 'this']) expect(names).not.toContain(plumbing);
    // `for (let i = 1; i <= 3; i++)`: V8 stops at the initialiser, then at the test, both on line 7.
    const over2 = (await server.ok(StepDocument, { id: session.id }, token)).step;
    expect(over2.stoppedAt?.line).toBe(7);
    const over3 = (await server.ok(StepDocument, { id: session.id }, token)).step;
    expect(over3.stoppedAt?.line).toBe(8);
    const into = (await server.ok(StepDocument, { id: session.id, kind: 'INTO' }, token)).step;
    expect(into.stoppedAt?.line).toBe(2);
    expect(into.snapshot?.frame.name).toBe('square');
    expect(into.snapshot?.variables.find((v) => v.name === 'n')?.value).toBe('1');
    const out = (await server.ok(StepDocument, { id: session.id, kind: 'OUT' }, token)).step;
    // V8 finishes the caller's statement (`const sq = square(i)`) and stops at the next one.
    expect(out.stoppedAt?.line).toBe(9);
    expect(out.snapshot?.frame.name).not.toBe('square');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('stops at breakpoints and shows the stack, scopes and lazily expanded variables', async () => {
    const session = await create(false, [{ source: COUNTER, line: 3 }]);
    const paused = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'PAUSED' ? s : undefined;
    });
    expect(paused.stoppedAt).toMatchObject({ reason: 'breakpoint', line: 3 });
    expect(paused.breakpoints).toEqual([expect.objectContaining({ verified: true, line: 3 })]);
    expect(paused.threads.length).toBeGreaterThanOrEqual(1);

    const stack = (await server.ok(StackTraceDocument, { id: session.id }, token)).session?.stackTrace ?? [];
    expect(stack[0]).toMatchObject({ name: 'square', line: 3, source: `${FIXTURES}${COUNTER}` });
    expect(stack.length).toBeGreaterThanOrEqual(2);

    const scopes = (await server.ok(ScopesDocument, { id: session.id, frameId: stack[0]!.id }, token)).session?.scopes ?? [];
    const local = scopes.find((s) => !s.expensive && s.reference);
    expect(local).toBeDefined();
    const vars = (await server.ok(VariablesDocument, { id: session.id, reference: local!.reference! }, token)).session?.variables ?? [];
    expect(vars).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'result', value: '1' })]));

    const snapshot = (await server.ok(SnapshotDocument, { id: session.id }, token)).session?.snapshot;
    expect(snapshot).toMatchObject({ reason: 'breakpoint', frame: { name: 'square', line: 3 } });

    // The caller's frame: evaluate there, not only in the top frame.
    const inCaller = (await server.ok(EvalDocument, { id: session.id, expression: 'i * 100', frameId: stack[1]!.id }, token)).eval;
    expect(inCaller).toMatchObject({ value: '100', error: null });
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('evaluates expressions, and reports what a throwing expression threw as a result', async () => {
    const session = await create(false, [{ source: COUNTER, line: 9 }]);
    await eventually(async () =>
      (await server.ok(GetSessionDocument, { id: session.id }, token)).session?.state === 'PAUSED' ? true : undefined,
    );
    const ok = (await server.ok(EvalDocument, { id: session.id, expression: 'sq + 1' }, token)).eval;
    expect(ok).toMatchObject({ value: '2', type: 'number', error: null });
    const obj = (await server.ok(EvalDocument, { id: session.id, expression: '({ a: 1, b: [1, 2] })' }, token)).eval;
    expect(obj.variablesReference).toBeTruthy();
    const children = (await server.ok(VariablesDocument, { id: session.id, reference: obj.variablesReference! }, token)).session?.variables;
    expect(children?.map((v) => v.name)).toEqual(expect.arrayContaining(['a', 'b']));
    const thrown = (await server.ok(EvalDocument, { id: session.id, expression: 'undefinedThing.x' }, token)).eval;
    expect(thrown.error).toMatch(/ReferenceError: undefinedThing is not defined/);
    const syntax = (await server.ok(EvalDocument, { id: session.id, expression: 'let let = (' }, token)).eval;
    expect(syntax.error).toMatch(/SyntaxError/);
    const endless = (await server.ok(EvalDocument, { id: session.id, expression: 'while (true) {}', timeoutMs: 200 }, token)).eval;
    expect(endless.error).toBeTruthy();
    // The session survived all of that.
    const after = (await server.ok(EvalDocument, { id: session.id, expression: 'total + sq' }, token)).eval;
    expect(after.value).toBe('1');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('continues to the end, keeps every output line and the exit code', async () => {
    const session = await create(true);
    const running = (await server.ok(ContinueDocument, { id: session.id }, token)).continue;
    expect(running.state).toBe('RUNNING');
    const exited = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'EXITED' ? s : undefined;
    });
    expect(exited.exitCode).toBe(0);
    const page = (await server.ok(LogsDocument, { id: session.id, after: '0' }, token)).session?.logs;
    const program = page?.lines.filter((l) => l.stream !== 'SYSTEM').map((l) => `${l.stream}:${l.text}`);
    expect(program).toEqual(['STDOUT:i=1 sq=1 total=1', 'STDOUT:i=2 sq=4 total=5', 'STDOUT:i=3 sq=9 total=14', 'STDERR:counter done']);
    expect(page?.lines.at(-1)).toMatchObject({ stream: 'SYSTEM', text: 'process exited with code 0' });
    expect(page?.lost).toBe(0);
    // Paging with the cursor gives the rest and nothing twice.
    const firstTwo = (await server.ok(LogsDocument, { id: session.id, first: 2 }, token)).session?.logs;
    expect(firstTwo?.lines.map((l) => l.text)).toEqual(['i=1 sq=1 total=1', 'i=2 sq=4 total=5']);
    expect(firstTwo?.hasMore).toBe(true);
    const rest = (await server.ok(LogsDocument, { id: session.id, after: firstTwo?.nextCursor }, token)).session?.logs;
    expect(rest?.lines[0]?.text).toBe('i=3 sq=9 total=14');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('sets breakpoints on a running session and reports where they bound', async () => {
    const session = await create(true);
    const bps = (await server.ok(SetBreakpointsDocument, { id: session.id, source: COUNTER, breakpoints: [{ line: 10 }] }, token))
      .setBreakpoints;
    expect(bps).toEqual([expect.objectContaining({ verified: true, line: 10, requestedLine: 10 })]);
    await server.ok(ContinueDocument, { id: session.id }, token);
    const paused = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'PAUSED' ? s : undefined;
    });
    expect(paused.stoppedAt).toMatchObject({ reason: 'breakpoint', line: 10 });
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('restarts: generation goes up, breakpoints survive, logs go on', async () => {
    const session = await create(false, [{ source: COUNTER, line: 9 }]);
    await eventually(async () =>
      (await server.ok(GetSessionDocument, { id: session.id }, token)).session?.state === 'PAUSED' ? true : undefined,
    );
    const restarted = (await server.ok(RestartSessionDocument, { id: session.id }, token)).restartSession;
    expect(restarted.generation).toBe(1);
    const paused = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'PAUSED' && s.generation === 1 ? s : undefined;
    });
    expect(paused.stoppedAt).toMatchObject({ reason: 'breakpoint', line: 9 });
    const logs = (await server.ok(LogsDocument, { id: session.id, after: '0' }, token)).session?.logs.lines ?? [];
    const seqs = logs.map((l) => Number(l.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(logs).toContainEqual(expect.objectContaining({ stream: 'SYSTEM', generation: 1, text: 'restarting (generation 1)' }));
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('terminates: the state is final and the debuggee is gone', async () => {
    const session = await create(true);
    const ended = (await server.ok(TerminateSessionDocument, { id: session.id }, token)).terminateSession;
    expect(ended.state).toBe('TERMINATED');
    const again = (await server.ok(TerminateSessionDocument, { id: session.id }, token)).terminateSession;
    expect(again.state).toBe('TERMINATED');
  });
});
