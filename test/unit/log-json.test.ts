import { describe, expect, it } from 'vitest';
import { escapeBlock } from '../../src/logs/log-json.js';
import { LogBlock, runOf } from '../../src/logs/log-block.js';

describe('escapeBlock', () => {
  it('escapes line by line a block whose lines hold newlines of their own', () => {
    const run = runOf(['launch failed: Error\n  at x', 'b']);
    const block = new LogBlock(1, 'SYSTEM', 0, 0, run.text, run.bounds);
    const { json, cuts } = escapeBlock(block);
    expect([0, 1].map((i) => `"${json.slice(cuts[2 * i], cuts[2 * i + 1])}"`)).toEqual([
      JSON.stringify('launch failed: Error\n  at x'),
      '"b"',
    ]);
  });

  it('gives each line what JSON.stringify gives it, escapes and all', () => {
    const texts = [
      'plain',
      '',
      'a \\n b',
      'quote " and \\',
      '\\',
      'tab\tcr\rbell\u0007',
      'é ✓ \uD83D\uDE00',
      'lone \uD800 surrogate',
      '\\\\n',
      'end\\',
    ];
    const run = runOf(texts);
    for (const block of [
      new LogBlock(1, 'STDOUT', 0, 0, run.text, run.bounds),
      new LogBlock(1, 'STDOUT', 0, 0, run.text, run.bounds).slice(2, 7),
    ]) {
      const { json, cuts } = escapeBlock(block);
      const got = Array.from({ length: block.count }, (_, i) => `"${json.slice(cuts[2 * i], cuts[2 * i + 1])}"`);
      expect(got).toEqual(Array.from({ length: block.count }, (_, i) => JSON.stringify(block.textAt(i))));
    }
  });
});
