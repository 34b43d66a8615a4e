import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  describe.sequential('breakpoints', () => {
    const p = programsFor(runtime);

    /** The value of `i` at each stop until the program exits. */
    const iAtEachStop = async (id: string): Promise<string[]> => {
      const values: string[] = [];
      for (;;) {
        const s = await h.waitForState(id, ['PAUSED', 'EXITED', 'FAILED']);
        if (s.state !== 'PAUSED') break;
        values.push((await h.eval(id, 'i')).value);
        await h.continue(id);
      }
      return values;
    };

    it('installs breakpoints at launch: verified, bound, and hit', async () => {
      const session = await h.create({ runtime, program: p.loop.path, breakpoints: [{ source: p.loop.path, line: p.loop.callLine }] });
      const stopped = await h.waitForStop(session.id);
      expect(stopped.breakpoints).toEqual([
        expect.objectContaining({ verified: true, line: p.loop.callLine, requestedLine: p.loop.callLine, source: p.loop.absolute }),
      ]);
      expect(stopped.stoppedAt).toMatchObject({
        reason: 'breakpoint',
        line: p.loop.callLine,
        source: p.loop.absolute,
        hitBreakpointIds: [stopped.breakpoints[0]!.id],
      });
    });

    it('sets breakpoints on a paused program, replaces and clears them', async () => {
      const session = await h.create({ runtime, program: p.loop.path, stopOnEntry: true });
      const set = await h.setBreakpoints(session.id, p.loop.path, [{ line: p.loop.addFirstLine }, { line: p.loop.printLine }]);
      expect(set).toEqual([
        expect.objectContaining({ verified: true, line: p.loop.addFirstLine, requestedLine: p.loop.addFirstLine }),
        expect.objectContaining({ verified: true, line: p.loop.printLine, requestedLine: p.loop.printLine }),
      ]);
      await h.continue(session.id);
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', line: p.loop.addFirstLine });
      await h.continue(session.id);
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', line: p.loop.printLine });

      // Replace: only the print line is left; then clear: the program runs to its end.
      const replaced = await h.setBreakpoints(session.id, p.loop.path, [{ line: p.loop.printLine }]);
      expect(replaced).toEqual([expect.objectContaining({ line: p.loop.printLine })]);
      expect((await h.session(session.id)).breakpoints).toHaveLength(1);
      await h.continue(session.id);
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ line: p.loop.printLine });
      expect(await h.setBreakpoints(session.id, p.loop.path, [])).toEqual([]);
      await h.continue(session.id);
      expect((await h.waitForState(session.id, ['EXITED'])).exitCode).toBe(p.loop.exitCode);
    });

    it('binds a breakpoint on a line without code to a line with code', async () => {
      const session = await h.create({ runtime, program: p.loop.path, stopOnEntry: true });
      const [bp] = await h.setBreakpoints(session.id, p.loop.path, [{ line: p.loop.commentLine }]);
      expect(bp).toMatchObject({ verified: true, requestedLine: p.loop.commentLine, line: p.loop.commentBindsTo });
      await h.continue(session.id);
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', line: p.loop.commentBindsTo });
    });

    // Node binds a breakpoint above the first statement to that statement. debugpy binds it to
    // "line 0" (the module's RESUME instruction), where it never fires: the runner reports it
    // unverified at the requested line, with a message, rather than a verified line 0.
    it('binds a breakpoint above the first statement to the first statement, or says it cannot', async () => {
      const session = await h.create({ runtime, program: p.loop.path, breakpoints: [{ source: p.loop.path, line: p.loop.headerLine }] });
      const { breakpoints } = await h.session(session.id);
      expect(breakpoints[0]?.line).toBeGreaterThanOrEqual(1);
      if (runtime === 'PYTHON') {
        expect(breakpoints[0]).toMatchObject({ verified: false, line: p.loop.headerLine });
        return;
      }
      expect(breakpoints[0]).toMatchObject({ verified: true, line: p.loop.entryLine });
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', line: p.loop.entryLine });
    });

    it('stops at a conditional breakpoint only when the condition holds', async () => {
      const session = await h.create({
        runtime,
        program: p.loop.path,
        breakpoints: [{ source: p.loop.path, line: p.loop.callLine, condition: 'i == 3' }],
      });
      const stopped = await h.waitForStop(session.id);
      expect(stopped.breakpoints[0]).toMatchObject({ verified: true, condition: 'i == 3' });
      expect(await iAtEachStop(session.id)).toEqual(['3']);
    });

    it.each([
      ['3', ['2']],
      ['>= 4', ['3', '4']],
      ['% 2', ['1', '3']],
    ])('stops at a breakpoint with hitCondition "%s" on the matching hits only', async (hitCondition, expected) => {
      const session = await h.create({
        runtime,
        program: p.loop.path,
        breakpoints: [{ source: p.loop.path, line: p.loop.callLine, hitCondition }],
      });
      expect(await iAtEachStop(session.id)).toEqual(expected);
    });

    it('logs the interpolated message of a logpoint as CONSOLE lines, without stopping', async () => {
      const session = await h.create({
        runtime,
        program: p.loop.path,
        breakpoints: [{ source: p.loop.path, line: p.loop.printLine, logMessage: 'logpoint i={i} total={total}' }],
      });
      const ended = await h.waitForState(session.id, ['EXITED', 'PAUSED']);
      expect(ended.state).toBe('EXITED');
      const logs = await h.logs(session.id);
      const console = logs.filter((l) => l.stream === 'CONSOLE').map((l) => l.text);
      expect(console).toEqual([0, 1, 2, 3, 4].map((i) => `logpoint i=${i} total=${(i * (i + 1)) / 2}`));
      // The message goes to the log once, as CONSOLE, not also to stdout.
      expect(logs.filter((l) => l.stream === 'STDOUT').map((l) => l.text)).toEqual(p.loop.stdout);
    });
  });
});
