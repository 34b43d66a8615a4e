import type { LogBatch } from './log-batch.js';
import type { LogBlock } from './log-block.js';

/**
 * The lines of a block as JSON string contents (without the quotes): line `i` is
 * `json.slice(cuts[2 * i], cuts[2 * i + 1])`.
 */
export interface EscapedBlock {
  readonly json: string;
  readonly cuts: Int32Array;
}

/**
 * Escapes a block's lines for JSON with one `JSON.stringify` of its whole text, then cuts it at
 * the escaped separators: the same contents as `JSON.stringify` of each line, without a call and
 * a string per line. A line never holds a raw `\n`, so every `\n` escape is a separator; other
 * escapes (`\\`, `\"`, `\uXXXX`, …) are stepped over. A block whose lines hold `\n` themselves is
 * escaped line by line.
 */
export function escapeBlock(block: LogBlock): EscapedBlock {
  const count = block.count;
  const json = JSON.stringify(block.text.slice(block.bounds[0], block.bounds[count]));
  const cuts = new Int32Array(count * 2);
  let line = 0;
  let start = 1;
  let at = json.indexOf('\\', 1);
  while (line < count && at !== -1) {
    const next = json.charCodeAt(at + 1);
    if (next === 110 /* n */) {
      cuts[2 * line] = start;
      cuts[2 * line + 1] = at;
      line++;
      start = at + 2;
    }
    at = json.indexOf('\\', at + (next === 117 /* u */ ? 6 : 2));
  }
  // A line with a \n of its own (a SYSTEM note of several lines) makes the count of separators
  // run out before the end of the text: escape such a block line by line.
  return line === count && start === json.length - 1 ? { json, cuts } : escapeLines(block);
}

function escapeLines(block: LogBlock): EscapedBlock {
  const cuts = new Int32Array(block.count * 2);
  let json = '';
  for (let i = 0; i < block.count; i++) {
    const literal = JSON.stringify(block.textAt(i));
    cuts[2 * i] = json.length + 1;
    cuts[2 * i + 1] = json.length + literal.length - 1;
    json += literal;
  }
  return { json, cuts };
}

/** Escaped blocks per live batch: the encoders of every transport share them. */
const escaped = new WeakMap<LogBatch, EscapedBlock[]>();

/** The escaped lines of each block of a batch (computed once per batch). */
export function escapeBatch(batch: LogBatch): EscapedBlock[] {
  let blocks = escaped.get(batch);
  if (!blocks) {
    blocks = batch.blocks.map(escapeBlock);
    escaped.set(batch, blocks);
  }
  return blocks;
}
