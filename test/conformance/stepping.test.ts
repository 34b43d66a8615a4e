/**
 * Stepping, driven over graphql-ws: `step` answers at the next stop with the new line and its
 * locals (the snapshot) in one round trip.
 */
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

  describe.sequential('stepping', () => {
    const p = programsFor(runtime);

    /** Starts `program` and waits for its first stop at a breakpoint on `line`. */
    const stopAt = async (program: { path: string }, line: number, condition?: string) => {
      const session = await h.create({ runtime, program: program.path, breakpoints: [{ source: program.path, line, condition }] });
      const stopped = await h.waitForStop(session.id);
      expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', line });
      return session.id;
    };

    const value = (snapshot: { variables: Array<{ name: string; value: string }> } | null | undefined, name: string) =>
      snapshot?.variables.find((v) => v.name === name)?.value;

    it('steps INTO a call, OVER its lines and OUT to the caller', async () => {
      const id = await stopAt(p.loop, p.loop.callLine, 'i == 2');

      const into = await h.step(id, 'INTO');
      expect(into).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'step', line: p.loop.addFirstLine, source: p.loop.absolute } });
      expect(into.snapshot?.frame).toMatchObject({ name: 'add', line: p.loop.addFirstLine });
      expect(value(into.snapshot, 'a')).toBe('1');
      expect(value(into.snapshot, 'b')).toBe('2');

      const over = await h.step(id, 'OVER');
      expect(over.stoppedAt).toMatchObject({ reason: 'step', line: p.loop.addReturnLine });
      expect(value(over.snapshot, 'result')).toBe('3');

      const out = await h.step(id, 'OUT');
      expect(out.stoppedAt).toMatchObject({ reason: 'step', line: p.loop.stepOutLine });
      expect(out.snapshot?.frame.name).toBe(p.topLevelFrame);
      const stack = await h.stack(id);
      expect(stack[0]).toMatchObject({ name: p.topLevelFrame, line: p.loop.stepOutLine });
    });

    it('steps OVER a call without entering it', async () => {
      const id = await stopAt(p.loop, p.loop.callLine, 'i == 2');
      const over = await h.step(id, 'OVER');
      expect(over.stoppedAt).toMatchObject({ reason: 'step', line: p.loop.printLine });
      expect(over.snapshot?.frame.name).toBe(p.topLevelFrame);
      expect(value(over.snapshot, 'total')).toBe('3');
    });

    it('steps OVER around the loop, through the loop header', async () => {
      const id = await stopAt(p.loop, p.loop.printLine);
      await h.setBreakpoints(id, p.loop.path, []);
      const lines: Array<number | null | undefined> = [];
      for (const _ of p.loop.overFromPrint) lines.push((await h.step(id, 'OVER')).stoppedAt?.line);
      expect(lines).toEqual(p.loop.overFromPrint);
      expect((await h.eval(id, 'i')).value).toBe('1');
    });

    it('steps INTO a recursive call: one frame deeper, then OUT again', async () => {
      const id = await stopAt(p.recursion, p.recursion.recurseLine);
      await h.setBreakpoints(id, p.recursion.path, []);
      const depth = (await h.stack(id)).length;

      const into = await h.step(id, 'INTO');
      expect(into.stoppedAt?.line).toBe(p.recursion.ifLine);
      expect(value(into.snapshot, 'n')).toBe('4');
      expect(await h.stack(id)).toHaveLength(depth + 1);

      const out = await h.step(id, 'OUT');
      expect(out.stoppedAt?.line).toBe(p.recursion.recurseLine);
      expect(value(out.snapshot, 'n')).toBe('5');
      expect(await h.stack(id)).toHaveLength(depth);
    });

    it('async: steps OVER an await to the next line of the same coroutine', async () => {
      const id = await stopAt(p.async, p.async.firstAwaitLine);
      const first = await h.step(id, 'OVER');
      expect(first.stoppedAt).toMatchObject({ reason: 'step', line: p.async.secondAwaitLine });
      expect(first.snapshot?.frame.name).toBe('main');
      expect(value(first.snapshot, 'first')).toBe('2');
      const second = await h.step(id, 'OVER');
      expect(second.stoppedAt).toMatchObject({ reason: 'step', line: p.async.printLine });
      expect(value(second.snapshot, 'second')).toBe('4');
    });

    it('generator: steps OVER a yield and resumes in the generator', async () => {
      const id = await stopAt(p.generator, p.generator.yieldLine);
      await h.setBreakpoints(id, p.generator.path, []);
      expect((await h.stack(id))[0]?.name).toBe('squares');
      const lines: Array<number | null | undefined> = [];
      for (const _ of p.generator.overFromYield) {
        const step = await h.step(id, 'OVER');
        expect(step.snapshot?.frame.name).toBe('squares');
        lines.push(step.stoppedAt?.line);
      }
      expect(lines).toEqual(p.generator.overFromYield);
      expect((await h.eval(id, 'n')).value).toBe('1');
    });
  });
});
