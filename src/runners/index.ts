import type { Runtime } from '../sessions/types.js';
import type { RunnerFactory } from './adapter.js';
import { createPythonRunner } from './dap/debugpy.js';
import { createNodeRunner } from './node/node-runner.js';

/** The runners this server offers, by runtime. */
export function createRunnerFactories(options: { pythonPath: string }): Partial<Record<Runtime, RunnerFactory>> {
  return {
    NODE: () => createNodeRunner(),
    PYTHON: () => createPythonRunner({ python: options.pythonPath }),
  };
}
