/**
 * Turns a stream of text chunks into lines.
 *
 * Partial lines wait for their end; `\r\n` and `\n` both end a line; a line longer than
 * `maxLength` is cut there and marked, and the rest of it is counted, not kept, so a stream
 * that never writes a newline cannot grow memory.
 */
export class LineSplitter {
  #pending = '';
  #overflow = 0;
  readonly #maxLength: number;

  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      this.#append(chunk.slice(start, nl));
      lines.push(this.#take());
      start = nl + 1;
    }
    if (start < chunk.length) this.#append(chunk.slice(start));
    return lines;
  }

  /** Ends the stream: returns the last, unterminated line if there is one. */
  flush(): string[] {
    if (this.#pending.length === 0 && this.#overflow === 0) return [];
    return [this.#take()];
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
