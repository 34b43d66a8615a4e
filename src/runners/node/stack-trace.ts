/**
 * DAP stack frames of a pause: V8's live call frames, then the frames V8 recorded before each
 * async boundary (`Debugger.paused`'s `asyncStackTrace`, see `Debugger.setAsyncCallStackDepth`).
 * Frames in source-mapped scripts name the original file and line (`.ts`), others the script's.
 */
import { fileURLToPath } from 'node:url';
import type { StackFrame } from '../adapter.js';
import type { CallFrame, Location, RuntimeCallFrame, StackTrace } from './cdp-types.js';
import type { HandleTable } from './handle-table.js';
import type { OriginalPosition } from './source-map.js';

/** What a frame id stands for. */
export type FrameHandle =
  /** A frame of the paused stack: it has scopes and can evaluate. */
  | { kind: 'live'; frame: CallFrame }
  /** A frame before an async boundary, or the separator naming the boundary: a location only. */
  | { kind: 'async' };

/** Prefix of the separator frame put before each async segment, e.g. `[async] await`. */
export const ASYNC_SEPARATOR_PREFIX = '[async] ';

/** Async stack depth asked of V8 (as Chrome DevTools does). */
export const ASYNC_STACK_DEPTH = 32;

/** Where the scripts of a pause come from. */
export interface ScriptLocator {
  /** URL of a script id (Node 20 leaves CallFrame.url empty). */
  url(scriptId: string): string | undefined;
  /** The original position of a script location, when the script has a source map that maps it. */
  original(location: Location): OriginalPosition | undefined;
  /** Scripts whose frames the stack leaves out (the debugger's own code in the debuggee). */
  hidden(url: string): boolean;
}

/**
 * Builds the frames of a pause, innermost first, registering each in `handles`. Each async segment
 * starts with a separator frame named `[async] <what scheduled it>` (`await`, `Promise.then`,
 * `Timeout`…) with line 0 and no source, like DAP's label frames.
 */
export function buildStack(
  callFrames: CallFrame[],
  asyncTrace: StackTrace | undefined,
  scripts: ScriptLocator,
  handles: HandleTable<FrameHandle>,
): StackFrame[] {
  const frames = callFrames
    .filter((frame) => !scripts.hidden(frame.url || scripts.url(frame.location.scriptId) || ''))
    .map((frame) => toFrame(handles.add({ kind: 'live', frame }), frame.functionName, frame.url, frame.location, scripts));
  for (let segment = asyncTrace; segment; segment = segment.parent) {
    if (segment.callFrames.length === 0) continue;
    frames.push({
      id: handles.add({ kind: 'async' }),
      name: `${ASYNC_SEPARATOR_PREFIX}${segment.description || 'async'}`,
      line: 0,
      column: 0,
    });
    for (const frame of segment.callFrames) {
      if (!scripts.hidden(frame.url || scripts.url(frame.scriptId) || '')) frames.push(asyncFrame(frame, handles, scripts));
    }
  }
  return frames;
}

function asyncFrame(frame: RuntimeCallFrame, handles: HandleTable<FrameHandle>, scripts: ScriptLocator): StackFrame {
  const { scriptId, lineNumber, columnNumber } = frame;
  return toFrame(handles.add({ kind: 'async' }), frame.functionName, frame.url, { scriptId, lineNumber, columnNumber }, scripts);
}

function toFrame(id: number, functionName: string, frameUrl: string, location: Location, scripts: ScriptLocator): StackFrame {
  const name = functionName || '(anonymous)';
  const original = scripts.original(location);
  if (original) return { id, name, source: original.source, line: original.line, column: original.column + 1 };
  const source = displaySource(frameUrl || scripts.url(location.scriptId) || '');
  return { id, name, ...(source ? { source } : {}), line: location.lineNumber + 1, column: (location.columnNumber ?? 0) + 1 };
}

/** `file://` URLs become paths; `node:internal/…` and other URLs stay as they are. */
export function displaySource(url: string): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}
