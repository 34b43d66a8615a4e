import type { AsyncQueue } from '../sessions/async-queue.js';
import { Channel } from '../sessions/channel.js';
import { LineSplitter } from './line-splitter.js';
import { LogBatch } from './log-batch.js';
import { runOf, type LineRun, type LogBlock } from './log-block.js';
import { LogBuffer } from './log-buffer.js';
import type { LogStream } from './log-line.js';

/** Bounds of one session's log. */
export interface SessionLogLimits {
  logBufferLines: number;
  logBufferBytes: number;
  maxLineLength: number;
}

/** Most lines in one published batch. */
const MAX_LOG_BATCH = 1000;

/**
 * One session's output, from the runner's text to what readers get: splits each stream into
 * lines, appends them to the replayable buffer (one sequence across restarts), and publishes
 * them to live readers in batches, one batch per turn of the event loop.
 */
export class SessionLog {
  /** Every buffered line, for cursors and replays. */
  readonly buffer: LogBuffer;
  // Small on purpose: a reader that falls behind refills from the shared buffer (see LogTail).
  readonly #batches = new Channel<LogBatch>(16);
  readonly #splitters = new Map<LogStream, LineSplitter>();
  /** Lines waiting for the next batch, and how many. */
  #pendingBlocks: LogBlock[] = [];
  #pendingLines = 0;
  #flushScheduled = false;

  /**
   * @param generation the current run, stamped on every line
   * @param onRead called with the number of lines each append adds (for metrics)
   */
  constructor(
    private readonly limits: SessionLogLimits,
    private readonly generation: () => number,
    private readonly onRead: (lines: number) => void,
  ) {
    this.buffer = new LogBuffer({ maxLines: limits.logBufferLines, maxBytes: limits.logBufferBytes });
  }

  /** Live readers. */
  get subscribers(): number {
    return this.#batches.size;
  }

  /** Subscribes to batches of new lines (see {@link LogTail} for the resumable view). */
  subscribe(): AsyncQueue<LogBatch> {
    return this.#batches.subscribe();
  }

  /** Text the program wrote on `stream`; a line without its end waits for the rest. */
  write(stream: LogStream, text: string): void {
    let splitter = this.#splitters.get(stream);
    if (!splitter) {
      splitter = new LineSplitter(this.limits.maxLineLength);
      this.#splitters.set(stream, splitter);
    }
    const run = splitter.push(text);
    if (run) this.#append(stream, run);
  }

  /** One line of our own (SYSTEM stream): exits, restarts, kills. */
  system(text: string): void {
    this.#append('SYSTEM', runOf([text]));
  }

  /** Ends every stream's unfinished line: the run that wrote it is over. */
  endPartialLines(): void {
    for (const [stream, splitter] of this.#splitters) {
      const run = splitter.flush();
      if (run) this.#append(stream, run);
    }
  }

  /** Publishes what waits for the next batch now. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pendingLines === 0) return;
    const batch = new LogBatch(this.#pendingBlocks);
    this.#pendingBlocks = [];
    this.#pendingLines = 0;
    this.#batches.publish(batch);
  }

  /** Publishes what waits and completes every reader (end partial lines first: see {@link endPartialLines}). */
  close(): void {
    this.flush();
    this.#batches.close();
  }

  #append(stream: LogStream, run: LineRun): void {
    let block = this.buffer.appendRun(stream, run, this.generation());
    if (block) this.onRead(block.count);
    while (block) {
      // A batch holds at most MAX_LOG_BATCH lines: a bigger block is split between batches.
      const room = MAX_LOG_BATCH - this.#pendingLines;
      const part = block.slice(0, room);
      this.#pendingBlocks.push(part);
      this.#pendingLines += part.count;
      block = part === block ? undefined : block.slice(room);
      if (this.#pendingLines >= MAX_LOG_BATCH) this.flush();
    }
    if (this.#pendingLines > 0 && !this.#flushScheduled) {
      // One batch per turn of the event loop: everything that arrived together travels together.
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }
}
