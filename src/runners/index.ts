import type { Sandbox } from '../sandbox/sandbox.js';
import type { Runtime } from '../sessions/types.js';
import type { RunnerFactory } from './adapter.js';
import { createPythonRunner } from './dap/debugpy.js';
import { createNodeRunner } from './node/node-runner.js';

/** The runners this server offers, by runtime. */
export function createRunnerFactories(options: {
  pythonPath: string;
  sandbox: Sandbox | undefined;
}): Partial<Record<Runtime, RunnerFactory>> {
  const { sandbox } = options;
  return {
    NODE: () => createNodeRunner({ sandbox }),
    PYTHON: () => createPythonRunner({ python: options.pythonPath, sandbox }),
  };
}
