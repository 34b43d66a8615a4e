/**
 * Knowledge of the lines Node's inspector prints on the debuggee's stderr.
 *
 * Node prints, around a debug session:
 *   Debugger listening on ws://127.0.0.1:PORT/UUID
 *   For help, see: https://nodejs.org/en/docs/inspector          (20, 22; 24: another URL)
 *   Debugger attached.
 *   Waiting for the debugger to disconnect...      (program finished, a debugger still attached)
 *   Debugger ending on ws://…                      (some versions, at exit)
 */

/** What a banner line announces. */
export type BannerKind = 'listening' | 'help' | 'attached' | 'waiting-for-disconnect' | 'ending';

const EXACT_LINES: ReadonlyMap<string, BannerKind> = new Map([
  ['Debugger attached.', 'attached'],
  ['Waiting for the debugger to disconnect...', 'waiting-for-disconnect'],
]);

const LISTENING_PREFIX = 'Debugger listening on ';
const ENDING_PREFIX = 'Debugger ending on ';
/** The help line names a nodejs.org page, which moved between versions: matched by its shape. */
const HELP_PREFIX = 'For help, see: https://nodejs.org/';

/** Beginnings of every banner line: a partial line that could still become one is held back. */
export const BANNER_PREFIXES: readonly string[] = [LISTENING_PREFIX, ENDING_PREFIX, HELP_PREFIX, ...EXACT_LINES.keys()];

/** Classifies one stderr line (without its line break); undefined when it is not a banner line. */
export function classifyBannerLine(line: string): BannerKind | undefined {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const exact = EXACT_LINES.get(text);
  if (exact) return exact;
  if (text.startsWith(LISTENING_PREFIX) && parseInspectorUrl(text)) return 'listening';
  if (text.startsWith(ENDING_PREFIX)) return 'ending';
  if (text.startsWith(HELP_PREFIX) && /^For help, see: https:\/\/nodejs\.org\/\S+$/.test(text)) return 'help';
  return undefined;
}

/**
 * Extracts the WebSocket URL from a "Debugger listening on ws://…" line (or any text containing
 * one); undefined when there is none.
 */
export function parseInspectorUrl(text: string): string | undefined {
  const match = /Debugger listening on (ws:\/\/[^\s]+)/.exec(text);
  return match?.[1];
}
