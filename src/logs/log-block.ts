import type { LogLine, LogStream } from './log-line.js';

/**
 * Lines kept as one text: every line is followed by one separator character, and line `i` is
 * `text.slice(bounds[i], bounds[i + 1] - 1)`. A chunk read from a pipe usually is such a text
 * already, so a flood costs one string and one small typed array per chunk instead of a string
 * and an object per line (which the garbage collector would copy for as long as they are kept).
 */
export interface LineRun {
  readonly text: string;
  /** `count + 1` offsets into `text`. */
  readonly bounds: Int32Array;
}

/** The texts of a run (for tests and slow paths). */
export function runLines(run: LineRun | undefined): string[] {
  const lines: string[] = [];
  if (!run) return lines;
  for (let i = 0; i + 1 < run.bounds.length; i++) lines.push(run.text.slice(run.bounds[i], (run.bounds[i + 1] as number) - 1));
  return lines;
}

/** A run made of separate lines (none may contain `\n`). */
export function runOf(lines: readonly string[]): LineRun {
  const bounds = new Int32Array(lines.length + 1);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    at += (lines[i] as string).length + 1;
    bounds[i + 1] = at;
  }
  return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, bounds };
}

/**
 * Consecutive log lines that arrived together: one stream, one run, one arrival time, contiguous
 * sequence numbers. Immutable; {@link slice} shares the text.
 */
export class LogBlock implements LineRun {
  constructor(
    readonly firstSeq: number,
    readonly stream: LogStream,
    readonly generation: number,
    /** Milliseconds since the epoch. */
    readonly time: number,
    readonly text: string,
    readonly bounds: Int32Array,
  ) {}

  /** A block of one line. */
  static of(line: LogLine): LogBlock {
    const run = runOf([line.text]);
    return new LogBlock(line.seq, line.stream, line.generation, line.time, run.text, run.bounds);
  }

  get count(): number {
    return this.bounds.length - 1;
  }

  get lastSeq(): number {
    return this.firstSeq + this.bounds.length - 2;
  }

  /** Characters of line `i` (its separator not counted). */
  lengthAt(i: number): number {
    return (this.bounds[i + 1] as number) - (this.bounds[i] as number) - 1;
  }

  textAt(i: number): string {
    return this.text.slice(this.bounds[i], (this.bounds[i + 1] as number) - 1);
  }

  lineAt(i: number): LogLine {
    return { seq: this.firstSeq + i, stream: this.stream, text: this.textAt(i), time: this.time, generation: this.generation };
  }

  /** Lines `from` (inclusive) to `to` (exclusive), clamped to the block, sharing this block's text. */
  slice(from: number, to = this.count): LogBlock {
    const start = Math.min(this.count, Math.max(0, from));
    const end = Math.max(start, Math.min(this.count, to));
    if (start === 0 && end === this.count) return this;
    return new LogBlock(this.firstSeq + start, this.stream, this.generation, this.time, this.text, this.bounds.subarray(start, end + 1));
  }
}
