import { describe, expect, it } from 'vitest';
import { SessionLog } from '../../src/logs/session-log.js';
import type { LogBatch } from '../../src/logs/log-batch.js';

const LIMITS = { logBufferLines: 100_000, logBufferBytes: 1 << 26, maxLineLength: 50 };

function log(generation = 0) {
  const read: number[] = [];
  let gen = generation;
  const sessionLog = new SessionLog(
    LIMITS,
    () => gen,
    (n) => read.push(n),
  );
  return { sessionLog, read, setGeneration: (g: number) => (gen = g) };
}

const texts = (r: IteratorResult<LogBatch>): string[] => (r.done ? [] : r.value.lines().map((l) => `${l.stream}:${l.text}`));

describe('SessionLog', () => {
  it('splits each stream into lines and keeps an unfinished line until its end comes', async () => {
    const { sessionLog, read } = log();
    const reader = sessionLog.subscribe();
    sessionLog.write('STDOUT', 'one\ntw');
    sessionLog.write('STDERR', 'err\n');
    sessionLog.write('STDOUT', 'o\n');
    expect(texts(await reader.next())).toEqual(['STDOUT:one', 'STDERR:err', 'STDOUT:two']);
    expect(read).toEqual([1, 1, 1]);
    expect(sessionLog.buffer.lastSeq).toBe(3);
  });

  it('publishes everything written in one turn of the event loop as one batch', async () => {
    const { sessionLog } = log();
    const reader = sessionLog.subscribe();
    for (let i = 0; i < 10; i++) sessionLog.write('STDOUT', `${i}\n`);
    const first = await reader.next();
    expect(texts(first)).toHaveLength(10);
    sessionLog.write('STDOUT', 'later\n');
    expect(texts(await reader.next())).toEqual(['STDOUT:later']);
  });

  it('cuts batches at 1000 lines, a big block included', async () => {
    const { sessionLog } = log();
    const reader = sessionLog.subscribe();
    sessionLog.write('STDOUT', 'x\n'.repeat(2500));
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) sizes.push(texts(await reader.next()).length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  it('stamps lines with the current run, and ends an unfinished line when told the run is over', async () => {
    const { sessionLog, setGeneration } = log();
    const reader = sessionLog.subscribe();
    sessionLog.write('STDOUT', 'no newline');
    sessionLog.endPartialLines();
    setGeneration(1);
    sessionLog.system('restarting (generation 1)');
    const batch = await reader.next();
    expect(batch.done ? [] : batch.value.lines().map((l) => [l.text, l.generation])).toEqual([
      ['no newline', 0],
      ['restarting (generation 1)', 1],
    ]);
  });

  it('cuts a line longer than the limit', () => {
    const { sessionLog } = log();
    sessionLog.write('STDOUT', `${'y'.repeat(200)}\n`);
    const [line] = sessionLog.buffer.after(0, 10).lines;
    expect(line?.text.length).toBeLessThan(200);
  });

  it('close publishes what waits, then completes every reader', async () => {
    const { sessionLog } = log();
    const reader = sessionLog.subscribe();
    sessionLog.write('STDOUT', 'last words');
    sessionLog.endPartialLines();
    sessionLog.close();
    expect(texts(await reader.next())).toEqual(['STDOUT:last words']);
    expect((await reader.next()).done).toBe(true);
    expect(sessionLog.subscribers).toBe(0);
  });
});
