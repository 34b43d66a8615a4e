import { describe, expect, it } from 'vitest';
import { LogBatch } from '../../src/logs/log-batch.js';
import { LogBlock, runLines, runOf } from '../../src/logs/log-block.js';
import { LogBuffer } from '../../src/logs/log-buffer.js';

const block = (firstSeq: number, ...texts: string[]): LogBlock => {
  const run = runOf(texts);
  return new LogBlock(firstSeq, 'STDOUT', 0, 0, run.text, run.bounds);
};

describe('LogBlock', () => {
  it('numbers its lines from firstSeq and slices them, clamped, sharing the text', () => {
    const b = block(10, 'a', '', 'ccc', 'd');
    expect(b.count).toBe(4);
    expect(b.lastSeq).toBe(13);
    expect(runLines(b)).toEqual(['a', '', 'ccc', 'd']);
    const mid = b.slice(1, 3);
    expect([mid.firstSeq, mid.lastSeq, runLines(mid)]).toEqual([11, 12, ['', 'ccc']]);
    expect(mid.slice(1).lineAt(0)).toMatchObject({ seq: 12, text: 'ccc' });
    expect(b.slice(-5, 2).firstSeq).toBe(10);
    expect(runLines(b.slice(-5, 2))).toEqual(['a', '']);
    expect(b.slice(3, 99).count).toBe(1);
    expect(b.slice(0, 99)).toBe(b);
    expect(b.slice(5).count).toBe(0);
  });
});

describe('LogBatch', () => {
  it('drops what a reader already has, across blocks', () => {
    const batch = new LogBatch([block(1, 'a', 'b'), block(3, 'c', 'd')]);
    expect(batch.after(0)).toBe(batch);
    expect(
      batch
        .after(2)
        .lines()
        .map((l) => l.text),
    ).toEqual(['c', 'd']);
    expect(
      batch
        .after(3)
        .lines()
        .map((l) => l.seq),
    ).toEqual([4]);
    expect(batch.after(4).length).toBe(0);
  });
});

describe('LogBuffer of blocks', () => {
  it('pages across block boundaries and through partly evicted blocks', () => {
    const buffer = new LogBuffer({ maxLines: 7, maxBytes: 1 << 20 });
    buffer.appendRun('STDOUT', runOf(['1', '2', '3', '4']), 0);
    buffer.appendRun('STDERR', runOf(['5', '6', '7']), 0);
    buffer.appendRun('STDOUT', runOf(['8', '9']), 0);
    expect(buffer.firstSeq).toBe(3);
    for (let after = 0; after <= 9; after++) {
      for (let limit = 1; limit <= 8; limit++) {
        const { batch, lost, hasMore } = buffer.batchAfter(after, limit);
        const from = Math.max(after, 2) + 1;
        const expected = Array.from({ length: Math.max(0, Math.min(limit, 10 - from)) }, (_, i) => String(from + i));
        expect(batch.lines().map((l) => l.text)).toEqual(expected);
        expect(batch.lines().map((l) => String(l.seq))).toEqual(expected);
        expect(lost).toBe(Math.max(0, 2 - after));
        expect(hasMore).toBe(from + expected.length <= 9);
      }
    }
  });
});
