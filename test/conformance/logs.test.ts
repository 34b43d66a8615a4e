import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LogLinesDocument, ConformanceLogsDocument } from '../generated/graphql.js';
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

  describe.sequential('program output', () => {
    const p = programsFor(runtime);

    it('keeps stdout and stderr lines on their streams, then the exit code', async () => {
      const session = await h.create({ runtime, program: p.loop.path });
      const ended = await h.waitForState(session.id, ['EXITED']);
      expect(ended.exitCode).toBe(p.loop.exitCode);

      const lines = await h.logs(session.id);
      // Each stream keeps its order (the two pipes are read independently, so only per stream).
      expect(lines.filter((l) => l.stream === 'STDOUT').map((l) => l.text)).toEqual(p.loop.stdout);
      expect(lines.filter((l) => l.stream === 'STDERR').map((l) => l.text)).toEqual(p.loop.stderr);
      expect(lines.at(-1)).toMatchObject({ stream: 'SYSTEM', text: `process exited with code ${p.loop.exitCode}`, generation: 0 });
      expect(lines.every((l) => l.generation === 0)).toBe(true);
      const seqs = lines.map((l) => Number(l.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('pages the log with a cursor, nothing lost and nothing twice', async () => {
      const session = await h.create({ runtime, program: p.loop.path });
      await h.waitForState(session.id, ['EXITED']);
      const first = (await h.http(ConformanceLogsDocument, { id: session.id, first: 2 })).session?.logs;
      expect(first).toMatchObject({ hasMore: true, lost: 0 });
      const rest = (await h.http(ConformanceLogsDocument, { id: session.id, after: first?.nextCursor, first: 1000 })).session?.logs;
      expect(rest).toMatchObject({ hasMore: false, lost: 0 });
      const all = [...(first?.lines ?? []), ...(rest?.lines ?? [])];
      expect(all).toEqual(await h.logs(session.id));
    });

    it('streams the lines live over graphql-ws, with their streams', async () => {
      const session = await h.create({ runtime, program: p.loop.path, stopOnEntry: true });
      const sub = h.subscribe(LogLinesDocument, { id: session.id, after: '0' }, (batches) =>
        batches.some((b) => b.logLines.some((l) => l.stream === 'SYSTEM' && l.text.startsWith('process exited'))),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await h.continue(session.id);
      const lines = (await sub.done).flatMap((b) => b.logLines);
      sub.stop();
      expect(lines.filter((l) => l.stream === 'STDOUT').map((l) => l.text)).toEqual(p.loop.stdout);
      expect(lines.filter((l) => l.stream === 'STDERR').map((l) => l.text)).toEqual(p.loop.stderr);
      expect(lines.at(-1)).toMatchObject({ stream: 'SYSTEM', text: `process exited with code ${p.loop.exitCode}` });
      expect(new Set(lines.map((l) => l.seq)).size).toBe(lines.length);
    });
  });
});
