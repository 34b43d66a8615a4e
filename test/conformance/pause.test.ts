/** Pausing a running program, over graphql-ws: `pause` answers at the stop. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConformancePauseDocument } from '../generated/graphql.js';
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

  describe.sequential('pause', () => {
    const p = programsFor(runtime);

    it('pauses a busy loop where it spins, and again after a continue', async () => {
      const session = await h.create({ runtime, program: p.busy.path });
      expect(session.state).toBe('RUNNING');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const paused = await h.pause(session.id);
      expect(paused).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'pause', source: p.busy.absolute } });
      expect(p.busy.loopLines).toContain(paused.stoppedAt?.line);
      const first = Number((await h.eval(session.id, 'count')).value);
      expect(first).toBeGreaterThan(0);

      await h.continue(session.id);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await h.pause(session.id);
      expect(again).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'pause' } });
      expect(Number((await h.eval(session.id, 'count')).value)).toBeGreaterThan(first);

      // Already paused: answers at once, still paused.
      expect((await h.pause(session.id)).state).toBe('PAUSED');
    });

    it('pauses an idle / sleeping program', async () => {
      const session = await h.create({ runtime, program: p.idle.path });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const paused = await h.pause(session.id);
      expect(paused).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'pause', source: p.idle.pauseSource } });
      if (p.idle.pauseLine !== undefined) expect(paused.stoppedAt?.line).toBe(p.idle.pauseLine);
      // Node stops at its next timer (every 100 ms); Python's sleep(30) is interrupted.
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await h.stack(session.id)).not.toEqual([]);
    });

    it('refuses to pause a program that is not running (INVALID_STATE)', async () => {
      const session = await h.create({ runtime, program: p.loop.path });
      await h.waitForState(session.id, ['EXITED']);
      expect(await h.errorCode(ConformancePauseDocument, { id: session.id })).toBe('INVALID_STATE');
    });
  });
});
