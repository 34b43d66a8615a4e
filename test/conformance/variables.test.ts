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

  describe.sequential('scopes and variables', () => {
    const p = programsFor(runtime);

    /** Stops big/big.py after its data is built; answers the session id and the locals. */
    const stopInBig = async () => {
      const session = await h.create({ runtime, program: p.big.path, breakpoints: [{ source: p.big.path, line: p.big.afterLine }] });
      expect((await h.waitForStop(session.id)).stoppedAt.line).toBe(p.big.afterLine);
      const locals = await h.locals(session.id);
      const byName = (name: string) => {
        const found = locals.find((v) => v.name === name);
        if (!found?.reference) throw new Error(`no expandable ${name} in ${JSON.stringify(locals)}`);
        return { ...found, reference: found.reference };
      };
      return { id: session.id, locals, byName };
    };

    it('lists the scopes of a frame: locals to read, globals marked expensive', async () => {
      const session = await h.create({ runtime, program: p.loop.path, breakpoints: [{ source: p.loop.path, line: p.loop.addReturnLine }] });
      await h.waitForStop(session.id);
      const [top] = await h.stack(session.id);
      const scopes = await h.scopes(session.id, top!.id);
      const local = scopes.find((s) => !s.expensive && s.reference);
      expect(local).toBeDefined();
      expect(scopes.some((s) => s.expensive)).toBe(true);
      const vars = await h.variables(session.id, local!.reference!);
      expect(vars).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'a', value: '0', reference: null }),
          expect.objectContaining({ name: 'b', value: '0', reference: null }),
          expect.objectContaining({ name: 'result', value: '0' }),
        ]),
      );
    });

    it('expands an object / dict and the values inside it', async () => {
      const { id, byName } = await stopInBig();
      const small = byName('small');
      expect(small.value).toContain('conformance');
      const children = await h.variables(id, small.reference);
      expect(children).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: p.key('name'), value: p.str('conformance'), reference: null })]),
      );
      expect(children.filter((v) => v.reference !== null).map((v) => v.name)).toEqual(
        expect.arrayContaining([p.key('nested'), p.key('list')]),
      );
      const nested = children.find((v) => v.name === p.key('nested'))!;
      expect(await h.variables(id, nested.reference!)).toContainEqual(expect.objectContaining({ name: p.key('depth'), value: '2' }));
      const list = children.find((v) => v.name === p.key('list'))!;
      const items = await h.variables(id, list.reference!);
      expect(items.filter((v) => /^\d+$/.test(v.name)).map((v) => [v.name, v.value])).toEqual([
        ['0', '1'],
        ['1', '2'],
        ['2', '3'],
      ]);
    });

    it('pages a 1,000,000-element array / list: the right 100 elements, quickly', async () => {
      const { id, byName } = await stopInBig();
      const big = byName('big');
      const started = Date.now();
      const page = await h.variables(id, big.reference, 100, 500_000);
      const elapsed = Date.now() - started;
      expect(page.map((v) => v.name)).toEqual(Array.from({ length: 100 }, (_, i) => String(500_000 + i)));
      expect(page.map((v) => v.value)).toEqual(Array.from({ length: 100 }, (_, i) => String((500_000 + i) * 2)));
      expect(elapsed).toBeLessThan(2_000);

      // The first page and the tail end.
      const head = await h.variables(id, big.reference, 3, 0);
      expect(head.map((v) => [v.name, v.value])).toEqual([
        ['0', '0'],
        ['1', '2'],
        ['2', '4'],
      ]);
      const tail = await h.variables(id, big.reference, 100, p.big.length - 10);
      expect(tail.map((v) => v.name)).toEqual(Array.from({ length: 10 }, (_, i) => String(p.big.length - 10 + i)));
    });

    // Known limit (PYTHON, docs/debugging.md): `Variable.indexedCount` is null for a Python list:
    // debugpy sends no `indexedVariables` and the runner does not fill it in yet (it would cost a
    // `len()` evaluation per list). Paging works all the same. Node reports 1000000. `it.fails`
    // keeps the gap visible: this turns red the day the count arrives, so the mark can go.
    (runtime === 'PYTHON' ? it.fails : it)('reports the number of elements of a 1,000,000-element array / list', async () => {
      const { byName } = await stopInBig();
      expect(byName('big').indexedCount).toBe(p.big.indexedCount);
    });
  });
});
