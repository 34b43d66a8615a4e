import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConformanceEventsDocument,
  LogLinesDocument,
  ConformanceRestartDocument,
  VariableSnapshotsDocument,
  ConformanceStepDocument,
} from '../generated/graphql.js';
import { processesRunning } from '../support/processes.js';
import { eventually } from '../support/server.js';
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

  describe.sequential('session lifecycle', () => {
    const p = programsFor(runtime);

    it('stops on entry at the first statement', async () => {
      const session = await h.create({ runtime, program: p.loop.path, stopOnEntry: true });
      expect(session).toMatchObject({ runtime, state: 'PAUSED', program: p.loop.absolute, generation: 0 });
      expect(session.stoppedAt).toMatchObject({ reason: 'entry', line: p.loop.entryLine, source: p.loop.absolute });
      const [top] = await h.stack(session.id);
      expect(top).toMatchObject({ name: p.topLevelFrame, line: p.loop.entryLine, source: p.loop.absolute });
      // Nothing ran yet.
      expect((await h.logs(session.id)).filter((l) => l.stream === 'STDOUT')).toEqual([]);
    });

    // ES modules are JavaScript's: Python has no counterpart, so this runs for NODE only.
    it.skipIf(!p.esm)('stops on entry in an ES module and runs it to a breakpoint', async () => {
      // Python has no ES modules (p.esm is undefined there).
      const esm = p.esm!;
      const session = await h.create({ runtime, program: esm.path, stopOnEntry: true });
      expect(session.stoppedAt).toMatchObject({ reason: 'entry', line: esm.entryLine, source: esm.absolute });
      const [bp] = await h.setBreakpoints(session.id, esm.path, [{ line: esm.valueLine }]);
      expect(bp).toMatchObject({ verified: true, line: esm.valueLine });
      await h.continue(session.id);
      const stopped = await h.waitForStop(session.id);
      expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', line: esm.valueLine });
      expect((await h.eval(session.id, 'square(3)')).value).toBe('9');
    });

    // PAUSED is only ever visible together with the stop's line (the state changes when the stop is announced).
    it('never shows PAUSED without the line of the stop', async () => {
      const session = await h.create({
        runtime,
        program: p.async.path,
        breakpoints: [{ source: p.async.path, line: p.async.doubleReturnLine }],
      });
      const seen = await eventually(async () => {
        const s = await h.session(session.id);
        return s.state === 'PAUSED' ? s : undefined;
      });
      expect(seen.stoppedAt?.line).toBe(p.async.doubleReturnLine);
    });

    it('runs to the end: EXITED with the exit code', async () => {
      const session = await h.create({ runtime, program: p.loop.path });
      const ended = await h.waitForState(session.id, ['EXITED']);
      expect(ended.exitCode).toBe(p.loop.exitCode);
      expect(ended.stoppedAt).toBeNull();
    });

    it('restarts: generation 1, breakpoints kept, a RESTARTED event', async () => {
      const session = await h.create({ runtime, program: p.loop.path, breakpoints: [{ source: p.loop.path, line: p.loop.callLine }] });
      const first = await h.waitForStop(session.id);
      expect(first).toMatchObject({ generation: 0, stoppedAt: { reason: 'breakpoint', line: p.loop.callLine } });
      const events = h.subscribe(ConformanceEventsDocument, { id: session.id }, (items) =>
        items.some((e) => e.sessionEvents.kind === 'STOPPED' && e.sessionEvents.generation === 1),
      );
      // Let the subscription reach the server before the restart.
      await new Promise((resolve) => setTimeout(resolve, 100));

      const restarted = (await h.http(ConformanceRestartDocument, { id: session.id })).restartSession;
      expect(restarted.generation).toBe(1);
      const again = await h.waitForStop(session.id);
      expect(again).toMatchObject({ generation: 1, stoppedAt: { reason: 'breakpoint', line: p.loop.callLine } });
      expect(again.breakpoints).toEqual([expect.objectContaining({ verified: true, line: p.loop.callLine })]);

      const items = (await events.done).map((e) => e.sessionEvents);
      events.stop();
      expect(items).toContainEqual(expect.objectContaining({ kind: 'RESTARTED', generation: 1 }));
      expect(items.filter((e) => e.kind === 'STOPPED' && e.generation === 1).map((e) => e.stoppedAt?.line)).toEqual([p.loop.callLine]);
      const logs = await h.logs(session.id);
      expect(logs).toContainEqual(expect.objectContaining({ stream: 'SYSTEM', generation: 1, text: 'restarting (generation 1)' }));
    });

    it('terminates: TERMINATED, every subscription completes, the debuggee is gone', async () => {
      const session = await h.create({ runtime, program: p.idle.path });
      expect(session.state).toBe('RUNNING');
      const events = h.subscribe(ConformanceEventsDocument, { id: session.id });
      const logs = h.subscribe(LogLinesDocument, { id: session.id });
      const snapshots = h.subscribe(VariableSnapshotsDocument, { id: session.id });
      await new Promise((resolve) => setTimeout(resolve, 100));

      const ended = await h.terminate(session.id);
      expect(ended.state).toBe('TERMINATED');
      await Promise.all([events.completed, logs.completed, snapshots.completed]);
      expect(events.items.at(-1)?.sessionEvents).toMatchObject({ kind: 'TERMINATED', state: 'TERMINATED' });
      expect(logs.items.flatMap((b) => b.logLines)).toContainEqual(
        expect.objectContaining({ stream: 'SYSTEM', text: 'session terminated' }),
      );

      // Final and idempotent; commands are refused.
      expect((await h.terminate(session.id)).state).toBe('TERMINATED');
      expect(await h.errorCode(ConformanceStepDocument, { id: session.id })).toBe('INVALID_STATE');
      await eventually(() => (processesRunning(p.idle.absolute).length === 0 ? true : undefined));
    });

    it('a program that cannot start (syntax error) is FAILED, with the error on stderr', async () => {
      const session = await h.create({ runtime, program: p.syntaxError.path });
      expect(session.state).toBe('FAILED');
      expect(session.exitCode).toBe(1);
      const logs = await h.logs(session.id);
      const stderr = logs.filter((l) => l.stream === 'STDERR').map((l) => l.text);
      expect(stderr).toContainEqual(expect.stringMatching(p.syntaxError.stderr));
      expect(logs.filter((l) => l.stream === 'STDOUT')).toEqual([]);
      expect(logs.at(-1)?.stream).toBe('SYSTEM');
      expect(logs.at(-1)?.text).toMatch(/before the debugger took control/);
    });
  });
});
