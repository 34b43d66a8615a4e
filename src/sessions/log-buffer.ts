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

/**
 * A session's recent output, bounded by line count and by bytes.
 *
 * Sequence numbers are contiguous (1, 2, 3, …), so the line with seq `s` sits at index
 * `s - firstSeq`; evicting from the front keeps that true.
 */
export class LogBuffer {
  #lines: LogLine[] = [];
  #head = 0;
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
    const first = this.#lines[this.#head];
    return first ? first.seq : this.#lastSeq + 1;
  }

  get size(): number {
    return this.#lines.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  append(stream: LogStream, text: string, generation: number, time = Date.now()): LogLine {
    const line: LogLine = { seq: ++this.#lastSeq, stream, text, time, generation };
    this.#lines.push(line);
    this.#bytes += lineCost(line);
    while (this.size > 1 && (this.size > this.#limits.maxLines || this.#bytes > this.#limits.maxBytes)) {
      this.#evict();
    }
    return line;
  }

  /** Up to `limit` lines with seq > `after`, and how many such lines were already evicted. */
  after(after: number, limit = Number.POSITIVE_INFINITY): LogSlice {
    const first = this.firstSeq;
    const lost = Math.max(0, Math.min(first, this.#lastSeq + 1) - after - 1);
    const startSeq = Math.max(after + 1, first);
    const start = this.#head + (startSeq - first);
    const end = Math.min(this.#lines.length, start + limit);
    const lines = start < end ? this.#lines.slice(start, end) : [];
    return { lines, lost, hasMore: end < this.#lines.length };
  }

  #evict(): void {
    const line = this.#lines[this.#head];
    if (!line) return;
    this.#bytes -= lineCost(line);
    this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** Rough memory cost of a line: UTF-16 text plus the object's fields. */
function lineCost(line: LogLine): number {
  return line.text.length * 2 + 64;
}
