import { LogBatch } from './log-batch.js';
import { LogBlock, runOf, type LineRun } from './log-block.js';
import type { LogLine, LogStream } from './log-line.js';

/** Bounds of a {@link LogBuffer}. */
export interface LogBufferLimits {
  maxLines: number;
  maxBytes: number;
}

/** A page of history: the lines after a cursor and how many of them are no longer buffered. */
export interface LogSlice {
  lines: LogLine[];
  /** Lines after the cursor that were evicted before they could be read. */
  lost: number;
  /** True when more buffered lines follow the returned ones. */
  hasMore: boolean;
}

/** {@link LogSlice} as a batch (see {@link LogBuffer.batchAfter}). */
export interface LogBatchSlice {
  batch: LogBatch;
  lost: number;
  hasMore: boolean;
}

/**
 * A session's recent output, bounded by line count and by bytes.
 *
 * Sequence numbers are contiguous (1, 2, 3, …). Lines are stored as the blocks they arrived in
 * (see {@link LogBlock}); eviction is still line by line: the oldest block may be partly evicted.
 */
export class LogBuffer {
  /** Evicted blocks are cleared to undefined until the array is compacted. */
  #blocks: Array<LogBlock | undefined> = [];
  /** Index of the oldest block still (partly) buffered. */
  #head = 0;
  /** Lines of that block already evicted. */
  #skip = 0;
  #size = 0;
  #bytes = 0;
  #lastSeq = 0;
  readonly #limits: LogBufferLimits;

  constructor(limits: LogBufferLimits) {
    this.#limits = limits;
  }

  /** Seq of the newest line ever appended (0 when none). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Seq of the oldest line still buffered (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return this.#lastSeq + 1 - this.#size;
  }

  get size(): number {
    return this.#size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Appends one line. */
  append(stream: LogStream, text: string, generation: number, time = Date.now()): LogLine {
    return (this.appendRun(stream, runOf([text]), generation, time) as LogBlock).lineAt(0);
  }

  /** Appends lines that arrived together; returns them as a block (undefined for no line). */
  appendRun(stream: LogStream, run: LineRun, generation: number, time = Date.now()): LogBlock | undefined {
    const count = run.bounds.length - 1;
    if (count <= 0) return undefined;
    const block = new LogBlock(this.#lastSeq + 1, stream, generation, time, run.text, run.bounds);
    this.#blocks.push(block);
    this.#lastSeq += count;
    this.#size += count;
    // Memory cost: UTF-16 text plus a line object's worth per line (what a reader materializes).
    this.#bytes += ((run.bounds[count] as number) - (run.bounds[0] as number) - count) * 2 + LINE_OVERHEAD * count;
    this.#evict();
    return block;
  }

  /** Up to `limit` lines with seq > `after`, and how many such lines were already evicted. */
  after(after: number, limit = Number.POSITIVE_INFINITY): LogSlice {
    const { batch, lost, hasMore } = this.batchAfter(after, limit);
    return { lines: batch.lines(), lost, hasMore };
  }

  /** {@link after} as a batch of blocks sharing the buffer's texts (no line objects). */
  batchAfter(after: number, limit = Number.POSITIVE_INFINITY): LogBatchSlice {
    const first = this.firstSeq;
    const lost = Math.max(0, Math.min(first, this.#lastSeq + 1) - after - 1);
    const startSeq = Math.max(after + 1, first);
    const endSeq = Math.min(this.#lastSeq, startSeq + limit - 1);
    const blocks: LogBlock[] = [];
    if (startSeq <= endSeq) {
      for (let i = this.#find(startSeq); i < this.#blocks.length; i++) {
        const block = this.#blocks[i] as LogBlock;
        if (block.firstSeq > endSeq) break;
        blocks.push(block.slice(startSeq - block.firstSeq, endSeq + 1 - block.firstSeq));
      }
    }
    return { batch: new LogBatch(blocks), lost, hasMore: endSeq < this.#lastSeq };
  }

  /** Index of the block holding `seq` (a buffered seq). */
  #find(seq: number): number {
    let lo = this.#head;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#blocks[mid] as LogBlock).firstSeq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #evict(): void {
    const { maxLines, maxBytes } = this.#limits;
    while (this.#size > 1 && (this.#size > maxLines || this.#bytes > maxBytes)) {
      const block = this.#blocks[this.#head] as LogBlock;
      this.#bytes -= block.lengthAt(this.#skip) * 2 + LINE_OVERHEAD;
      this.#size--;
      if (++this.#skip === block.count) {
        this.#blocks[this.#head++] = undefined;
        this.#skip = 0;
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#blocks.length) {
      this.#blocks = this.#blocks.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** Memory cost of a line beyond its text. */
const LINE_OVERHEAD = 64;
