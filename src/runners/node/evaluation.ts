/** Evaluating an expression in a paused call frame of a Node debuggee. */
import { Script } from 'node:vm';
import { RunnerError, type EvaluateOptions, type EvaluateResult } from '../adapter.js';
import { CdpProtocolError, DEFAULT_REQUEST_TIMEOUT_MS, type CdpConnection } from './cdp-connection.js';
import type { HandleTable } from './handle-table.js';
import { OBJECT_GROUP, toVariable, type VariableHandle } from './inspection.js';
import { describeThrown } from './remote-object.js';

/**
 * Longest string an evaluation brings over the inspector connection. CDP sends a string result
 * whole (a 200 MB one took the server from 146 to 764 MiB); the value shown is cut much shorter
 * anyway (remote-object.ts), so the debuggee cuts it first.
 */
const MAX_RESULT_CHARS = 64 * 1024;

/**
 * Evaluates `expression` in the call frame `callFrameId`. A throwing expression, a timeout and
 * V8's refusal (a side effect under `sideEffectFree`) are results with `error`. `runEnded` tells
 * whether a failed request failed because the run ended meanwhile (INVALID_STATE then).
 */
export async function evaluateOnFrame(
  cdp: CdpConnection,
  callFrameId: string,
  expression: string,
  options: EvaluateOptions,
  refs: HandleTable<VariableHandle>,
  runEnded: () => boolean,
): Promise<EvaluateResult> {
  const timeoutMs = options.timeoutMs;
  try {
    const { result, exceptionDetails } = await cdp.send(
      'Debugger.evaluateOnCallFrame',
      {
        callFrameId,
        expression: boundedExpression(expression),
        objectGroup: OBJECT_GROUP,
        generatePreview: true,
        // Don't let a throwing expression trigger "pause on exceptions" inside the evaluation.
        silent: true,
        ...(options.sideEffectFree ? { throwOnSideEffect: true } : {}),
        ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
      },
      // Leave V8 time to report its own timeout before ours fires.
      { timeoutMs: timeoutMs !== undefined ? timeoutMs + DEFAULT_REQUEST_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS },
    );
    if (exceptionDetails) {
      const message = describeThrown(exceptionDetails.exception, exceptionDetails.text);
      return { value: message, error: message, variablesReference: 0 };
    }
    const variable = toVariable('', result, refs);
    return { value: variable.value, ...(variable.type ? { type: variable.type } : {}), variablesReference: variable.variablesReference };
  } catch (error) {
    // The program ended (or was restarted) while evaluating: no result, and not the expression's fault.
    if (runEnded()) {
      throw new RunnerError('INVALID_STATE', 'The run ended during the evaluation', { cause: error });
    }
    // V8 answers a timed-out evaluation with an error, not an exception: report it as the result.
    if (error instanceof CdpProtocolError) {
      const message =
        timeoutMs !== undefined && /terminated/i.test(error.protocolMessage)
          ? `Evaluation timed out after ${timeoutMs} ms`
          : error.protocolMessage;
      return { value: message, error: message, variablesReference: 0 };
    }
    throw error;
  }
}

/**
 * `expression`, with a string result cut in the debuggee to {@link MAX_RESULT_CHARS}. The
 * expression runs in an arrow function in the same frame (same scope, `this` and `arguments`);
 * what does not compile that way (statements: `let x = 1; x`) runs as it is.
 */
export function boundedExpression(expression: string): string {
  const wrapped = `(function (value) { return typeof value === 'string' && value.length > ${MAX_RESULT_CHARS} ? value.slice(0, ${MAX_RESULT_CHARS}) : value; })((() => (\n${expression}\n))())`;
  try {
    // Syntax only: compiled here, never run.
    new Script(wrapped);
    return wrapped;
  } catch {
    return expression;
  }
}
