/** How a session ends when its program is killed from outside: FAILED with the signal, Node and Python alike. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
import { collect, eventually, serverForSuite } from '../support/server.js';

/** The program's own process: the one whose command line has the marker and runs the program file. */
function programPid(marker: string, file: string): number | undefined {
  return processesRunning(marker).find((pid) => {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith(file)) && !argv.some((a) => a.endsWith('bwrap') || a.endsWith('launcher.py'));
  });
}

describe('a program killed from outside', () => {
  const suite = serverForSuite();

  it.each([
    ['NODE', 'programs/ticker.js', 'ticker.js'],
    ['PYTHON', 'python/sleeper.py', 'sleeper.py'],
  ] as const)('%s: FAILED, killed by SIGKILL, in the events and the log', async (runtime, program, file) => {
    const marker = `killed-${randomUUID()}`;
    const { createSession } = await suite.server.ok(CreateSessionDocument, { input: { runtime, program, args: [marker] } }, suite.token);
    const id = createSession.id;
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    const events = collect<{ data?: SessionEventsSubscription | null }>(
      (sink) => ws.subscribe({ query: SessionEventsDocument.toString(), variables: { id } }, sink),
      (items) => items.some((i) => ['FAILED', 'EXITED'].includes(i.data?.sessionEvents.kind ?? '')),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = await eventually(() => programPid(marker, file));
    process.kill(pid, 'SIGKILL');
    const ended = (await events.done).map((i) => i.data!.sessionEvents).find((e) => ['FAILED', 'EXITED'].includes(e.kind))!;
    expect(ended).toMatchObject({ kind: 'FAILED', state: 'FAILED' });
    const logs = await suite.server.ok(LogsDocument, { id, after: null, first: 1000 }, suite.token);
    expect(logs.session?.logs.lines.map((l) => l.text)).toContain('process killed by SIGKILL');
    events.stop();
    await ws.dispose();
  });
});

describe('calls pending when the run ends', () => {
  const suite = serverForSuite();

  it('a step pending across a restart fails with INVALID_STATE, not with the new run’s entry stop', async () => {
    // Stopped at sleeper.py's `time.sleep(600)`: a step over it does not stop for ten minutes.
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'PYTHON', program: 'python/sleeper.py', breakpoints: [{ source: 'python/sleeper.py', line: 5 }] } },
      suite.token,
    );
    const id = createSession.id;
    const stopped = await eventually(async () => {
      const session = (await suite.server.ok(GetSessionDocument, { id }, suite.token)).session;
      return session?.state === 'PAUSED' ? session : undefined;
    });
    expect(stopped.stoppedAt?.line).toBe(5);
    const step = suite.server.request(StepDocument, { id }, suite.token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await suite.server.ok(RestartSessionDocument, { id }, suite.token);
    const answer = await step;
    expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('INVALID_STATE');
    expect(answer.errors?.[0]?.message).toMatch(/restarted/);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });

  it.each([
    ['NODE', 'programs/ticker.js', '(() => { const end = Date.now() + 20000; while (Date.now() < end); })()'],
    ['PYTHON', 'python/sleeper.py', '__import__("time").sleep(30)'],
  ] as const)(
    '%s: an eval pending when the program is killed fails with INVALID_STATE, not a result',
    async (runtime, program, expression) => {
      const marker = `eval-${randomUUID()}`;
      const { createSession } = await suite.server.ok(
        CreateSessionDocument,
        { input: { runtime, program, args: [marker], stopOnEntry: true } },
        suite.token,
      );
      const id = createSession.id;
      const evaluation = suite.server.request(EvalDocument, { id, expression, timeoutMs: 20_000 }, suite.token);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pid = await eventually(() => programPid(marker, program.split('/')[1]!));
      process.kill(pid, 'SIGKILL');
      const answer = await evaluation;
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('INVALID_STATE');
    },
  );
});
