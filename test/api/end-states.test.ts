/** How a session ends when its program is killed from outside: FAILED with the signal, Node and Python alike. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSessionDocument,
  EvalDocument,
  GetSessionDocument,
  LogsDocument,
  RestartSessionDocument,
  SessionEventsDocument,
  StepDocument,
  TerminateSessionDocument,
  type SessionEventsSubscription,
} from '../generated/graphql.js';
import { processesRunning } from '../support/processes.js';
import { collect, eventually, TestServer } from '../support/server.js';

/** The program's own process: the one whose command line has the marker and runs the program file. */
function programPid(marker: string, file: string): number | undefined {
  return processesRunning(marker).find((pid) => {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith(file)) && !argv.some((a) => a.endsWith('bwrap') || a.endsWith('launcher.py'));
  });
}

describe('a program killed from outside', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
  });
  afterAll(() => server.stop());

  it.each([
    ['NODE', 'programs/ticker.js', 'ticker.js'],
    ['PYTHON', 'python/sleeper.py', 'sleeper.py'],
  ] as const)('%s: FAILED, killed by SIGKILL, in the events and the log', async (runtime, program, file) => {
    const marker = `killed-${randomUUID()}`;
    const { createSession } = await server.ok(CreateSessionDocument, { input: { runtime, program, args: [marker] } }, token);
    const id = createSession.id;
    const ws = server.ws(`Bearer ${token}`);
    const events = collect<{ data?: SessionEventsSubscription | null }>(
      (sink) => ws.subscribe({ query: SessionEventsDocument.toString(), variables: { id } }, sink),
      (items) => items.some((i) => ['FAILED', 'EXITED'].includes(i.data?.sessionEvents.kind ?? '')),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = await eventually(() => programPid(marker, file));
    process.kill(pid, 'SIGKILL');
    const ended = (await events.done).map((i) => i.data!.sessionEvents).find((e) => ['FAILED', 'EXITED'].includes(e.kind))!;
    expect(ended).toMatchObject({ kind: 'FAILED', state: 'FAILED' });
    const logs = await server.ok(LogsDocument, { id, after: null, first: 1000 }, token);
    expect(logs.session?.logs.lines.map((l) => l.text)).toContain('process killed by SIGKILL');
    events.stop();
    await ws.dispose();
  });
});

describe('calls pending when the run ends', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
  });
  afterAll(() => server.stop());

  it('a step pending across a restart fails with INVALID_STATE, not with the new run’s entry stop', async () => {
    // Stopped at sleeper.py's `time.sleep(600)`: a step over it does not stop for ten minutes.
    const { createSession } = await server.ok(
      CreateSessionDocument,
      { input: { runtime: 'PYTHON', program: 'python/sleeper.py', breakpoints: [{ source: 'python/sleeper.py', line: 5 }] } },
      token,
    );
    const id = createSession.id;
    const stopped = await eventually(async () => {
      const session = (await server.ok(GetSessionDocument, { id }, token)).session;
      return session?.state === 'PAUSED' ? session : undefined;
    });
    expect(stopped.stoppedAt?.line).toBe(5);
    const step = server.request(StepDocument, { id }, token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.ok(RestartSessionDocument, { id }, token);
    const answer = await step;
    expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('INVALID_STATE');
    expect(answer.errors?.[0]?.message).toMatch(/restarted/);
    await server.ok(TerminateSessionDocument, { id }, token);
  });

  it.each([
    ['NODE', 'programs/ticker.js', '(() => { const end = Date.now() + 20000; while (Date.now() < end); })()'],
    ['PYTHON', 'python/sleeper.py', '__import__("time").sleep(30)'],
  ] as const)(
    '%s: an eval pending when the program is killed fails with INVALID_STATE, not a result',
    async (runtime, program, expression) => {
      const marker = `eval-${randomUUID()}`;
      const { createSession } = await server.ok(
        CreateSessionDocument,
        { input: { runtime, program, args: [marker], stopOnEntry: true } },
        token,
      );
      const id = createSession.id;
      const evaluation = server.request(EvalDocument, { id, expression, timeoutMs: 20_000 }, token);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pid = await eventually(() => programPid(marker, program.split('/')[1]!));
      process.kill(pid, 'SIGKILL');
      const answer = await evaluation;
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('INVALID_STATE');
    },
  );
});
