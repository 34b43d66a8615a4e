/**
 * The runtimes this server debugs, one entry each: the single source of truth. The TypeScript
 * `Runtime` type, the input validation, the GraphQL `Runtime` enum, the configuration and the
 * runner factories are all derived from {@link RUNTIMES}; adding a runtime is adding an entry
 * here (and passing the runner contract suite, test/runners/contract.test.ts).
 */
import { z } from 'zod';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { RunnerAdapter, RunnerFactory } from './adapter.js';
import { createPythonRunner } from './dap/debugpy.js';
import { createNodeRunner } from './node/node-runner.js';

/** What a runtime's runner gets from the server. */
export interface RuntimeHost {
  /** The session box every run goes in (undefined: none). */
  sandbox: Sandbox | undefined;
}

/** One runtime. */
export interface RuntimeEntry<Id extends string, Settings> {
  /** The API's name for it (GraphQL enum value, `runtime` input). */
  readonly id: Id;
  /** One line for the API docs. */
  readonly description: string;
  /** The environment variables it reads (validated with the server's configuration). */
  readonly settings: z.ZodType<Settings>;
  /**
   * Environment variable families a client may not set (they make this runtime's interpreter or
   * debugger load code from outside the program). Refused in every session, whatever its runtime:
   * a program may start another.
   */
  readonly refusedEnv: readonly RegExp[];
  /** A new runner for one session. */
  createRunner(settings: Settings, host: RuntimeHost): RunnerAdapter;
}

/** An entry, with a factory that takes its settings as the configuration holds them. */
export interface BoundRuntime<Id extends string, Settings> extends RuntimeEntry<Id, Settings> {
  /** The runner factory, given this runtime's validated settings (see {@link readRuntimeSettings}). */
  factory(settings: unknown, host: RuntimeHost): RunnerFactory;
}

/** Keeps an entry's id a literal, and its settings' type tied to its factory. */
function runtime<const Id extends string, Settings>(entry: RuntimeEntry<Id, Settings>): BoundRuntime<Id, Settings> {
  return {
    ...entry,
    factory: (settings, host) => {
      // Validated already; parsed again, by the entry's own schema, to get its own type back.
      const own = entry.settings.parse(settings);
      return () => entry.createRunner(own, host);
    },
  };
}

export const RUNTIMES = [
  runtime({
    id: 'NODE',
    description: 'Node.js, through the V8 Inspector protocol.',
    settings: z.object({}),
    refusedEnv: [
      /^NODE_(?!ENV$)/, // NODE_OPTIONS, NODE_PATH, NODE_V8_COVERAGE, NODE_INSPECT*, …
      /^(UV_|NPM_CONFIG_)/,
    ],
    createRunner: (_settings, { sandbox }) => createNodeRunner({ sandbox }),
  }),
  runtime({
    id: 'PYTHON',
    description: 'Python, through the Debug Adapter Protocol (debugpy).',
    settings: z.object({ DEBUG_SERVER_PYTHON: z.string().min(1).default('/usr/bin/python3') }),
    refusedEnv: [
      /^PYTHON(?!UNBUFFERED$|IOENCODING$)/, // PYTHONPATH, PYTHONSTARTUP, PYTHONWARNINGS, …
      /^(DEBUGPY_|PYDEVD_)/, // the debugger
    ],
    createRunner: (settings, { sandbox }) => createPythonRunner({ python: settings.DEBUG_SERVER_PYTHON, sandbox }),
  }),
] as const;

type AnyEntry = (typeof RUNTIMES)[number];

/** A runtime's API name. */
export type Runtime = AnyEntry['id'];

/** Every runtime's API name, in {@link RUNTIMES} order (for enums). */
export const RUNTIME_IDS = RUNTIMES.map((r) => r.id) as [Runtime, ...Runtime[]];

/** The validated settings of every runtime, by id. */
export type RuntimeSettings = Record<Runtime, unknown>;

/** Reads every runtime's settings from the environment; the zod issues of those that fail. */
export function readRuntimeSettings(env: NodeJS.ProcessEnv): { settings?: RuntimeSettings; issues: z.core.$ZodIssue[] } {
  const issues: z.core.$ZodIssue[] = [];
  const settings: Partial<RuntimeSettings> = {};
  for (const entry of RUNTIMES) {
    const parsed = entry.settings.safeParse(env);
    if (parsed.success) settings[entry.id] = parsed.data;
    else issues.push(...parsed.error.issues);
  }
  return issues.length > 0 ? { issues } : { settings: settings as RuntimeSettings, issues };
}

/** The runner factory of every runtime. */
export function createRunnerFactories(settings: RuntimeSettings, host: RuntimeHost): Record<Runtime, RunnerFactory> {
  const factories: Partial<Record<Runtime, RunnerFactory>> = {};
  for (const entry of RUNTIMES) factories[entry.id] = entry.factory(settings[entry.id], host);
  return factories as Record<Runtime, RunnerFactory>;
}

/** Environment variable families any runtime refuses (see {@link RuntimeEntry.refusedEnv}). */
export const RUNTIME_REFUSED_ENV: readonly RegExp[] = RUNTIMES.flatMap((r) => r.refusedEnv);
