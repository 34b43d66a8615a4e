import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceEvalDocument } from '../generated/graphql.js';
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

  describe.sequential('eval', () => {
    const p = programsFor(runtime);

    /** Stops at the base case of factorial(5): n == 1, five factorial frames deep. */
    const stopAtBase = async () => {
      const session = await h.create({
        runtime,
        program: p.recursion.path,
        breakpoints: [{ source: p.recursion.path, line: p.recursion.baseLine }],
      });
      await h.waitForStop(session.id);
      return session.id;
    };

    it('evaluates an expression in the top frame', async () => {
      const id = await stopAtBase();
      expect(await h.eval(id, 'n * 10')).toMatchObject({ value: '10', error: null, variablesReference: null });
    });

    it('evaluates in a frame below the top one', async () => {
      const id = await stopAtBase();
      const stack = await h.stack(id);
      expect(stack[0]?.name).toBe('factorial');
      // Frame k (0-based) runs factorial(k + 1).
      for (const k of [1, 2, 4]) {
        expect(await h.eval(id, 'n', stack[k]!.id)).toMatchObject({ value: String(k + 1), error: null });
      }
      // The top level has no `n`.
      expect((await h.eval(id, 'n', stack[p.recursion.depth]!.id)).error).toMatch(/\bn'? is not defined/);
    });

    it('returns a throwing expression as a result with `error`, not a GraphQL error', async () => {
      const id = await stopAtBase();
      const thrown = await h.eval(id, 'undefined_thing.x');
      expect(thrown.error).toMatch(/undefined_thing'? is not defined/);
      expect(thrown.variablesReference).toBeNull();
    });

    it('returns a syntax error as a result with `error`', async () => {
      const id = await stopAtBase();
      expect((await h.eval(id, 'n +')).error).toMatch(/SyntaxError/);
      expect((await h.eval(id, '(((')).error).toMatch(/SyntaxError/);
    });

    it('gives an expandable result for a composite value, and stays usable after errors', async () => {
      const id = await stopAtBase();
      await h.eval(id, 'undefined_thing.x');
      const list = await h.eval(id, '[n, n + 1]');
      expect(list.error).toBeNull();
      expect(list.variablesReference).toBeTruthy();
      const items = await h.variables(id, list.variablesReference!);
      expect(items.filter((v) => /^\d+$/.test(v.name)).map((v) => [v.name, v.value])).toEqual([
        ['0', '1'],
        ['1', '2'],
      ]);
      expect((await h.eval(id, 'n')).value).toBe('1');
    });

    it('refuses eval while the program runs (INVALID_STATE)', async () => {
      const session = await h.create({ runtime, program: p.idle.path });
      expect(await h.errorCode(ConformanceEvalDocument, { id: session.id, expression: '1' })).toBe('INVALID_STATE');
    });
  });
});
