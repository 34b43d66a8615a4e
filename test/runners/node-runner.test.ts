/**
 * NodeRunner against real `node` debuggees (test/fixtures/node). No mocks: every test spawns a
 * process under the inspector, and afterEach terminates it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { RunnerEventLog } from '../support/runner-events.js';
import { RunnerError, type LaunchOptions, type RunnerEventMap, type SourceBreakpoint, type Variable } from '../../src/runners/adapter.js';
import { NodeRunner, createNodeRunner } from '../../src/runners/node/node-runner.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/node/', import.meta.url));
const fixture = (name: string): string => `${FIXTURES}${name}`;

/** 1-based line of the `// @marker` comment in a fixture. */
function lineOf(name: string, marker: string): number {
  const index = readFileSync(fixture(name), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`// @${marker}`));
  if (index === -1) throw new Error(`marker @${marker} not in ${name}`);
  return index + 1;
}

/** A runner plus a recording of its events, consumable in order per event name. */
class Harness {
  readonly runner = new NodeRunner();
  readonly recorder = new RunnerEventLog(this.runner);
  readonly events = this.recorder.events.bind(this.recorder);
  readonly next = this.recorder.next.bind(this.recorder);
  readonly output = this.recorder.output.bind(this.recorder);
  readonly log = this.recorder.log;

  launch(program: string, extra: Partial<LaunchOptions> = {}): Promise<void> {
    return this.runner.launch({
      program: fixture(program),
      args: [],
      cwd: FIXTURES,
      env: {},
      stopOnEntry: false,
      breakpoints: new Map(),
      ...extra,
    });
  }

  async variable(ref: number, name: string): Promise<Variable> {
    const vars = await this.runner.variables(ref);
    const found = vars.find((v) => v.name === name);
    if (!found) throw new Error(`no variable ${name} in ${vars.map((v) => v.name).join(', ')}`);
    return found;
  }

  async localScopeRef(frameIndex = 0): Promise<number> {
    const frames = await this.runner.stackTrace(1);
    const scopes = await this.runner.scopes((frames[frameIndex] as { id: number }).id);
    const local = scopes.find((s) => s.name === 'Local');
    if (!local) throw new Error(`no Local scope: ${scopes.map((s) => s.name).join(', ')}`);
    return local.variablesReference;
  }

  async topFrame(): Promise<{ name: string; line: number; source?: string }> {
    const [top] = await this.runner.stackTrace(1, 0, 1);
    if (!top) throw new Error('empty stack');
    return top;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const bps = (name: string, ...list: SourceBreakpoint[]): Map<string, SourceBreakpoint[]> => new Map([[fixture(name), list]]);

let harnesses: Harness[] = [];
function harness(): Harness {
  const h = new Harness();
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  const pids = harnesses.map((h) => h.runner.pid).filter((pid): pid is number => pid !== undefined);
  await Promise.all(harnesses.map((h) => h.runner.terminate()));
  harnesses = [];
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

describe('NodeRunner', () => {
  it('has the promised capabilities and a factory', async () => {
    const runner = createNodeRunner();
    expect(runner.capabilities).toEqual({
      conditionalBreakpoints: true,
      hitConditionalBreakpoints: true,
      logPoints: true,
      exceptionFilters: ['uncaught', 'all'],
      restart: true,
      evaluateTimeout: true,
    });
    await runner.terminate();
  });

  it('stops on entry, then runs to the end', async () => {
    const h = harness();
    await h.launch('loop.js', { stopOnEntry: true });
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'entry', threadId: 1, allThreadsStopped: true });
    expect(await h.runner.threads()).toEqual([{ id: 1, name: 'main' }]);
    const top = await h.topFrame();
    expect(top.source).toBe(fixture('loop.js'));
    expect(top.line).toBe(lineOf('loop.js', 'comment') + 1); // First statement after the comments.
    await h.runner.continue(1);
    expect(await h.next('continued')).toEqual({ threadId: 1, allThreadsContinued: true });
    expect(await h.next('exited')).toEqual({ exitCode: 0, signal: null });
    await h.next('terminated');
    expect(h.output('stdout')).toContain('iter 4 total 10\ndouble 20\ndone\n');
  });

  it('does not report the internal first pause when not stopping on entry', async () => {
    const h = harness();
    await h.launch('loop.js');
    await h.next('terminated');
    expect(h.events('stopped')).toEqual([]);
    expect(h.events('continued')).toEqual([]);
    // No inspector banner leaks into the output.
    const all = h.output('stdout') + h.output('stderr');
    expect(all).not.toMatch(/Debugger listening|For help, see|Debugger attached|Waiting for the debugger/);
  });

  it('hits a breakpoint and shows stack, scopes and variables', async () => {
    const h = harness();
    const line = lineOf('loop.js', 'add-return');
    await h.launch('loop.js', { breakpoints: bps('loop.js', { line }) });
    const stopped = await h.next('stopped');
    expect(stopped.reason).toBe('breakpoint');
    expect(stopped.hitBreakpointIds).toHaveLength(1);

    const frames = await h.runner.stackTrace(1);
    // V8 binds `return sum;` to the returned expression: column 14, not 3.
    expect(frames[0]).toMatchObject({ name: 'add', source: fixture('loop.js'), line, column: 14 });
    expect(frames[1]).toMatchObject({ name: '(anonymous)', source: fixture('loop.js'), line: lineOf('loop.js', 'call-add') });
    expect(frames.some((f) => f.source?.startsWith('node:internal/'))).toBe(true);
    expect(frames.map((f) => f.id).every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(await h.runner.stackTrace(1, 1, 1)).toEqual([frames[1]]);

    const scopes = await h.runner.scopes((frames[0] as { id: number }).id);
    expect(scopes[0]).toMatchObject({ name: 'Local', expensive: false });
    expect(scopes.at(-1)).toMatchObject({ name: 'Global', expensive: true });
    const local = await h.runner.variables(scopes[0]!.variablesReference);
    expect(local.find((v) => v.name === 'a')).toMatchObject({ value: '0', type: 'number', variablesReference: 0 });
    expect(local.find((v) => v.name === 'sum')).toMatchObject({ value: '0', type: 'number' });

    // The caller's module scope holds `total` and the required helper module.
    const callerLocal = await h.localScopeRef(1);
    expect(await h.variable(callerLocal, 'total')).toMatchObject({ value: '0' });
    const helper = await h.variable(callerLocal, 'helper');
    expect(helper.variablesReference).toBeGreaterThan(0);
    expect(await h.variable(helper.variablesReference, 'double')).toMatchObject({ value: 'ƒ double(n)', type: 'function' });

    // A page of the global scope.
    const globals = await h.runner.variables(scopes.at(-1)!.variablesReference, { start: 0, count: 5 });
    expect(globals).toHaveLength(5);

    // Handles die on resume.
    await h.runner.continue(1);
    await expect(h.runner.variables(scopes[0]!.variablesReference)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const again = await h.next('stopped');
    expect(again.reason).toBe('breakpoint');
    await expect(h.runner.scopes((frames[0] as { id: number }).id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('steps into, over and out', async () => {
    const h = harness();
    await h.launch('loop.js', { breakpoints: bps('loop.js', { line: lineOf('loop.js', 'call-add') }) });
    await h.next('stopped');
    expect((await h.topFrame()).line).toBe(lineOf('loop.js', 'call-add'));

    await h.runner.stepIn(1);
    await h.next('continued');
    expect((await h.next('stopped')).reason).toBe('step');
    expect(await h.topFrame()).toMatchObject({ name: 'add', line: lineOf('loop.js', 'add-first') });

    await h.runner.next(1);
    expect((await h.next('stopped')).reason).toBe('step');
    expect(await h.topFrame()).toMatchObject({ name: 'add', line: lineOf('loop.js', 'add-return') });

    await h.runner.stepOut(1);
    expect((await h.next('stopped')).reason).toBe('step');
    // V8 finishes the caller's statement (the assignment) and stops at the next one.
    expect(await h.topFrame()).toMatchObject({ name: '(anonymous)', line: lineOf('loop.js', 'log') });

    await h.runner.next(1);
    expect((await h.next('stopped')).reason).toBe('step');
    expect((await h.topFrame()).line).toBe(lineOf('loop.js', 'before-for') + 1); // The loop header (i++).
  });

  it('steps over a slow first statement right after the entry stop', async () => {
    const h = harness();
    await h.launch('slow-first-statement.js', { stopOnEntry: true });
    expect((await h.next('stopped')).reason).toBe('entry');
    expect((await h.topFrame()).line).toBe(lineOf('slow-first-statement.js', 'first'));
    // The entry's one-shot breakpoint must not go away while this step runs (V8 then drops the step).
    await h.runner.next(1);
    expect((await h.next('stopped')).reason).toBe('step');
    expect((await h.topFrame()).line).toBe(lineOf('slow-first-statement.js', 'next'));
  });

  it('stops only at the breakpoint in source-mapped ES modules (their instrumentation pauses are never shown)', async () => {
    const h = harness();
    const shapes = resolve(FIXTURES, '../conformance/node/typescript/src-esm/shapes.mts');
    const circle =
      readFileSync(shapes, 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('// @circle')) + 1;
    await h.launch('../conformance/node/typescript/dist-esm/main.mjs', { breakpoints: new Map([[shapes, [{ line: circle }]]]) });
    const stop = await h.next('stopped');
    expect(stop.reason).toBe('breakpoint');
    expect(await h.topFrame()).toMatchObject({ name: 'area', source: shapes, line: circle });
  });

  it('debugs a program whose path has characters file URLs escape in more than one way', async () => {
    // pathToFileURL writes `[` as %5B, V8 names the module with `[`: breakpoints must match both.
    const dir = join(mkdtempSync(join(tmpdir(), 'debug-server-')), 'odd [1] #dir');
    mkdirSync(dir);
    onTestFinished(() => rmSync(dirname(dir), { recursive: true, force: true }));
    const program = join(dir, 'app.js');
    writeFileSync(program, 'let total = 0;\nfor (let i = 0; i < 3; i++) total += i;\nconsole.log(`total ${total}`);\n');
    const h = harness();
    await h.runner.launch({ program, args: [], cwd: dir, env: {}, stopOnEntry: true, breakpoints: new Map([[program, [{ line: 3 }]]]) });
    expect((await h.next('stopped')).reason).toBe('entry');
    expect(await h.topFrame()).toMatchObject({ line: 1, source: program });
    await h.runner.continue(1);
    expect((await h.next('stopped')).reason).toBe('breakpoint');
    expect(await h.topFrame()).toMatchObject({ line: 3, source: program });
  });

  it('prints with every console method exactly as node does without a debugger', async () => {
    const h = harness();
    await h.launch('console-methods.js');
    await h.next('exited');
    const alone = spawnSync(process.execPath, [fixture('console-methods.js')], { encoding: 'utf8' });
    expect(h.output('stdout')).toBe(alone.stdout);
    expect(h.output('stderr')).toBe(alone.stderr);
  });

  it('rejects control requests in the wrong state', async () => {
    const h = harness();
    await h.launch('idle.js');
    await expect(h.runner.next(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.continue(1)).rejects.toBeInstanceOf(RunnerError);
    await expect(h.runner.stackTrace(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.evaluate('1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.pause(2)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('evaluates expressions, errors included', async () => {
    const h = harness();
    await h.launch('loop.js', { breakpoints: bps('loop.js', { line: lineOf('loop.js', 'add-return'), condition: 'b === 2' }) });
    await h.next('stopped');

    expect(await h.runner.evaluate('a + b')).toEqual({ value: '3', type: 'number', variablesReference: 0 });
    expect(await h.runner.evaluate('"x" + sum')).toMatchObject({ value: '"x3"', type: 'string' });

    const thrown = await h.runner.evaluate('nope.x');
    expect(thrown.error).toBe('ReferenceError: nope is not defined');
    expect(thrown.value).toBe(thrown.error);

    const syntax = await h.runner.evaluate('a +');
    expect(syntax.error).toMatch(/^SyntaxError/);

    const obj = await h.runner.evaluate('({ x: 1, list: [a, b] })');
    expect(obj.value).toBe('{x: 1, list: Array(2)}');
    expect(obj.variablesReference).toBeGreaterThan(0);
    const list = await h.variable(obj.variablesReference, 'list');
    expect(list).toMatchObject({ value: 'Array(2) [1, 2]', indexedVariables: 2 });
    expect((await h.runner.variables(list.variablesReference)).map((v) => [v.name, v.value])).toEqual([
      ['0', '1'],
      ['1', '2'],
      ['length', '2'],
    ]);

    // In the caller's frame.
    const frames = await h.runner.stackTrace(1);
    expect(await h.runner.evaluate('i', { frameId: frames[1]!.id })).toMatchObject({ value: '2' });

    const slow = await h.runner.evaluate('while (true) {}', { timeoutMs: 200 });
    expect(slow.error).toMatch(/timed out/);

    const sideEffect = await h.runner.evaluate('globalThis.leak = 1', { sideEffectFree: true });
    expect(sideEffect.error).toMatch(/side-effect/);
    expect(await h.runner.evaluate('typeof globalThis.leak')).toMatchObject({ value: '"undefined"' });
    expect(await h.runner.evaluate('a * 10', { sideEffectFree: true })).toMatchObject({ value: '10' });

    // The program still runs fine afterwards.
    await h.runner.continue(1);
    expect((await h.next('exited')).exitCode).toBe(0);
  });

  it('runs to the end with the real exit code and every byte of output', async () => {
    const h = harness();
    await h.launch('exit-code.js');
    expect(await h.next('exited')).toEqual({ exitCode: 3, signal: null });
    await h.next('terminated');
    const expected = Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join('');
    expect(h.output('stdout')).toBe(expected);
    expect(h.output('stderr')).toBe('to stderr\n');
    // exited then terminated, each once, after all output.
    const names = h.log.map((e) => e.name);
    expect(names.filter((n) => n === 'exited')).toHaveLength(1);
    expect(names.filter((n) => n === 'terminated')).toHaveLength(1);
    expect(names.lastIndexOf('output')).toBeLessThan(names.indexOf('exited'));
    expect(names.indexOf('exited')).toBeLessThan(names.indexOf('terminated'));
    expect(await h.runner.threads()).toEqual([]);
    await h.runner.terminate(); // After the end: a no-op.
    expect(h.events('terminated')).toHaveLength(1);
  });

  it('passes args, cwd and a cleaned environment', async () => {
    const h = harness();
    process.env.DEBUG_SERVER_SECRET = 'secret';
    process.env.NODE_OPTIONS = '--no-warnings';
    try {
      await h.runner.launch({
        program: fixture('env.js'),
        args: ['one', 'two words'],
        cwd: FIXTURES,
        env: { EXTRA_VAR: 'extra' },
        stopOnEntry: false,
        breakpoints: new Map(),
      });
    } finally {
      delete process.env.DEBUG_SERVER_SECRET;
      delete process.env.NODE_OPTIONS;
    }
    await h.next('terminated');
    const printed = JSON.parse(h.output('stdout')) as Record<string, unknown>;
    expect(printed).toEqual({
      nodeOptions: null,
      serverSecret: null,
      vitest: [],
      extra: 'extra',
      cwd: FIXTURES.replace(/\/$/, ''),
      args: ['one', 'two words'],
    });
  });

  it('reports a crash at start with its stderr', async () => {
    const h = harness();
    await h.launch('crash-at-start.js').catch((error: unknown) => {
      expect(error).toMatchObject({ code: 'LAUNCH_FAILED' });
    });
    expect((await h.next('exited')).exitCode).toBe(1);
    await h.next('terminated');
    expect(h.output('stderr')).toContain('Error: boom at start');
  });

  it('fails the launch of a syntax error with LAUNCH_FAILED, output first', async () => {
    const h = harness();
    // Written at run time: a fixture file that does not parse would trip the repo's formatters.
    const dir = mkdtempSync(join(tmpdir(), 'node-runner-'));
    const program = join(dir, 'syntax-error.js');
    writeFileSync(program, '// Not valid JavaScript\nconst x = ;\n');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const error = await h.runner.launch({ program, args: [], cwd: dir, env: {}, stopOnEntry: false, breakpoints: new Map() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ code: 'LAUNCH_FAILED' });
    expect((error as Error).message).toMatch(/exited with code 1/);
    // Already emitted when launch settled:
    expect(h.output('stderr')).toContain('SyntaxError');
    expect(h.events('exited')).toEqual([{ exitCode: 1, signal: null }]);
    expect(h.events('terminated')).toHaveLength(1);
    expect(isAlive(h.runner.pid!)).toBe(false);
  });

  it('fails the launch of a missing program', async () => {
    const h = harness();
    await expect(h.launch('does-not-exist.js')).rejects.toMatchObject({ code: 'LAUNCH_FAILED' });
    expect(h.output('stderr')).toContain('Cannot find module');
    expect(h.events('terminated')).toHaveLength(1);
  });

  it('stops at a conditional breakpoint only when the condition holds', async () => {
    const h = harness();
    await h.launch('loop.js', { breakpoints: bps('loop.js', { line: lineOf('loop.js', 'add-first'), condition: 'b === 3' }) });
    await h.next('stopped');
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '3' });
    await h.runner.continue(1);
    await h.next('exited');
    expect(h.events('stopped')).toHaveLength(1);
  });

  it('honours hit conditions', async () => {
    const h = harness();
    const [bp] = await h.runner.setBreakpoints(fixture('loop.js'), [{ line: lineOf('loop.js', 'add-first'), hitCondition: '% 2' }]);
    expect(bp).toMatchObject({ verified: false, hitCondition: '% 2' });
    await h.launch('loop.js');
    const first = await h.next('stopped');
    expect(first).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [bp!.id] });
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '1' }); // 2nd hit
    await h.runner.continue(1);
    await h.next('stopped');
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '3' }); // 4th hit
    await h.runner.continue(1);
    await h.next('exited');
    expect(h.events('stopped')).toHaveLength(2);
    // Silent resumes of unmet hits are not reported.
    expect(h.events('continued')).toHaveLength(2);
  });

  it('rejects an invalid hit condition without installing it', async () => {
    const h = harness();
    const [bp] = await h.runner.setBreakpoints(fixture('loop.js'), [{ line: 5, hitCondition: 'often' }]);
    expect(bp).toMatchObject({ verified: false });
    expect(bp!.message).toMatch(/Invalid hit condition/);
    await expect(h.runner.setBreakpoints('relative.js', [])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('logs logpoint messages as console output without stopping', async () => {
    const h = harness();
    await h.launch('loop.js', {
      breakpoints: bps(
        'loop.js',
        { line: lineOf('loop.js', 'add-return'), logMessage: 'sum={sum} of {a}+{b} {nope}' },
        { line: lineOf('loop.js', 'log'), logMessage: 'third {i}', hitCondition: '3' },
      ),
    });
    await h.next('exited');
    expect(h.events('stopped')).toEqual([]);
    expect(h.output('console')).toBe(
      [0, 1, 2, 3, 4]
        .map((b) => `sum=${(b * (b + 1)) / 2} of ${(b * (b - 1)) / 2}+${b} ReferenceError: nope is not defined\n`)
        .join('')
        .replace('sum=3 of 1+2 ReferenceError: nope is not defined\n', 'sum=3 of 1+2 ReferenceError: nope is not defined\nthird 2\n'),
    );
    expect(h.output('stdout')).not.toContain('sum=');
    expect(h.output('stdout')).not.toContain('logpoint');
  });

  it('binds a breakpoint in a module that is not loaded yet', async () => {
    const h = harness();
    await h.launch('loop.js', { stopOnEntry: true });
    await h.next('stopped');
    const line = lineOf('helper.js', 'double');
    // Set on a blank-free line above the target: V8 moves it to the next statement.
    const [bp] = await h.runner.setBreakpoints(fixture('helper.js'), [{ line }]);
    expect(bp).toMatchObject({ verified: false, line, requestedLine: line });
    await h.runner.continue(1);
    const changed = await h.next('breakpoint');
    expect(changed).toMatchObject({ reason: 'changed', breakpoint: { id: bp!.id, verified: true, line } });
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [bp!.id] });
    expect(await h.topFrame()).toMatchObject({ name: 'double', source: fixture('helper.js'), line });
    // Removing every breakpoint of the file lets the program finish.
    expect(await h.runner.setBreakpoints(fixture('helper.js'), [])).toEqual([]);
    await h.runner.continue(1);
    await h.next('exited');
  });

  it('moves a breakpoint on a comment line to the next statement', async () => {
    const h = harness();
    await h.launch('loop.js', { stopOnEntry: true });
    await h.next('stopped');
    const [bp] = await h.runner.setBreakpoints(fixture('loop.js'), [{ line: lineOf('loop.js', 'comment') }]);
    expect(bp).toMatchObject({ verified: true, line: lineOf('loop.js', 'comment') + 1 });
  });

  it('pauses on uncaught and on all exceptions', async () => {
    const h = harness();
    await h.launch('throws.js', { exceptionFilters: ['uncaught'] });
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'exception', description: 'Error: kaboom' });
    expect(stopped.text).toContain('throws.js:4');
    expect(await h.topFrame()).toMatchObject({ name: 'fail', line: lineOf('throws.js', 'throw') });
    await h.runner.continue(1);
    expect((await h.next('exited')).exitCode).toBe(1);
    expect(h.output('stderr')).toContain('Error: kaboom');

    const all = harness();
    await all.launch('throws.js', { stopOnEntry: true });
    await all.next('stopped');
    await all.runner.setExceptionBreakpoints(['all']);
    await all.runner.continue(1);
    expect(await all.next('stopped')).toMatchObject({ reason: 'exception', description: 'TypeError: caught one' });
    await all.runner.setExceptionBreakpoints([]);
    await all.runner.continue(1);
    expect((await all.next('exited')).exitCode).toBe(1);
    expect(all.events('stopped')).toHaveLength(2);
    await expect(all.runner.setExceptionBreakpoints(['bogus' as 'all'])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('pages a 1,000,000-element array quickly', async () => {
    const h = harness();
    await h.launch('big-array.js');
    expect((await h.next('stopped')).reason).toBe('debugger statement');
    const big = await h.variable(await h.localScopeRef(), 'big');
    expect(big).toMatchObject({ indexedVariables: 1_000_000, type: 'Array' });
    expect(big.value.startsWith('Array(1000000) [0, 2, 4,')).toBe(true);
    const t0 = performance.now();
    const page = await h.runner.variables(big.variablesReference, { start: 500_000, count: 100 });
    const elapsed = performance.now() - t0;
    expect(page).toHaveLength(100);
    expect(page[0]).toEqual({ name: '500000', value: '1000000', type: 'number', variablesReference: 0 });
    expect(page[99]).toMatchObject({ name: '500099', value: '1000198' });
    expect(elapsed).toBeLessThan(1000);
    // Unpaged: a first chunk plus the length, never the whole array.
    const unpaged = await h.runner.variables(big.variablesReference);
    expect(unpaged).toHaveLength(101);
    expect(unpaged.at(-1)).toMatchObject({ name: 'length', value: '1000000' });
    // Past the end.
    expect(await h.runner.variables(big.variablesReference, { start: 999_990, count: 100 })).toHaveLength(10);
  });

  it('renders values as short previews without running getters', async () => {
    const h = harness();
    await h.launch('values.js');
    await h.next('stopped');
    const values = await h.variable(await h.localScopeRef(), 'values');
    const children = await h.runner.variables(values.variablesReference);
    const get = (name: string): Variable => children.find((v) => v.name === name)!;
    expect(get('num')).toMatchObject({ value: '42', type: 'number' });
    expect(get('str')).toMatchObject({ value: '"hi \\"there\\""', type: 'string' });
    expect(get('nul')).toMatchObject({ value: 'null', variablesReference: 0 });
    expect(get('undef').value).toBe('undefined');
    expect(get('big')).toMatchObject({ value: '10n', type: 'bigint' });
    expect(get('sym').value).toBe('Symbol(s)');
    expect(get('arr')).toMatchObject({ value: 'Array(3) [1, 2, 3]', indexedVariables: 3 });
    expect(get('obj').value).toBe("{a: 1, b: 'x'}");
    expect(get('map').value).toBe("Map(2) {'a' => 1, 'b' => 2}");
    expect(get('set').value).toBe('Set(1) {1}');
    expect(get('fn')).toMatchObject({ value: 'ƒ greet(name, greeting)', type: 'function' });
    expect(get('arrow').value).toBe('ƒ (x) => …');
    expect(get('date').value).toMatch(/^Thu Jan 01 1970/);
    expect(get('re').value).toBe('/ab+c/g');
    expect(get('err').value).toBe('Error: bad');
    expect(get('nan').value).toBe('NaN');
    expect(get('long').value.length).toBe(1000);
    expect(get('computed')).toEqual({ name: 'computed', value: '(getter)', variablesReference: 0 });
    const entries = await h.variable(get('map').variablesReference, '[[Entries]]');
    expect(entries.indexedVariables).toBe(2);
    expect(await h.runner.variables(0)).toEqual([]);
    await expect(h.runner.variables(999_999)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('restarts with the same breakpoints, silently for the old process', async () => {
    const h = harness();
    const line = lineOf('loop.js', 'add-first');
    await h.launch('loop.js', { breakpoints: bps('loop.js', { line, hitCondition: '2' }) });
    const first = await h.next('stopped');
    const oldPid = h.runner.pid!;
    await h.runner.restart();
    expect(isAlive(oldPid)).toBe(false);
    expect(h.runner.pid).not.toBe(oldPid);
    const second = await h.next('stopped');
    // Same breakpoint id, hit count reset: stops at the 2nd hit again.
    expect(second.hitBreakpointIds).toEqual(first.hitBreakpointIds);
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '1' });
    expect(h.events('exited')).toEqual([]);
    expect(h.events('terminated')).toEqual([]);
    await h.runner.continue(1);
    expect((await h.next('exited')).exitCode).toBe(0);
    await h.next('terminated');
    // A restart after the end runs the program again.
    await h.runner.restart();
    await h.next('stopped');
    await h.runner.continue(1);
    await h.next('terminated');
    expect(h.events('terminated')).toHaveLength(2);
  });

  it('pauses a running program and terminates it without leaving a process', async () => {
    const h = harness();
    await h.launch('idle.js');
    const pid = h.runner.pid!;
    expect(isAlive(pid)).toBe(true);
    await h.runner.pause(1);
    expect((await h.next('stopped')).reason).toBe('pause');
    await h.runner.pause(1); // Already paused: nothing happens.
    await h.runner.terminate();
    expect(isAlive(pid)).toBe(false);
    expect(h.events('exited')).toEqual([{ exitCode: null, signal: 'SIGTERM' }]);
    expect(h.events('terminated')).toHaveLength(1);
    await h.runner.terminate();
    expect(h.events('terminated')).toHaveLength(1);
    await expect(h.runner.restart()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(
      h.runner.launch({ program: fixture('idle.js'), args: [], cwd: FIXTURES, env: {}, stopOnEntry: false, breakpoints: new Map() }),
    ).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('terminates a program stopped on entry', async () => {
    const h = harness();
    await h.launch('idle.js', { stopOnEntry: true });
    await h.next('stopped');
    const pid = h.runner.pid!;
    await h.runner.terminate();
    expect(isAlive(pid)).toBe(false);
    expect(h.events('terminated')).toHaveLength(1);
    // Ticks never ran: the program was killed while paused.
    expect(h.output('stdout')).toBe('');
  });

  it('survives a listener that throws', async () => {
    const h = harness();
    h.runner.on('output', () => {
      throw new Error('listener bug');
    });
    h.runner.on('stopped', () => {
      throw new Error('listener bug');
    });
    await h.launch('loop.js', { stopOnEntry: true });
    await h.next('stopped');
    await h.runner.continue(1);
    expect((await h.next('exited')).exitCode).toBe(0);
    expect(h.output('stdout')).toContain('done');
  });

  it('debugs an ES module', async () => {
    const h = harness();
    await h.launch('esm.mjs', { stopOnEntry: true, breakpoints: bps('esm.mjs', { line: lineOf('esm.mjs', 'log') }) });
    expect(await h.next('stopped')).toMatchObject({ reason: 'entry' });
    expect((await h.topFrame()).source).toBe(fixture('esm.mjs'));
    await h.runner.continue(1);
    expect(await h.next('stopped')).toMatchObject({ reason: 'breakpoint' });
    const frames = await h.runner.stackTrace(1);
    const scopes = await h.runner.scopes(frames[0]!.id);
    const module = scopes.find((s) => s.name === 'Module');
    expect(module).toBeDefined();
    expect(await h.variable(module!.variablesReference, 'value')).toMatchObject({ value: '49' });
    await h.runner.continue(1);
    await h.next('exited');
    expect(h.output('stdout')).toBe('value 49\n');
  });

  it('shows the frames beyond async boundaries, after a separator frame', async () => {
    const h = harness();
    await h.launch('async-stack.js', { breakpoints: bps('async-stack.js', { line: lineOf('async-stack.js', 'leaf-return') }) });
    await h.next('stopped');
    const frames = await h.runner.stackTrace(1);
    expect(frames[0]).toMatchObject({ name: 'leaf', line: lineOf('async-stack.js', 'leaf-return') });
    // leaf ← (node internals) ← [async] await ← middle ← main ← … ← [async] await ← the call of main() ← …
    const separators = frames.flatMap((f, i) => (f.name === '[async] await' ? [i] : []));
    expect(separators.length).toBeGreaterThanOrEqual(2);
    const [first, second] = separators as [number, number];
    expect(frames[first]).toMatchObject({ line: 0, column: 0 });
    expect(frames[first]!.source).toBeUndefined();
    expect(frames[first + 1]).toMatchObject({
      name: 'middle',
      source: fixture('async-stack.js'),
      line: lineOf('async-stack.js', 'middle-await'),
    });
    expect(frames[first + 2]).toMatchObject({ name: 'main', line: lineOf('async-stack.js', 'main-await') });
    expect(frames[second + 1]).toMatchObject({ name: '(anonymous)', line: lineOf('async-stack.js', 'call-main') });
    // Only the levels asked for (the session reads the top frame alone on each stop).
    expect(await h.runner.stackTrace(1, first, 2)).toEqual(frames.slice(first, first + 2));
    // Async frames are history: no scopes, no evaluation.
    expect(await h.runner.scopes(frames[first + 1]!.id)).toEqual([]);
    await expect(h.runner.evaluate('n', { frameId: frames[first + 1]!.id })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await h.runner.evaluate('n', { frameId: frames[0]!.id })).toMatchObject({ value: '20' });
    await h.runner.continue(1);
    await h.next('exited');
    expect(h.output('stdout')).toBe('result 41\n');
  });

  it('stops on entry at the first statement below declarations and a shebang line', async () => {
    const h = harness();
    await h.launch('declarations-first.js', {
      stopOnEntry: true,
      breakpoints: bps('declarations-first.js', { line: lineOf('declarations-first.js', 'in-twice') }),
    });
    expect(await h.next('stopped')).toMatchObject({ reason: 'entry' });
    expect(await h.topFrame()).toMatchObject({ line: lineOf('declarations-first.js', 'first-statement') });
    await h.runner.next(1);
    // Stepping over the entry statement still stops at the breakpoint inside the call.
    expect(await h.next('stopped')).toMatchObject({ reason: 'breakpoint' });
    await h.runner.continue(1);
    await h.next('exited');
    expect(h.output('stdout')).toBe('box 42\n');

    const shebang = harness();
    await shebang.launch('shebang.js', { stopOnEntry: true });
    await shebang.next('stopped');
    expect(await shebang.topFrame()).toMatchObject({ line: lineOf('shebang.js', 'first-statement') });
  });

  it('stops on a debugger statement and removes listeners with off', async () => {
    const h = harness();
    const seen: string[] = [];
    const listener = (e: RunnerEventMap['stopped']): void => void seen.push(e.reason);
    h.runner.on('stopped', listener);
    h.runner.off('stopped', listener);
    await h.launch('big-array.js');
    expect((await h.next('stopped')).reason).toBe('debugger statement');
    expect(await h.topFrame()).toMatchObject({ line: lineOf('big-array.js', 'debugger') });
    expect(seen).toEqual([]);
  });
});

describe('NodeRunner over its inspector pipe', () => {
  it('leaves no trace the program can see: no inspector port, no variable, workers of its own work', async () => {
    const h = harness();
    await h.launch('introspect.js');
    expect((await h.next('exited')).exitCode).toBe(0);
    expect(JSON.parse(h.output('stdout'))).toEqual({ inspectorUrl: null, fdVariable: null, workerAnswer: 42 });
    expect(h.output('stderr')).toBe('');
  });

  it('stops on entry in the first module that runs: the dependency of an ES module', async () => {
    const h = harness();
    await h.launch('esm-main.mjs', { stopOnEntry: true, breakpoints: bps('esm-main.mjs', { line: lineOf('esm-main.mjs', 'main-first') }) });
    expect(await h.next('stopped')).toMatchObject({ reason: 'entry' });
    expect(await h.topFrame()).toMatchObject({ source: fixture('esm-dep.mjs'), line: lineOf('esm-dep.mjs', 'dep-first') });
    await h.runner.continue(1);
    expect(await h.next('stopped')).toMatchObject({ reason: 'breakpoint' });
    // The dependency's body ran before the main module's (the order of output and stops is the
    // next test's subject).
    await h.next('output', (e) => e.category === 'stdout');
    expect(h.output('stdout')).toBe('dep evaluated\n');
    await h.runner.continue(1);
    await h.next('exited');
  });

  it('delivers what the program printed before a stop before the stop', async () => {
    // The output and the inspector come through different pipes, and one poll of the event loop
    // can hand over the inspector's first: the runner must read the output before it reports.
    const h = harness();
    await h.launch('print-then-stop.js');
    let printed = '';
    for (let i = 0; i < 20; i++) {
      expect((await h.next('stopped')).reason).toBe('debugger statement');
      printed += `line ${i}\n`;
      expect(h.output('stdout')).toBe(printed);
      await h.runner.continue(1);
    }
    expect(await h.next('exited')).toEqual({ exitCode: 0, signal: null });
  });

  it('delivers what the inspector said right before the program exits', async () => {
    const h = harness();
    await h.launch('last-words.js', {
      breakpoints: bps('last-words.js', { line: lineOf('last-words.js', 'last'), logMessage: 'said {word}' }),
    });
    expect(await h.next('exited')).toEqual({ exitCode: 3, signal: null });
    expect(h.output('console')).toBe('said bye\n');
    expect(h.output('stdout')).toBe('before bye\n');
  });

  it('delivers what the inspector said right before an uncaught exception ends the program', async () => {
    const h = harness();
    await h.launch('crash-now.js', {
      stopOnEntry: true,
      breakpoints: bps('crash-now.js', { line: lineOf('crash-now.js', 'throw'), logMessage: 'failing {reason}' }),
    });
    await h.next('stopped');
    // The answer to this Debugger.resume, and the logpoint's message, must both make it.
    await h.runner.continue(1);
    expect(await h.next('exited')).toEqual({ exitCode: 1, signal: null });
    expect(h.output('console')).toBe('failing now\n');
    expect(h.output('stderr')).toContain('Error: crash now');
  });

  it('answers a continue that runs the program to its end', async () => {
    const h = harness();
    await h.launch('last-words.js', { stopOnEntry: true });
    await h.next('stopped');
    // The answer to Debugger.resume must arrive although the process exits right away.
    await h.runner.continue(1);
    expect(await h.next('exited')).toEqual({ exitCode: 3, signal: null });
  });
});
