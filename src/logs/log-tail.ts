import type { AsyncQueue } from '../sessions/async-queue.js';
import { LogBatch } from './log-batch.js';
import { LogBlock } from './log-block.js';
import type { LogBuffer } from './log-buffer.js';

/** What a {@link LogTail} reads from: the shared buffer and the channel of live batches. */
export interface LogSource {
  readonly logs: LogBuffer;
  readonly generation: number;
  subscribeLogBatches(): AsyncQueue<LogBatch>;
}

/** What a reader reports of the lines it hands out (for metrics). */
export interface LogMeter {
  delivered(count: number): void;
  /** Lines the buffer no longer held when this reader got to them. */
  lost(count: number): void;
}

const NO_METER: LogMeter = { delivered: () => undefined, lost: () => undefined };

/**
 * One subscriber's view of a session log: history after a cursor, then live batches, with no
 * gap and no duplicate at the seam.
 *
 * The live channel may drop batches for a slow reader; a gap in sequence numbers is refilled
 * from the shared buffer, and what the buffer no longer holds is reported as a `SYSTEM` line
 * saying how many lines were lost. A reader therefore costs a bounded queue, never a copy of
 * the log. `return()` releases it at once, even while a `next()` is waiting.
 */
export class LogTail implements AsyncIterableIterator<LogBatch> {
  readonly #source: LogSource;
  readonly #live: AsyncQueue<LogBatch>;
  readonly #maxBatch: number;
  readonly #meter: LogMeter;
  /** Seq of the last line delivered (or skipped on purpose). */
  #last: number;
  /** True while the buffer holds lines this reader still has to get. */
  #fromBuffer: boolean;

  /**
   * @param after cursor to resume after; undefined means "live lines only".
   * @param maxBatch most lines in one delivered batch.
   * @param meter told of every line delivered and lost.
   */
  constructor(source: LogSource, after: number | undefined, maxBatch: number, meter: LogMeter = NO_METER) {
    this.#meter = meter;
    this.#source = source;
    // Subscribe before reading history, so nothing published in between is missed.
    this.#live = source.subscribeLogBatches();
    this.#maxBatch = maxBatch;
    this.#last = after ?? source.logs.lastSeq;
    this.#fromBuffer = after !== undefined;
  }

  /** Seq of the last line delivered: the cursor to resume after. */
  get position(): number {
    return this.#last;
  }

  async next(): Promise<IteratorResult<LogBatch>> {
    for (;;) {
      if (this.#fromBuffer) {
        const batch = this.#readBuffer();
        if (batch.length > 0) return this.#deliver(batch);
      }
      const result = await this.#live.next();
      if (result.done) return result;
      const batch = result.value;
      if (!(batch.lastSeq > this.#last)) continue;
      if (batch.firstSeq > this.#last + 1) {
        // The channel dropped batches for us: catch up from the buffer instead.
        this.#fromBuffer = true;
        continue;
      }
      const previous = this.#last;
      this.#last = batch.lastSeq;
      // The same batch object as every other subscriber got, unless part of it was sent already.
      return this.#deliver(batch.after(previous));
    }
  }

  #deliver(batch: LogBatch): IteratorResult<LogBatch> {
    this.#meter.delivered(batch.length);
    return { value: batch, done: false };
  }

  return(): Promise<IteratorResult<LogBatch>> {
    return this.#live.return();
  }

  throw(error?: unknown): Promise<IteratorResult<LogBatch>> {
    void this.#live.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LogBatch> {
    return this;
  }

  #readBuffer(): LogBatch {
    const slice = this.#source.logs.batchAfter(this.#last, this.#maxBatch);
    const blocks: LogBlock[] = [];
    if (slice.lost > 0) {
      const lostUpTo = this.#last + slice.lost;
      this.#meter.lost(slice.lost);
      blocks.push(
        LogBlock.of({
          seq: lostUpTo,
          stream: 'SYSTEM',
          text: `[${slice.lost} log line(s) lost: no longer buffered]`,
          time: Date.now(),
          generation: this.#source.generation,
        }),
      );
      this.#last = lostUpTo;
    }
    blocks.push(...slice.batch.blocks);
    if (slice.batch.length > 0) this.#last = slice.batch.lastSeq;
    this.#fromBuffer = slice.hasMore;
    return blocks.length === slice.batch.blocks.length ? slice.batch : new LogBatch(blocks);
  }
}
