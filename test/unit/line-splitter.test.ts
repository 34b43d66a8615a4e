import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/logs/line-splitter.js';
import { runLines } from '../../src/logs/log-block.js';

/** The splitter, with its runs of lines as arrays of texts. */
class Splitter {
  readonly #s: LineSplitter;
  constructor(maxLength: number) {
    this.#s = new LineSplitter(maxLength);
  }
  push(chunk: string): string[] {
    return runLines(this.#s.push(chunk));
  }
  flush(): string[] {
    return runLines(this.#s.flush());
  }
}

describe('LineSplitter', () => {
  it('joins partial writes into whole lines', () => {
    const s = new Splitter(100);
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\n\n')).toEqual(['world', '']);
    expect(s.flush()).toEqual([]);
  });

  it('treats \\r\\n like \\n and keeps a lone \\r inside a line', () => {
    const s = new Splitter(100);
    expect(s.push('a\r\nb\rc\n')).toEqual(['a', 'b\rc']);
  });

  it('returns the unterminated last line on flush', () => {
    const s = new Splitter(100);
    s.push('no newline at end');
    expect(s.flush()).toEqual(['no newline at end']);
    expect(s.flush()).toEqual([]);
  });

  it('cuts long lines, marks them, and does not keep what it cut', () => {
    const s = new Splitter(10);
    s.push('x'.repeat(5));
    s.push('y'.repeat(1000));
    const [line] = s.push('z\nnext\n');
    expect(line).toBe(`xxxxxyyyyy … [996 more characters cut]`);
    expect(s.push('')).toEqual([]);
    expect(s.flush()).toEqual([]);
  });

  it('passes replacement characters from undecodable bytes through', () => {
    const s = new Splitter(100);
    const junk = Buffer.from([0xff, 0xfe, 0x41, 0x0a]).toString('utf8');
    expect(s.push(junk)).toEqual(['\uFFFD\uFFFDA']);
  });
});

describe('LineSplitter fast path', () => {
  it('keeps a chunk of whole lines as one text, and agrees with the line-by-line path', () => {
    const s = new LineSplitter(100);
    const chunk = 'one\ntwo\n\nthree\n';
    const run = s.push(chunk);
    expect(run?.text).toBe(chunk);
    expect(runLines(run)).toEqual(['one', 'two', '', 'three']);
    // A \r, a partial line or a long line takes the line-by-line path; the lines are the same.
    expect(runLines(s.push('a\r\nb\nrest'))).toEqual(['a', 'b']);
    expect(runLines(s.push(' of it\nnext\n'))).toEqual(['rest of it', 'next']);
    expect(runLines(s.push(`${'x'.repeat(101)}\nok\n`))).toEqual([`${'x'.repeat(100)} … [1 more characters cut]`, 'ok']);
  });

  it('splits chunks of thousands of lines', () => {
    const s = new LineSplitter(100);
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    expect(runLines(s.push(`${lines.join('\n')}\n`))).toEqual(lines);
  });
});
