import { RUNTIMES, type Runtime } from '../../runners/runtimes.js';
import { builder } from '../builder.js';

export const RuntimeEnum = builder.enumType('Runtime', {
  description: 'The language runtime a session debugs.',
  // One value per entry of the runtime registry.
  values: Object.fromEntries(RUNTIMES.map((r) => [r.id, { description: r.description }])) as Record<Runtime, { description: string }>,
});

export const SessionStateEnum = builder.enumType('SessionState', {
  description: 'STARTING → PAUSED ⇄ RUNNING → EXITED | TERMINATED | FAILED; a restart goes back to STARTING.',
  values: {
    STARTING: { description: 'The debuggee is being launched.' },
    RUNNING: { description: 'The program runs.' },
    PAUSED: { description: 'The program is stopped: step, eval and inspect.' },
    EXITED: { description: 'The program ended by itself; `exitCode` says how. It can be restarted.' },
    TERMINATED: { description: 'The session was ended by a client or by the server. Final.' },
    FAILED: {
      description:
        'The program could not start, died before the debugger took control, was killed by a signal, or the debugger failed. It can be restarted.',
    },
  } as const,
});

export const StepKindEnum = builder.enumType('StepKind', {
  values: {
    OVER: { description: 'Run to the next line of the current function (DAP `next`).' },
    INTO: { description: 'Step into the call on this line (DAP `stepIn`).' },
    OUT: { description: 'Run until the current function returns (DAP `stepOut`).' },
  } as const,
});

export const LogStreamEnum = builder.enumType('LogStream', {
  values: {
    STDOUT: { description: "The debuggee's standard output." },
    STDERR: { description: "The debuggee's standard error." },
    CONSOLE: { description: 'Debugger output: logpoint messages.' },
    SYSTEM: { description: 'debug-server itself: exits, restarts, lost lines.' },
  } as const,
});

export const ExceptionFilterEnum = builder.enumType('ExceptionFilter', {
  description: 'Which exceptions stop the program.',
  values: {
    UNCAUGHT: { value: 'uncaught', description: 'Exceptions nothing catches.' },
    ALL: { value: 'all', description: 'Every exception when it is thrown (raised), caught or not.' },
  } as const,
});

export const SessionEventKindEnum = builder.enumType('SessionEventKind', {
  values: {
    STARTED: {},
    STOPPED: {},
    CONTINUED: {},
    EXITED: {},
    TERMINATED: {},
    RESTARTED: {},
    FAILED: {},
    BREAKPOINT: { description: 'A breakpoint changed (e.g. bound when its file loaded).' },
  } as const,
});
