import { describe, expect, it } from 'vitest';
import type { AsyncQueue } from '../../src/sessions/async-queue.js';
import { Channel } from '../../src/sessions/channel.js';
import { LogBatch } from '../../src/logs/log-batch.js';
import { runOf } from '../../src/logs/log-block.js';
import { LogBuffer } from '../../src/logs/log-buffer.js';
import { LogTail, type LogSource } from '../../src/logs/log-tail.js';

/** A log source like a session's: lines go to the buffer, then to the channel as one batch. */
function source(maxLines = 1000, maxQueued = 1000) {
  const logs = new LogBuffer({ maxLines, maxBytes: 1 << 24 });
  const channel = new Channel<LogBatch>(maxQueued);
  const src: LogSource & { write: (...texts: string[]) => void } = {
    logs,
    generation: 0,
    subscribeLogBatches: (): AsyncQueue<LogBatch> => channel.subscribe(),
    write: (...texts) => channel.publish(new LogBatch([logs.appendRun('STDOUT', runOf(texts), 0)!])),
  };
  return { src, channel };
}

/** The texts of one delivered batch. */
function texts(result: IteratorResult<LogBatch>): string[] {
  return result.done ? [] : result.value.lines().map((l) => l.text);
}

describe('LogTail', () => {
  it('replays history after the cursor, then live, with nothing lost or repeated at the seam', async () => {
    const { src } = source();
    src.write('a', 'b', 'c');
    const tail = new LogTail(src, 1, 100);
    src.write('d');
    expect(texts(await tail.next())).toEqual(['b', 'c', 'd']);
    src.write('e');
    expect(texts(await tail.next())).toEqual(['e']);
    await tail.return();
  });

  it('without a cursor starts with live lines only', async () => {
    const { src } = source();
    src.write('old');
    const tail = new LogTail(src, undefined, 100);
    src.write('new');
    expect(texts(await tail.next())).toEqual(['new']);
    await tail.return();
  });

  it('reports lines evicted before it could read them, with one SYSTEM line', async () => {
    const { src } = source(5);
    for (let i = 1; i <= 12; i++) src.write(`l${i}`);
    const tail = new LogTail(src, 0, 100);
    const batch = ((await tail.next()).value as LogBatch).lines();
    expect(batch[0]).toMatchObject({ stream: 'SYSTEM', seq: 7, text: '[7 log line(s) lost: no longer buffered]' });
    expect(batch.slice(1).map((l) => l.text)).toEqual(['l8', 'l9', 'l10', 'l11', 'l12']);
    await tail.return();
  });

  it('refills from the buffer when the live channel dropped batches for a slow reader', async () => {
    const { src } = source(10_000, 2);
    const tail = new LogTail(src, undefined, 1000);
    for (let i = 1; i <= 50; i++) src.write(`l${i}`);
    const got: string[] = [];
    while (got.length < 50) got.push(...texts(await tail.next()));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `l${i + 1}`));
    await tail.return();
  });

  it('releases its subscription at once on return(), even while waiting', async () => {
    const { src, channel } = source();
    const tail = new LogTail(src, undefined, 100);
    expect(channel.size).toBe(1);
    const pending = tail.next();
    await tail.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(channel.size).toBe(0);
  });

  it('completes after the channel closes and what was queued is read', async () => {
    const { src, channel } = source();
    const tail = new LogTail(src, undefined, 100);
    src.write('last');
    channel.close();
    expect(texts(await tail.next())).toEqual(['last']);
    expect((await tail.next()).done).toBe(true);
  });
});
