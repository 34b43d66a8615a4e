import type { LogBlock } from './log-block.js';
import type { LogLine } from './log-line.js';

/**
 * One message's worth of log lines: blocks with contiguous, increasing sequence numbers.
 * Immutable and shared: the same batch goes to every subscriber, so whatever is derived from it
 * (its lines as objects, its encodings) is derived once.
 */
export class LogBatch {
  readonly blocks: readonly LogBlock[];
  /** Number of lines. */
  readonly length: number;
  #lines: LogLine[] | undefined;

  constructor(blocks: readonly LogBlock[]) {
    this.blocks = blocks;
    let length = 0;
    for (const block of blocks) length += block.count;
    this.length = length;
  }

  /** Seq of the first line (NaN when empty). */
  get firstSeq(): number {
    return this.blocks[0]?.firstSeq ?? Number.NaN;
  }

  /** Seq of the last line (NaN when empty). */
  get lastSeq(): number {
    return this.blocks[this.blocks.length - 1]?.lastSeq ?? Number.NaN;
  }

  /** The lines as objects, built on first use and kept (for GraphQL execution and tests). */
  lines(): LogLine[] {
    if (!this.#lines) {
      const lines: LogLine[] = [];
      for (const block of this.blocks) for (let i = 0; i < block.count; i++) lines.push(block.lineAt(i));
      this.#lines = lines;
    }
    return this.#lines;
  }

  /** The lines with seq > `seq` (this batch itself when that is all of them). */
  after(seq: number): LogBatch {
    if (!(seq >= this.firstSeq)) return this;
    const blocks: LogBlock[] = [];
    for (const block of this.blocks) {
      if (block.lastSeq <= seq) continue;
      blocks.push(block.slice(Math.max(0, seq + 1 - block.firstSeq)));
    }
    return new LogBatch(blocks);
  }
}
