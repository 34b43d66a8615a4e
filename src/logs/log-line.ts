/** Where a log line came from. */
export type LogStream = 'STDOUT' | 'STDERR' | 'CONSOLE' | 'SYSTEM';

/** One line of a session's log. `seq` only grows, across restarts too. */
export interface LogLine {
  seq: number;
  stream: LogStream;
  text: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** The run (0 for the first, +1 per restart) that produced the line. */
  generation: number;
}

let lastTime = Number.NaN;
let lastIso = '';

/**
 * ISO 8601 text of a line's time. Lines arrive in bursts that share a millisecond, so the last
 * conversion is remembered: a flood costs one Date per millisecond, not one per line.
 */
export function isoTime(time: number): string {
  if (time !== lastTime) {
    lastTime = time;
    lastIso = new Date(time).toISOString();
  }
  return lastIso;
}

/** Parses a client's cursor (a `LogLine.seq`, as a string) into a sequence number. */
export function parseCursor(cursor: string): number | undefined {
  if (!/^\d{1,15}$/.test(cursor)) return undefined;
  return Number(cursor);
}
