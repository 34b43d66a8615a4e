import { describe, expect, it } from 'vitest';
import { debugpyLauncher, pythonErrorLine } from '../../src/runners/dap/debugpy.js';

describe("debugpy's quirks", () => {
  const launcher = debugpyLauncher();

  it('tells a lost debuggee from an expression that failed', () => {
    // debugpy's own texts when pydevd's connection ends under a pending request.
    expect(launcher.lostDebuggee?.('No more messages')).toBe(true);
    expect(launcher.lostDebuggee?.('Server[pydevd] disconnected unexpectedly')).toBe(true);
    expect(launcher.lostDebuggee?.('Server is not available')).toBe(true);
    expect(launcher.lostDebuggee?.("NameError: name 'nope' is not defined")).toBe(false);
    // A program's own exception saying much the same is the expression's answer.
    expect(launcher.lostDebuggee?.('RuntimeError: Server is not available')).toBe(false);
    expect(launcher.lostDebuggee?.('OSError: peer disconnected unexpectedly')).toBe(false);
    expect(launcher.lostDebuggee?.('Traceback (most recent call last):\n  ...\nEOFError: No more messages')).toBe(false);
  });

  it("keeps a traceback's last line as the evaluation error", () => {
    expect(pythonErrorLine('Traceback (most recent call last):\n  File "<string>", line 1\nZeroDivisionError: division by zero\n')).toBe(
      'ZeroDivisionError: division by zero',
    );
  });
});
