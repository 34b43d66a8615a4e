import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceThreadsDocument } from '../generated/graphql.js';
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

  describe.sequential('stack traces and threads', () => {
    const p = programsFor(runtime);

    it('shows every frame of a recursion, top first, with names and lines', async () => {
      const { recursion } = p;
      const session = await h.create({
        runtime,
        program: recursion.path,
        breakpoints: [{ source: recursion.path, line: recursion.baseLine }],
      });
      await h.waitForStop(session.id);
      const stack = await h.stack(session.id);
      // The program's own frames (Node also shows the module loader's frames below them).
      const own = stack.filter((f) => f.source === recursion.absolute);
      expect(own.map((f) => [f.name, f.line])).toEqual([
        ['factorial', recursion.baseLine],
        ...Array.from({ length: recursion.depth - 1 }, () => ['factorial', recursion.recurseLine]),
        [p.topLevelFrame, recursion.callLine],
      ]);
      expect(stack.slice(0, own.length)).toEqual(own);
      expect(new Set(stack.map((f) => f.id)).size).toBe(stack.length);
    });

    it('shows the awaiting coroutine and the generator as frames', async () => {
      const session = await h.create({
        runtime,
        program: p.async.path,
        breakpoints: [{ source: p.async.path, line: p.async.doubleReturnLine }],
      });
      await h.waitForStop(session.id);
      expect((await h.stack(session.id))[0]).toMatchObject({ name: 'double', line: p.async.doubleReturnLine, source: p.async.absolute });
      await h.terminate(session.id);

      const gen = await h.create({
        runtime,
        program: p.generator.path,
        breakpoints: [{ source: p.generator.path, line: p.generator.yieldLine }],
      });
      await h.waitForStop(gen.id);
      const stack = await h.stack(gen.id);
      expect(stack.slice(0, 2).map((f) => [f.name, f.line])).toEqual([
        ['squares', p.generator.yieldLine],
        [p.topLevelFrame, p.generator.consumerLine],
      ]);
    });

    // Node: JavaScript runs on one thread (the inspector debugs the main isolate only), so the
    // program has a single `main` thread and there is nothing thread-specific to check.
    it.skipIf(!p.threads)('stops in a worker thread and shows its own stack and locals', async () => {
      const threads = p.threads!;
      const session = await h.create({ runtime, program: threads.path, breakpoints: [{ source: threads.path, line: threads.workLine }] });
      const stopped = await h.waitForStop(session.id);
      expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', line: threads.workLine });
      const list = (await h.http(ConformanceThreadsDocument, { id: session.id })).session?.threads ?? [];
      expect(list.map((t) => t.name)).toEqual(expect.arrayContaining([threads.mainThread, ...threads.workers]));
      const stoppedThread = list.find((t) => t.id === stopped.stoppedAt.threadId);
      expect(threads.workers).toContain(stoppedThread?.name);

      const stack = await h.stack(session.id, stopped.stoppedAt.threadId!);
      expect(stack[0]).toMatchObject({ name: 'work', line: threads.workLine });
      const locals = await h.locals(session.id);
      expect(locals).toContainEqual(expect.objectContaining({ name: 'name', value: p.str(stoppedThread!.name) }));
    });
  });
});
