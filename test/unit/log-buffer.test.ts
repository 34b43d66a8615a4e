import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/logs/log-buffer.js';

describe('LogBuffer', () => {
  it('numbers lines 1, 2, 3 … and pages them after a cursor', () => {
    const buffer = new LogBuffer({ maxLines: 100, maxBytes: 1 << 20 });
    for (let i = 1; i <= 5; i++) buffer.append('STDOUT', `line ${i}`, 0);
    expect(buffer.lastSeq).toBe(5);
    const page = buffer.after(0, 2);
    expect(page.lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(page).toMatchObject({ lost: 0, hasMore: true });
    const rest = buffer.after(2);
    expect(rest.lines.map((l) => l.text)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(rest.hasMore).toBe(false);
    expect(buffer.after(5).lines).toEqual([]);
  });

  it('evicts the oldest lines past the line limit and reports them as lost', () => {
    const buffer = new LogBuffer({ maxLines: 3, maxBytes: 1 << 20 });
    for (let i = 1; i <= 10; i++) buffer.append('STDOUT', `line ${i}`, 0);
    expect(buffer.size).toBe(3);
    expect(buffer.firstSeq).toBe(8);
    const page = buffer.after(0);
    expect(page.lost).toBe(7);
    expect(page.lines.map((l) => l.seq)).toEqual([8, 9, 10]);
    expect(buffer.after(6).lost).toBe(1);
    expect(buffer.after(7).lost).toBe(0);
  });

  it('evicts past the byte limit but always keeps the newest line', () => {
    const buffer = new LogBuffer({ maxLines: 1000, maxBytes: 1000 });
    for (let i = 0; i < 100; i++) buffer.append('STDERR', 'x'.repeat(100), 0);
    expect(buffer.bytes).toBeLessThanOrEqual(1000);
    buffer.append('STDOUT', 'y'.repeat(10_000), 0);
    expect(buffer.size).toBe(1);
    expect(buffer.after(0).lines[0]?.text.length).toBe(10_000);
  });

  it('keeps sequence numbers contiguous through long runs of eviction', () => {
    const buffer = new LogBuffer({ maxLines: 10, maxBytes: 1 << 20 });
    for (let i = 1; i <= 20_000; i++) buffer.append('STDOUT', String(i), i % 3);
    const page = buffer.after(19_995);
    expect(page.lines.map((l) => Number(l.text))).toEqual([19_996, 19_997, 19_998, 19_999, 20_000]);
  });
});
