import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceSetExceptionBreakpointsDocument } from '../generated/graphql.js';
import { Harness } from './harness.js';
import { programsFor, RUNTIMES } from './programs.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

// NODE and PYTHON run side by side; each runtime's tests run one after the other.
describe.concurrent.each(RUNTIMES)('%s', (runtime) => {
  afterEach(async () => {
    await h.terminateAll(runtime);
  });

  describe.sequential('exception breakpoints', () => {
    const p = programsFor(runtime);
    const { exceptions } = p;

    it('ALL stops where a caught exception is raised, with its description', async () => {
      const session = await h.create({ runtime, program: exceptions.path, exceptionFilters: ['ALL'] });
      const stopped = await h.waitForStop(session.id);
      expect(stopped.exceptionFilters).toEqual(['ALL']);
      expect(stopped.stoppedAt).toMatchObject({ reason: 'exception', line: exceptions.raiseLine, source: exceptions.absolute });
      expect(stopped.stoppedAt.description).toMatch(/caught one/);
      expect(stopped.stoppedAt.description).not.toMatch(/uncaught/);
      const stack = await h.stack(session.id);
      expect(stack.slice(0, 2).map((f) => [f.name, f.line])).toEqual([
        ['fail', exceptions.raiseLine],
        [p.topLevelFrame, exceptions.caughtCallLine],
      ]);
      // The handler has not run yet.
      expect((await h.logs(session.id)).filter((l) => l.stream === 'STDOUT')).toEqual([]);
    });

    // debugpy alone would stop again in every frame the exception passes through; the runner passes those over.
    it('ALL stops once per raised exception, where it is raised', async () => {
      const session = await h.create({ runtime, program: exceptions.path, exceptionFilters: ['ALL'] });
      const stops: Array<[number | null, string | null]> = [];
      for (;;) {
        const s = await h.waitForState(session.id, ['PAUSED', 'EXITED']);
        if (s.state !== 'PAUSED') break;
        const stopped = await h.waitForStop(session.id);
        stops.push([stopped.stoppedAt.line, stopped.stoppedAt.description?.match(/(?:un)?caught one/)?.[0] ?? null]);
        await h.continue(session.id);
      }
      expect(stops).toEqual([
        [exceptions.raiseLine, 'caught one'],
        [exceptions.raiseLine, 'uncaught one'],
      ]);
    });

    it('UNCAUGHT skips the caught exception and stops at the uncaught one; continuing ends the program', async () => {
      const session = await h.create({ runtime, program: exceptions.path, stopOnEntry: true });
      const set = (await h.http(ConformanceSetExceptionBreakpointsDocument, { id: session.id, filters: ['UNCAUGHT'] }))
        .setExceptionBreakpoints;
      expect(set.exceptionFilters).toEqual(['UNCAUGHT']);
      await h.continue(session.id);

      const stopped = await h.waitForStop(session.id);
      expect(stopped.stoppedAt).toMatchObject({ reason: 'exception', line: exceptions.raiseLine, source: exceptions.absolute });
      expect(stopped.stoppedAt.description).toMatch(/uncaught one/);
      const stack = await h.stack(session.id);
      expect(stack[1]).toMatchObject({ name: p.topLevelFrame, line: exceptions.uncaughtCallLine });
      // The caught exception was handled without a stop.
      expect((await h.logs(session.id)).filter((l) => l.stream === 'STDOUT').map((l) => l.text)).toEqual(['caught it']);

      await h.continue(session.id);
      const ended = await h.waitForState(session.id, ['EXITED']);
      expect(ended.exitCode).toBe(exceptions.exitCode);
      const stderr = (await h.logs(session.id)).filter((l) => l.stream === 'STDERR').map((l) => l.text);
      expect(stderr).toContainEqual(expect.stringMatching(/uncaught one/));
    });

    it('no filter: the program is not stopped and dies of the uncaught exception', async () => {
      const session = await h.create({ runtime, program: exceptions.path });
      const ended = await h.waitForState(session.id, ['EXITED', 'PAUSED']);
      expect(ended).toMatchObject({ state: 'EXITED', exitCode: exceptions.exitCode, exceptionFilters: [] });
    });
  });
});
