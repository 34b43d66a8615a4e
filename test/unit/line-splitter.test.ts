import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/sessions/line-splitter.js';

describe('LineSplitter', () => {
  it('joins partial writes into whole lines', () => {
    const s = new LineSplitter(100);
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\n\n')).toEqual(['world', '']);
    expect(s.flush()).toEqual([]);
  });

  it('treats \\r\\n like \\n and keeps a lone \\r inside a line', () => {
    const s = new LineSplitter(100);
    expect(s.push('a\r\nb\rc\n')).toEqual(['a', 'b\rc']);
  });

  it('returns the unterminated last line on flush', () => {
    const s = new LineSplitter(100);
    s.push('no newline at end');
    expect(s.flush()).toEqual(['no newline at end']);
    expect(s.flush()).toEqual([]);
  });

  it('cuts long lines, marks them, and does not keep what it cut', () => {
    const s = new LineSplitter(10);
    s.push('x'.repeat(5));
    s.push('y'.repeat(1000));
    const [line] = s.push('z\nnext\n');
    expect(line).toBe(`xxxxxyyyyy … [996 more characters cut]`);
    expect(s.push('')).toEqual([]);
    expect(s.flush()).toEqual([]);
  });

  it('passes replacement characters from undecodable bytes through', () => {
    const s = new LineSplitter(100);
    const junk = Buffer.from([0xff, 0xfe, 0x41, 0x0a]).toString('utf8');
    expect(s.push(junk)).toEqual(['\uFFFD\uFFFDA']);
  });
});
