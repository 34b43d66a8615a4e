import { runOf, type LineRun } from './log-block.js';

/**
 * Turns a stream of text chunks into lines.
 *
 * Partial lines wait for their end; `\r\n` and `\n` both end a line; a line longer than
 * `maxLength` is cut there and marked, and the rest of it is counted, not kept, so a stream
 * that never writes a newline cannot grow memory.
 *
 * Lines come out as a {@link LineRun} per chunk. The common chunk (whole lines, `\n` endings, none
 * too long) is scanned once and kept as it is: no string per line.
 */
export class LineSplitter {
  #pending = '';
  #overflow = 0;
  readonly #maxLength: number;
  /** Scratch offsets, reused from chunk to chunk. */
  #bounds = new Int32Array(1024);

  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  /** Feeds a chunk; returns the lines it completed (undefined: none). */
  push(chunk: string): LineRun | undefined {
    const lastNl = chunk.lastIndexOf('\n');
    if (lastNl === -1) {
      this.#append(chunk);
      return undefined;
    }
    const run = (this.#pending.length === 0 && this.#overflow === 0 && this.#scan(chunk, lastNl)) || this.#split(chunk, lastNl);
    if (lastNl + 1 < chunk.length) this.#append(chunk.slice(lastNl + 1));
    return run;
  }

  /** Ends the stream: returns the last, unterminated line if there is one. */
  flush(): LineRun | undefined {
    if (this.#pending.length === 0 && this.#overflow === 0) return undefined;
    return runOf([this.#take()]);
  }

  /**
   * The fast path: the chunk's complete lines as they are, or undefined when one of them needs
   * work (a `\r` to drop, a line to cut).
   */
  #scan(chunk: string, lastNl: number): LineRun | undefined {
    const cr = chunk.indexOf('\r');
    if (cr !== -1 && cr < lastNl) return undefined;
    let bounds = this.#bounds;
    let count = 0;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1 || nl > lastNl) break;
      if (nl - start > this.#maxLength) return undefined;
      if (count + 2 > bounds.length) {
        const grown = new Int32Array(bounds.length * 2);
        grown.set(bounds);
        this.#bounds = bounds = grown;
      }
      bounds[++count] = nl + 1;
      start = nl + 1;
    }
    return { text: lastNl + 1 === chunk.length ? chunk : chunk.slice(0, lastNl + 1), bounds: bounds.slice(0, count + 1) };
  }

  /** The general path: line by line, joining partial writes, dropping `\r`, cutting long lines. */
  #split(chunk: string, lastNl: number): LineRun {
    const lines: string[] = [];
    let start = 0;
    while (start <= lastNl) {
      const nl = chunk.indexOf('\n', start);
      this.#append(chunk.slice(start, nl));
      lines.push(this.#take());
      start = nl + 1;
    }
    return runOf(lines);
  }

  #append(part: string): void {
    const room = this.#maxLength - this.#pending.length;
    if (part.length <= room) {
      this.#pending += part;
    } else {
      this.#pending += part.slice(0, Math.max(0, room));
      this.#overflow += part.length - Math.max(0, room);
    }
  }

  #take(): string {
    let line = this.#pending;
    if (this.#overflow > 0) {
      line += ` … [${this.#overflow} more characters cut]`;
    } else if (line.endsWith('\r')) {
      line = line.slice(0, -1);
    }
    this.#pending = '';
    this.#overflow = 0;
    return line;
  }
}
