/** How a session ends when its program is killed from outside: FAILED with the signal, Node and Python alike. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, LogsDocument, SessionEventsDocument, type SessionEventsSubscription } from '../generated/graphql.js';
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
