/** The `variableSnapshots` subscription over graphql-ws: one snapshot per stop, with `changed`. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceCurrentSnapshotDocument, VariableSnapshotsDocument } from '../generated/graphql.js';
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

  describe.sequential('variable snapshots', () => {
    const p = programsFor(runtime);

    /** Stops at the loop's call line when i == 2 and waits until the stop's snapshot exists. */
    const stopAtCall = async () => {
      const session = await h.create({
        runtime,
        program: p.loop.path,
        breakpoints: [{ source: p.loop.path, line: p.loop.callLine, condition: 'i == 2' }],
      });
      await h.waitForStop(session.id);
      // The `snapshot` field answers once the stop's snapshot is built (and published): subscribing
      // after it avoids the duplicate described in the skipped test below.
      const current = (await h.http(ConformanceCurrentSnapshotDocument, { id: session.id })).session?.snapshot;
      expect(current).toMatchObject({ reason: 'breakpoint', generation: 0, frame: { line: p.loop.callLine } });
      return session.id;
    };

    it('delivers the current stop first, then one snapshot per step, with what changed', async () => {
      const id = await stopAtCall();
      const sub = h.subscribe(VariableSnapshotsDocument, { id }, (items) => items.length >= 4);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const into = await h.step(id, 'INTO');
      const over = await h.step(id, 'OVER');
      const out = await h.step(id, 'OUT');
      const snapshots = (await sub.done).map((s) => s.variableSnapshots);
      // Nothing more arrives for those stops.
      await new Promise((resolve) => setTimeout(resolve, 200));
      sub.stop();
      expect(sub.items).toHaveLength(4);

      expect(snapshots.map((s) => [s.reason, s.frame.line, s.frame.name])).toEqual([
        ['breakpoint', p.loop.callLine, p.topLevelFrame],
        ['step', p.loop.addFirstLine, 'add'],
        ['step', p.loop.addReturnLine, 'add'],
        ['step', p.loop.stepOutLine, p.topLevelFrame],
      ]);
      expect(snapshots.every((s) => s.generation === 0 && !s.truncated)).toBe(true);
      // The step answers carry the same snapshots.
      expect([into.snapshot, over.snapshot, out.snapshot]).toEqual(snapshots.slice(1));

      const [, entered, computed] = snapshots;
      // Entering add: its parameters are new.
      expect(entered?.changed).toEqual(expect.arrayContaining(['a', 'b']));
      expect(entered?.variables).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'a', value: '1' }), expect.objectContaining({ name: 'b', value: '2' })]),
      );
      // One line later: `result` changed, the parameters did not.
      expect(computed?.variables).toContainEqual(expect.objectContaining({ name: 'result', value: '3' }));
      expect(computed?.changed).toContain('result');
      expect(computed?.changed).not.toContain('a');
      expect(computed?.changed).not.toContain('b');
    });

    // Subscribing while the current stop's snapshot is still being built must not deliver it twice.
    it('delivers a single snapshot for the current stop when subscribing right after it', async () => {
      const session = await h.create({ runtime, program: p.loop.path, stopOnEntry: true });
      const sub = h.subscribe(VariableSnapshotsDocument, { id: session.id });
      await new Promise((resolve) => setTimeout(resolve, 400));
      sub.stop();
      expect(sub.items).toHaveLength(1);
    });
  });
});
