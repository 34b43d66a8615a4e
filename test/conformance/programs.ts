/**
 * The conformance suite's sample programs, per runtime: the same programs in JavaScript and in
 * Python (test/fixtures/conformance/{node,python}/), the lines tests care about, and, where the
 * runtimes legitimately differ, the explicit per-runtime expectation (with the reason).
 *
 * Lines are found by the `@name` markers in the fixtures' comments, so a test says
 * `p.loop.callLine`, never a magic number, and editing a fixture cannot silently shift a test.
 */
import { readFileSync } from 'node:fs';
import type { Runtime } from '../generated/graphql.js';
import { FIXTURES } from '../support/server.js';

export const RUNTIMES = ['NODE', 'PYTHON'] as const satisfies readonly Runtime[];

/** The 1-based line carrying `@marker` in a fixture (relative to the workspace). */
function at(program: string, marker: string): number {
  const lines = readFileSync(`${FIXTURES}${program}`, 'utf8').split('\n');
  const pattern = new RegExp(`@${marker}(?![\\w-])`);
  const index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no @${marker} in ${program}`);
  return index + 1;
}

/** What a test needs to know about one sample program. */
interface Program {
  /** Relative to the workspace, as `createSession` and `setBreakpoints` take it. */
  path: string;
  /** Absolute, as the API reports `source` and `program`. */
  absolute: string;
}

function program(path: string): Program {
  return { path, absolute: `${FIXTURES}${path}` };
}

export interface RuntimePrograms {
  runtime: Runtime;
  /** Name of the frame running a program's top level. */
  topLevelFrame: string;
  /** How a string value is shown. */
  str: (text: string) => string;
  /** How a dict key / object property is named among its children. */
  key: (name: string) => string;

  loop: Program & {
    /** Where `stopOnEntry` stops: the first statement. */
    entryLine: number;
    /** A comment line before the first statement. */
    headerLine: number;
    addFirstLine: number;
    addReturnLine: number;
    forLine: number;
    callLine: number;
    /** A comment line between `callLine` and `printLine`. */
    commentLine: number;
    /** Where a breakpoint on `commentLine` binds. */
    commentBindsTo: number;
    printLine: number;
    /** Where `step OUT` of `add` (called on `callLine`) lands. */
    stepOutLine: number;
    /** The lines `step OVER` visits from `printLine` until the next `callLine`. */
    overFromPrint: number[];
    stdout: string[];
    stderr: string[];
    exitCode: number;
  };

  recursion: Program & { ifLine: number; baseLine: number; recurseLine: number; callLine: number; depth: number };

  async: Program & { firstAwaitLine: number; secondAwaitLine: number; printLine: number; doubleReturnLine: number };

  generator: Program & {
    yieldLine: number;
    loopLine: number;
    /** The consumer's `for` loop over the generator. */
    consumerLine: number;
    consumeLine: number;
    /** The lines `step OVER` visits from `yieldLine` (the generator resumes) back to `yieldLine`. */
    overFromYield: number[];
  };

  exceptions: Program & {
    raiseLine: number;
    caughtCallLine: number;
    uncaughtCallLine: number;
    /** The program's exit code when the uncaught exception ends it. */
    exitCode: number;
  };

  busy: Program & { /** Where a pause of the busy loop can land. */ loopLines: number[] };

  idle: Program & {
    /** Where a pause of the idle program stops. */
    pauseSource: string;
    pauseLine: number | undefined;
  };

  /** Worker threads; undefined where the runtime has one thread only. */
  threads: (Program & { workLine: number; workers: string[]; mainThread: string }) | undefined;

  big: Program & { afterLine: number; length: number; indexedCount: number };

  /** An ES module; undefined where the runtime has none. */
  esm: (Program & { entryLine: number; valueLine: number }) | undefined;

  syntaxError: Program & { stderr: RegExp };
}

// The samples mark the same lines with the same markers in both languages.
const recursionLines = (p: Program) => ({
  ...p,
  ifLine: at(p.path, 'if'),
  baseLine: at(p.path, 'base'),
  recurseLine: at(p.path, 'recurse'),
  callLine: at(p.path, 'call'),
  depth: 5,
});
const asyncLines = (p: Program) => ({
  ...p,
  firstAwaitLine: at(p.path, 'first-await'),
  secondAwaitLine: at(p.path, 'second-await'),
  printLine: at(p.path, 'print'),
  doubleReturnLine: at(p.path, 'double-return'),
});
const generatorLines = (p: Program) => ({
  ...p,
  yieldLine: at(p.path, 'yield'),
  loopLine: at(p.path, 'loop'),
  consumerLine: at(p.path, 'consumer'),
  consumeLine: at(p.path, 'consume'),
});

const LOOP_STDOUT = [0, 1, 2, 3, 4].map((i) => `iter ${i} total ${(i * (i + 1)) / 2}`);

function nodePrograms(): RuntimePrograms {
  const loop = program('conformance/node/loop.js');
  const recursion = program('conformance/node/recursion.js');
  const async = program('conformance/node/async.js');
  const generator = program('conformance/node/generator.js');
  const exceptions = program('conformance/node/exceptions.js');
  const busy = program('conformance/node/busy.js');
  const idle = program('conformance/node/idle.js');
  const big = program('conformance/node/big.js');
  const esm = program('conformance/node/esm.mjs');
  return {
    runtime: 'NODE',
    // The CommonJS wrapper function around a script is anonymous.
    topLevelFrame: '(anonymous)',
    str: (text) => JSON.stringify(text),
    key: (name) => name,
    loop: {
      ...loop,
      // Function declarations are hoisted: the first statement is the first line that runs.
      entryLine: at(loop.path, 'entry'),
      headerLine: at(loop.path, 'header'),
      addFirstLine: at(loop.path, 'add-first'),
      addReturnLine: at(loop.path, 'add-return'),
      forLine: at(loop.path, 'for'),
      callLine: at(loop.path, 'call'),
      commentLine: at(loop.path, 'comment'),
      // V8 binds a breakpoint to the next statement.
      commentBindsTo: at(loop.path, 'print'),
      printLine: at(loop.path, 'print'),
      // docs/debugging.md: V8's step out finishes the caller's statement and stops at the next one.
      stepOutLine: at(loop.path, 'print'),
      // docs/debugging.md: `for (let i = …; i < 5; i++)` stops twice on its line (update, then test).
      overFromPrint: [at(loop.path, 'for'), at(loop.path, 'for'), at(loop.path, 'call')],
      stdout: LOOP_STDOUT,
      stderr: ['done total 10'],
      exitCode: 3,
    },
    recursion: recursionLines(recursion),
    async: asyncLines(async),
    generator: {
      ...generatorLines(generator),
      // As in `loop`: the `for (let …)` line is visited twice (update, then test).
      overFromYield: [at(generator.path, 'loop'), at(generator.path, 'loop'), at(generator.path, 'yield')],
    },
    exceptions: {
      ...exceptions,
      raiseLine: at(exceptions.path, 'raise'),
      caughtCallLine: at(exceptions.path, 'caught-call'),
      uncaughtCallLine: at(exceptions.path, 'uncaught-call'),
      exitCode: 1,
    },
    busy: { ...busy, loopLines: [at(busy.path, 'loop'), at(busy.path, 'spin'), at(busy.path, 'check')] },
    // docs/debugging.md: an idle Node program pauses at its next callback, inside node:internal/timers.
    idle: { ...idle, pauseSource: 'node:internal/timers', pauseLine: undefined },
    // Node runs JavaScript on one thread (the inspector sees only the main isolate): no thread tests.
    threads: undefined,
    big: { ...big, afterLine: at(big.path, 'after'), length: 1_000_000, indexedCount: 1_000_000 },
    esm: {
      ...esm,
      // docs/debugging.md: an ES module stops on entry at its first statement, like CommonJS.
      entryLine: at(esm.path, 'first'),
      valueLine: at(esm.path, 'value'),
    },
    syntaxError: { ...program('conformance/node/syntax-error.js'), stderr: /SyntaxError: Unexpected end of input/ },
  };
}

function pythonPrograms(): RuntimePrograms {
  const loop = program('conformance/python/loop.py');
  const recursion = program('conformance/python/recursion.py');
  const async = program('conformance/python/async.py');
  const generator = program('conformance/python/generator.py');
  const exceptions = program('conformance/python/exceptions.py');
  const busy = program('conformance/python/busy.py');
  const idle = program('conformance/python/idle.py');
  const threads = program('conformance/python/threads.py');
  const big = program('conformance/python/big.py');
  return {
    runtime: 'PYTHON',
    topLevelFrame: '<module>',
    str: (text) => `'${text}'`,
    // debugpy names a dict's children by the repr of their key.
    key: (name) => `'${name}'`,
    loop: {
      ...loop,
      entryLine: at(loop.path, 'entry'),
      headerLine: at(loop.path, 'header'),
      addFirstLine: at(loop.path, 'add-first'),
      addReturnLine: at(loop.path, 'add-return'),
      forLine: at(loop.path, 'for'),
      callLine: at(loop.path, 'call'),
      commentLine: at(loop.path, 'comment'),
      // pydevd moves a breakpoint on a line without code to the first code line above it
      // (pydevd_api.add_breakpoint: "Adjust to the first preceding valid line").
      commentBindsTo: at(loop.path, 'call'),
      printLine: at(loop.path, 'print'),
      // Python's step out stops in the caller as soon as the callee returns, still on the call's line.
      stepOutLine: at(loop.path, 'call'),
      overFromPrint: [at(loop.path, 'for'), at(loop.path, 'call')],
      stdout: LOOP_STDOUT,
      stderr: ['done total 10'],
      exitCode: 3,
    },
    recursion: recursionLines(recursion),
    async: asyncLines(async),
    generator: {
      ...generatorLines(generator),
      overFromYield: [at(generator.path, 'loop'), at(generator.path, 'yield')],
    },
    exceptions: {
      ...exceptions,
      raiseLine: at(exceptions.path, 'raise'),
      caughtCallLine: at(exceptions.path, 'caught-call'),
      uncaughtCallLine: at(exceptions.path, 'uncaught-call'),
      exitCode: 1,
    },
    busy: { ...busy, loopLines: [at(busy.path, 'loop'), at(busy.path, 'spin')] },
    // docs/debugging.md: a signal makes the pause reach a main thread blocked in time.sleep.
    idle: { ...idle, pauseSource: idle.absolute, pauseLine: at(idle.path, 'sleep') },
    threads: { ...threads, workLine: at(threads.path, 'work'), workers: ['worker-0', 'worker-1'], mainThread: 'MainThread' },
    big: { ...big, afterLine: at(big.path, 'after'), length: 1_000_000, indexedCount: 1_000_000 },
    // Python has no ES modules.
    esm: undefined,
    syntaxError: { ...program('conformance/python/syntax_error.py'), stderr: /SyntaxError: invalid syntax/ },
  };
}

/** A compiled TypeScript sample: the JavaScript that runs, and the TypeScript that is debugged. */
interface CompiledProgram extends Program {
  /** The original `.ts`/`.mts` file, relative to the workspace. */
  sourcePath: string;
  /** The same, absolute, as frames and stops name it. */
  source: string;
}

function compiled(output: string, source: string): CompiledProgram {
  return { ...program(output), sourcePath: source, source: `${FIXTURES}${source}` };
}

/**
 * The TypeScript samples (Node only: Python has no compile step), compiled with source maps by
 * test/support/compile-typescript.ts before the tests run. Lines are TypeScript lines.
 */
export function typescriptPrograms() {
  const base = 'conformance/node/typescript';
  const main = compiled(`${base}/dist/main.js`, `${base}/src/main.ts`);
  const math = compiled(`${base}/dist/math.js`, `${base}/src/math.ts`);
  const esmMain = compiled(`${base}/dist-esm/main.mjs`, `${base}/src-esm/main.mts`);
  const shapes = compiled(`${base}/dist-esm/shapes.mjs`, `${base}/src-esm/shapes.mts`);
  const line = (p: CompiledProgram, marker: string) => at(p.sourcePath, marker);
  return {
    /** CommonJS output, `.map` files beside the scripts. */
    commonjs: {
      main: {
        ...main,
        firstLine: line(main, 'first'),
        interfaceLine: line(main, 'interface'),
        sumInitLine: line(main, 'sum-init'),
        forLine: line(main, 'for'),
        callAddLine: line(main, 'call-add'),
        returnTotalLine: line(main, 'return-total'),
        counterLine: line(main, 'counter'),
        callTotalLine: line(main, 'call-total'),
        callTickLine: line(main, 'call-tick'),
        printLine: line(main, 'print'),
      },
      math: { ...math, addBodyLine: line(math, 'add-body'), addReturnLine: line(math, 'add-return'), tickLine: line(math, 'tick') },
      stdout: ['total 6 ticks=6'],
    },
    /** A `.ts` file compiled on the fly by tsx: the script runs under the file's own URL. */
    tsx: {
      ...program(`${base}/tsx-launcher.js`),
      source: `${FIXTURES}${base}/src-tsx/app.ts`,
      sourcePath: `${base}/src-tsx/app.ts`,
      bodyLine: at(`${base}/src-tsx/app.ts`, 'body'),
    },
    /** Compiled code under the `.ts` file's URL from module loader hooks: it does not pass the CommonJS hook. */
    loaded: {
      ...program(`${base}/loader/run.mjs`),
      /** The same code run with vm under the `.ts` file's URL: compiled and run at once. */
      vm: program(`${base}/loader/vm-run.js`),
      source: `${FIXTURES}${base}/src-loaded/late.ts`,
      sourcePath: `${base}/src-loaded/late.ts`,
      bodyLine: at(`${base}/src-loaded/late.ts`, 'body'),
    },
    /** Scripts whose map is missing or not JSON: debugged as JavaScript. */
    broken: [`${base}/missing-map.js`, `${base}/broken-map.js`].map((path) => ({ ...program(path), valueLine: at(path, 'value') })),
    /** ES modules, maps inline (`data:` URLs). */
    esm: {
      main: { ...esmMain, shapesLine: line(esmMain, 'shapes'), mapLine: line(esmMain, 'map'), printLine: line(esmMain, 'print') },
      /** Imported by main.mts, so its top level runs first: the entry stop is here. */
      shapes: {
        ...shapes,
        precisionLine: line(shapes, 'precision'),
        switchLine: line(shapes, 'switch'),
        squareLine: line(shapes, 'square'),
        circleLine: line(shapes, 'circle'),
      },
    },
  };
}

/** The sample programs of one runtime. */
export function programsFor(runtime: Runtime): RuntimePrograms {
  return runtime === 'NODE' ? nodePrograms() : pythonPrograms();
}
