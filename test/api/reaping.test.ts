/** Ended sessions are removed after DEBUG_SERVER_ENDED_SESSION_TTL_SECONDS, streams first. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  CreateSessionDocument,
  GetSessionDocument,
  LogLinesDocument,
  RestartSessionDocument,
  TerminateSessionDocument,
  type LogLinesSubscription,
} from '../generated/graphql.js';
import { collect, eventually, serverForSuite } from '../support/server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('ended sessions are reaped', () => {
  const suite = serverForSuite({ DEBUG_SERVER_ENDED_SESSION_TTL_SECONDS: '1' });

  const state = async (id: string) => (await suite.server.ok(GetSessionDocument, { id }, suite.token)).session?.state ?? null;

  it('an exited session stays its TTL, then its streams complete and it is NOT_FOUND everywhere', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/exit-3.js' } },
      suite.token,
    );
    const id = createSession.id;
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    const logs = collect<{ data?: LogLinesSubscription | null }>(
      (sink) => ws.subscribe({ query: LogLinesDocument.toString(), variables: { id, after: '0' } }, sink),
      () => false,
      10_000,
    );
    await eventually(async () => ((await state(id)) === 'EXITED' ? true : undefined));
    expect(await state(id)).toBe('EXITED');
    await logs.completed;
    expect(await state(id)).toBeNull();
    const rest = await fetch(`${suite.server.url}/sessions/${id}/logs`, { headers: { authorization: `Bearer ${suite.token}` } });
    expect(rest.status).toBe(404);
    const restart = await suite.server.request(RestartSessionDocument, { id }, suite.token);
    expect(restart.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await ws.dispose();
  });

  it('a session restarted within its TTL is kept', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/exit-3.js' } },
      suite.token,
    );
    const id = createSession.id;
    await eventually(async () => ((await state(id)) === 'EXITED' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const restarted = await suite.server.ok(RestartSessionDocument, { id }, suite.token);
    expect(restarted.restartSession.generation).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    // Ended again since (the program exits at once), but less than its TTL ago.
    expect(await state(id)).toBe('EXITED');
    await eventually(async () => ((await state(id)) === null ? true : undefined), 5000);
  });

  it('memory comes back: 40 create → terminate cycles leave no session and the heap near where it was', async () => {
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const warm = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/burst.js', args: ['2000'] } },
      suite.token,
    );
    await eventually(async () => ((await state(warm.createSession.id)) === 'EXITED' ? true : undefined));
    await eventually(() => (suite.server.app.registry.all().length === 0 ? true : undefined), 5000);
    const before = heap();
    for (let i = 0; i < 40; i++) {
      // Each prints 2,000 lines (kept in its log until it is reaped).
      const { createSession } = await suite.server.ok(
        CreateSessionDocument,
        { input: { runtime: 'NODE', program: 'programs/burst.js', args: ['2000'], stopOnEntry: true } },
        suite.token,
      );
      await suite.server.ok(TerminateSessionDocument, { id: createSession.id }, suite.token);
    }
    await eventually(() => (suite.server.app.registry.all().length === 0 ? true : undefined), 5000);
    const grown = heap() - before;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });
});
