import type { AsyncQueue } from './async-queue.js';
import type { LogBuffer } from './log-buffer.js';
import type { LogLine } from './log-line.js';

/** What a {@link LogTail} reads from: the shared buffer and the channel of live batches. */
export interface LogSource {
  readonly logs: LogBuffer;
  readonly generation: number;
  subscribeLogBatches(): AsyncQueue<LogLine[]>;
}

/**
 * One subscriber's view of a session log: history after a cursor, then live batches, with no
 * gap and no duplicate at the seam.
 *
 * The live channel may drop batches for a slow reader; a gap in sequence numbers is refilled
 * from the shared buffer, and what the buffer no longer holds is reported as a `SYSTEM` line
 * saying how many lines were lost. A reader therefore costs a bounded queue, never a copy of
 * the log. `return()` releases it at once, even while a `next()` is waiting.
 */
export class LogTail implements AsyncIterableIterator<LogLine[]> {
  readonly #source: LogSource;
  readonly #live: AsyncQueue<LogLine[]>;
  readonly #maxBatch: number;
  /** Seq of the last line delivered (or skipped on purpose). */
  #last: number;
  /** True while the buffer holds lines this reader still has to get. */
  #fromBuffer: boolean;

  /**
   * @param after cursor to resume after; undefined means "live lines only".
   * @param maxBatch most lines in one delivered batch.
   */
  constructor(source: LogSource, after: number | undefined, maxBatch: number) {
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

  async next(): Promise<IteratorResult<LogLine[]>> {
    for (;;) {
      if (this.#fromBuffer) {
        const batch = this.#readBuffer();
        if (batch.length > 0) return { value: batch, done: false };
      }
      const result = await this.#live.next();
      if (result.done) return result;
      const batch = result.value;
      const firstNew = batch.findIndex((line) => line.seq > this.#last);
      if (firstNew === -1) continue;
      if ((batch[firstNew] as LogLine).seq > this.#last + 1) {
        // The channel dropped batches for us: catch up from the buffer instead.
        this.#fromBuffer = true;
        continue;
      }
      const fresh = firstNew === 0 ? batch : batch.slice(firstNew);
      this.#last = (fresh[fresh.length - 1] as LogLine).seq;
      return { value: fresh, done: false };
    }
  }

  return(): Promise<IteratorResult<LogLine[]>> {
    return this.#live.return();
  }

  throw(error?: unknown): Promise<IteratorResult<LogLine[]>> {
    void this.#live.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LogLine[]> {
    return this;
  }

  #readBuffer(): LogLine[] {
    const slice = this.#source.logs.after(this.#last, this.#maxBatch);
    const batch: LogLine[] = [];
    if (slice.lost > 0) {
      const lostUpTo = this.#last + slice.lost;
      batch.push({
        seq: lostUpTo,
        stream: 'SYSTEM',
        text: `[${slice.lost} log line(s) lost: no longer buffered]`,
        time: Date.now(),
        generation: this.#source.generation,
      });
      this.#last = lostUpTo;
    }
    batch.push(...slice.lines);
    const tail = slice.lines[slice.lines.length - 1];
    if (tail) this.#last = tail.seq;
    this.#fromBuffer = slice.hasMore;
    return batch;
  }
}
