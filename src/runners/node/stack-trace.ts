/**
 * DAP stack frames of a pause: V8's live call frames, then the frames V8 recorded before each
 * async boundary (`Debugger.paused`'s `asyncStackTrace`, see `Debugger.setAsyncCallStackDepth`).
 */
import { fileURLToPath } from 'node:url';
import type { StackFrame } from '../adapter.js';
import type { CallFrame, RuntimeCallFrame, StackTrace } from './cdp-types.js';
import type { HandleTable } from './handle-table.js';

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

/**
 * Builds the frames of a pause, innermost first, registering each in `handles`. Each async segment
 * starts with a separator frame named `[async] <what scheduled it>` (`await`, `Promise.then`,
 * `Timeout`…) with line 0 and no source, like DAP's label frames.
 *
 * @param scriptUrl URL of a script id (Node 20 leaves CallFrame.url empty)
 */
export function buildStack(
  callFrames: CallFrame[],
  asyncTrace: StackTrace | undefined,
  scriptUrl: (scriptId: string) => string | undefined,
  handles: HandleTable<FrameHandle>,
): StackFrame[] {
  const frames = callFrames.map((frame) =>
    toFrame(
      handles.add({ kind: 'live', frame }),
      frame.functionName,
      frame.url || scriptUrl(frame.location.scriptId) || '',
      frame.location.lineNumber,
      frame.location.columnNumber ?? 0,
    ),
  );
  for (let segment = asyncTrace; segment; segment = segment.parent) {
    if (segment.callFrames.length === 0) continue;
    frames.push({
      id: handles.add({ kind: 'async' }),
      name: `${ASYNC_SEPARATOR_PREFIX}${segment.description || 'async'}`,
      line: 0,
      column: 0,
    });
    for (const frame of segment.callFrames) frames.push(asyncFrame(frame, handles, scriptUrl));
  }
  return frames;
}

function asyncFrame(
  frame: RuntimeCallFrame,
  handles: HandleTable<FrameHandle>,
  scriptUrl: (scriptId: string) => string | undefined,
): StackFrame {
  const url = frame.url || scriptUrl(frame.scriptId) || '';
  return toFrame(handles.add({ kind: 'async' }), frame.functionName, url, frame.lineNumber, frame.columnNumber);
}

function toFrame(id: number, functionName: string, url: string, line0: number, column0: number): StackFrame {
  const source = displaySource(url);
  return { id, name: functionName || '(anonymous)', ...(source ? { source } : {}), line: line0 + 1, column: column0 + 1 };
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
