/**
 * DapRunner + debugpy against real Python programs (test/fixtures/python). No mocks: every test
 * spawns debugpy's adapter and a debuggee, and afterEach terminates them and checks that neither
 * is left behind.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RunnerEventLog } from '../support/runner-events.js';
import type { LaunchOptions, SourceBreakpoint, Variable } from '../../src/runners/adapter.js';
import { isAlive } from '../../src/sandbox/process-tree.js';
import { DapRunner } from '../../src/runners/dap/dap-runner.js';
import { createPythonRunner, debugpyLauncher } from '../../src/runners/dap/debugpy.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/python/', import.meta.url));
const fixture = (name: string): string => `${FIXTURES}${name}`;

/** 1-based line of the `# @marker` comment in a fixture. */
function lineOf(name: string, marker: string): number {
  const index = readFileSync(fixture(name), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`# @${marker}`));
  if (index === -1) throw new Error(`marker @${marker} not in ${name}`);
  return index + 1;
}

/** A runner plus a recording of its events, consumable in order per event name. */
class Harness {
  readonly runner = new DapRunner(debugpyLauncher());
  /** Every process id this runner ever had (adapter and debuggee, across restarts). */
  readonly pids = new Set<number>();
  readonly recorder = new RunnerEventLog(this.runner, 15_000, () => this.notePids());
  readonly events = this.recorder.events.bind(this.recorder);
  readonly next = this.recorder.next.bind(this.recorder);
  readonly output = this.recorder.output.bind(this.recorder);
  readonly log = this.recorder.log;

  notePids(): void {
    for (const pid of [this.runner.pid, this.runner.adapterPid]) if (pid !== undefined) this.pids.add(pid);
  }

  async launch(program: string, extra: Partial<LaunchOptions> = {}): Promise<void> {
    try {
      await this.runner.launch({
        program: fixture(program),
        args: [],
        cwd: FIXTURES,
        env: {},
        stopOnEntry: false,
        breakpoints: new Map(),
        ...extra,
      });
    } finally {
      this.notePids();
    }
  }

  async variable(ref: number, name: string): Promise<Variable> {
    const vars = await this.runner.variables(ref);
    const found = vars.find((v) => v.name === name);
    if (!found) throw new Error(`no variable ${name} in ${vars.map((v) => v.name).join(', ')}`);
    return found;
  }

  async locals(threadId = 1, frameIndex = 0): Promise<number> {
    const frames = await this.runner.stackTrace(threadId);
    const scopes = await this.runner.scopes((frames[frameIndex] as { id: number }).id);
    const local = scopes.find((s) => s.name === 'Locals');
    if (!local) throw new Error(`no Locals scope: ${scopes.map((s) => s.name).join(', ')}`);
    return local.variablesReference;
  }

  async top(threadId = 1): Promise<{ name: string; line: number; source?: string }> {
    const [top] = await this.runner.stackTrace(threadId, 0, 1);
    if (!top) throw new Error('empty stack');
    return top;
  }
}

const bps = (name: string, ...list: SourceBreakpoint[]): Map<string, SourceBreakpoint[]> => new Map([[fixture(name), list]]);

/** Live (non-zombie) processes in these process groups (adapter + launcher, debuggee + children). */
function processesInGroups(groups: number[]): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, pgid, stat]) => pid && groups.includes(Number(pgid)) && !stat?.startsWith('Z'))
    .map((fields) => fields.join(' '));
}

let harnesses: Harness[] = [];
function harness(): Harness {
  const h = new Harness();
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.runner.terminate()));
  for (const h of harnesses) for (const pid of h.pids) expect(isAlive(pid), `process ${pid} outlived terminate()`).toBe(false);
  harnesses = [];
});

describe('DapRunner with debugpy', () => {
  it('offers the promised capabilities through the factory', async () => {
    const runner = createPythonRunner();
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

  it('stops on entry at the first statement, then runs to the end with all output', async () => {
    const h = harness();
    await h.launch('loop.py', { stopOnEntry: true });
    expect(await h.next('stopped')).toMatchObject({ reason: 'entry', threadId: 1, allThreadsStopped: true });
    expect(await h.runner.threads()).toEqual([{ id: 1, name: 'MainThread' }]);
    // Only the program's frames: neither debugpy's nor the bootstrap's.
    expect(await h.runner.stackTrace(1)).toEqual([
      expect.objectContaining({ name: '<module>', source: fixture('loop.py'), line: lineOf('loop.py', 'add-first') - 1 }),
    ]);
    await h.runner.continue(1);
    expect(await h.next('continued')).toEqual({ threadId: 1, allThreadsContinued: true });
    expect(await h.next('exited')).toEqual({ exitCode: 0, signal: null });
    await h.next('terminated');
    expect(h.output('stdout')).toBe('iter 0 acc 0\niter 1 acc 1\niter 2 acc 3\niter 3 acc 6\niter 4 acc 10\ndone\n');
    expect(h.events('exited')).toHaveLength(1);
    expect(h.events('terminated')).toHaveLength(1);
    expect(h.log.findIndex((e) => e.name === 'exited')).toBeLessThan(h.log.findIndex((e) => e.name === 'terminated'));
  });

  it('does not report its own entry stop when not asked to stop on entry', async () => {
    const h = harness();
    await h.launch('exit_code.py');
    expect(await h.next('exited')).toEqual({ exitCode: 3, signal: null });
    await h.next('terminated');
    expect(h.events('stopped')).toEqual([]);
    expect(h.events('continued')).toEqual([]);
    expect(h.output('stdout')).toBe('about to exit\n');
  });

  it('hits a breakpoint and shows stack, scopes and variables', async () => {
    const h = harness();
    const line = lineOf('loop.py', 'add-first');
    await h.launch('loop.py', { breakpoints: bps('loop.py', { line }) });
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'breakpoint', threadId: 1, hitBreakpointIds: [1] });
    const frames = await h.runner.stackTrace(1);
    expect(frames.map((f) => [f.name, f.line])).toEqual([
      ['add', line],
      ['main', lineOf('loop.py', 'call-add')],
      ['<module>', lineOf('loop.py', 'done') + 3],
    ]);
    expect(frames.every((f) => f.source === fixture('loop.py') && f.column === 1)).toBe(true);
    expect(await h.runner.stackTrace(1, 1, 1)).toEqual([frames[1]]);
    const scopes = await h.runner.scopes((frames[0] as { id: number }).id);
    expect(scopes).toEqual([
      { name: 'Locals', variablesReference: expect.any(Number) as number, expensive: false, presentationHint: 'locals' },
      { name: 'Globals', variablesReference: expect.any(Number) as number, expensive: true },
    ]);
    const locals = await h.runner.variables((scopes[0] as { variablesReference: number }).variablesReference);
    expect(locals).toEqual([
      { name: 'a', value: '0', type: 'int', variablesReference: 0 },
      { name: 'b', value: '0', type: 'int', variablesReference: 0 },
    ]);
    const globals = await h.runner.variables((scopes[1] as { variablesReference: number }).variablesReference);
    // debugpy groups a scope's functions (and dunders) under pseudo-variables.
    const functions = globals.find((v) => v.name === 'function variables') as Variable;
    expect((await h.runner.variables(functions.variablesReference)).map((v) => v.name)).toEqual(expect.arrayContaining(['add', 'main']));
    // Expired and unknown handles are the caller's mistake.
    await expect(h.runner.scopes(999_999)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(h.runner.variables(999_999)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await h.runner.continue(1);
    await expect(h.runner.stackTrace(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await h.next('stopped')).reason).toBe('breakpoint');
  });

  it('steps over, into and out', async () => {
    const h = harness();
    const call = lineOf('loop.py', 'call-add');
    await h.launch('loop.py', { breakpoints: bps('loop.py', { line: call }) });
    await h.next('stopped');
    await h.runner.setBreakpoints(fixture('loop.py'), []);

    await h.runner.stepIn(1);
    expect(await h.next('stopped')).toMatchObject({ reason: 'step', threadId: 1 });
    expect(await h.top()).toMatchObject({ name: 'add', line: lineOf('loop.py', 'add-first') });

    await h.runner.next(1);
    expect((await h.next('stopped')).reason).toBe('step');
    expect(await h.top()).toMatchObject({ name: 'add', line: lineOf('loop.py', 'add-return') });

    await h.runner.stepOut(1);
    expect((await h.next('stopped')).reason).toBe('step');
    expect((await h.top()).name).toBe('main');

    await h.runner.next(1);
    await h.next('stopped');
    expect(await h.top()).toMatchObject({ name: 'main', line: lineOf('loop.py', 'print') });
    expect(h.events('continued')).toHaveLength(4);
  });

  it('evaluates: values, objects, errors, syntax errors, side-effect-free reads and timeouts', async () => {
    const h = harness();
    await h.launch('loop.py', { breakpoints: bps('loop.py', { line: lineOf('loop.py', 'add-return'), condition: 'a == 3' }) });
    await h.next('stopped');
    expect(await h.runner.evaluate('a + b * 10')).toEqual({ value: '33', type: 'int', variablesReference: 0 });
    const list = await h.runner.evaluate('[a, b, {"k": total}]');
    expect(list).toMatchObject({ value: "[3, 3, {'k': 6}]", type: 'list' });
    expect(list.variablesReference).toBeGreaterThan(0);
    expect((await h.runner.variables(list.variablesReference)).find((v) => v.name === '2')).toMatchObject({
      value: "{'k': 6}",
      type: 'dict',
    });
    expect(await h.runner.evaluate('1 / 0')).toEqual({
      value: 'ZeroDivisionError: division by zero',
      error: 'ZeroDivisionError: division by zero',
      variablesReference: 0,
    });
    expect(await h.runner.evaluate('undefined_name')).toMatchObject({ error: "NameError: name 'undefined_name' is not defined" });
    expect((await h.runner.evaluate('1 +')).error).toMatch(/^SyntaxError/);
    expect(await h.runner.evaluate('a', { sideEffectFree: true })).toMatchObject({ value: '3' });
    expect((await h.runner.evaluate('a = 1', { sideEffectFree: true })).error).toMatch(/SyntaxError/);
    // In a caller's frame.
    const frames = await h.runner.stackTrace(1);
    expect(await h.runner.evaluate('acc + i', { frameId: (frames[1] as { id: number }).id })).toMatchObject({ value: '6' });
    // An endless evaluation times out and the session stays usable.
    const started = Date.now();
    await expect(h.runner.evaluate('while True: pass', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await h.runner.evaluate('a * 2')).toMatchObject({ value: '6' });
    await expect(h.runner.evaluate('import time; time.sleep(30)', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '3' });
    await h.runner.next(1);
    expect((await h.next('stopped')).reason).toBe('step');
  });

  it('reports a crash at start: stderr, then exited and terminated, and a failed launch', async () => {
    const h = harness();
    const launched = h.launch('crash_at_start.py');
    await expect(launched).rejects.toMatchObject({
      code: 'LAUNCH_FAILED',
      message: expect.stringMatching(/exited with code 1[\s\S]*SyntaxError/) as string,
    });
    // Everything was reported by the time launch settled.
    expect(h.output('stderr')).toMatch(/SyntaxError/);
    expect(h.events('exited')).toEqual([{ exitCode: 1, signal: null }]);
    expect(h.events('terminated')).toEqual([{}]);
    expect(h.events('stopped')).toEqual([]);
  });

  it('fails the launch of a missing program', async () => {
    const h = harness();
    await expect(h.launch('no_such_program.py')).rejects.toMatchObject({ code: 'LAUNCH_FAILED' });
    expect(h.output('stderr')).toMatch(/No such file|can't open file/);
    expect(h.events('terminated')).toHaveLength(1);
  });

  it('fails the launch when the adapter cannot start', async () => {
    const runner = createPythonRunner({ python: '/nonexistent/python3' });
    const terminated = new Promise((resolve) => runner.on('terminated', resolve));
    await expect(
      runner.launch({ program: fixture('loop.py'), args: [], cwd: FIXTURES, env: {}, stopOnEntry: false, breakpoints: new Map() }),
    ).rejects.toMatchObject({ code: 'LAUNCH_FAILED', message: expect.stringContaining('ENOENT') as string });
    expect(await terminated).toMatchObject({ error: expect.stringContaining('/nonexistent/python3') as string });
    await runner.terminate();
  });

  it('supports conditional breakpoints, hit conditions and logpoints', async () => {
    const h = harness();
    const [first, ret, print] = [lineOf('loop.py', 'add-first'), lineOf('loop.py', 'add-return'), lineOf('loop.py', 'print')];
    await h.launch('loop.py', {
      breakpoints: bps(
        'loop.py',
        { line: first, condition: 'b == 2' },
        { line: ret, hitCondition: '4' },
        { line: print, logMessage: 'acc is {acc} at {i}' },
      ),
    });
    const bound = await h.runner.setBreakpoints(fixture('loop.py'), [
      { line: first, condition: 'b == 2' },
      { line: ret, hitCondition: '4' },
      { line: print, logMessage: 'acc is {acc} at {i}' },
    ]);
    expect(bound.map((b) => [b.id, b.verified, b.line])).toEqual([
      [1, true, first],
      [2, true, ret],
      [3, true, print],
    ]);
    const stop1 = await h.next('stopped');
    expect(stop1).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [1] });
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '2' });
    await h.runner.continue(1);
    expect(await h.next('stopped')).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [2] });
    expect(await h.runner.evaluate('b')).toMatchObject({ value: '3' }); // Fourth call.
    await h.runner.continue(1);
    await h.next('terminated');
    expect(h.output('console')).toBe('acc is 0 at 0\nacc is 1 at 1\nacc is 3 at 2\nacc is 6 at 3\nacc is 10 at 4\n');
    expect(h.output('stdout')).toContain('iter 4 acc 10\ndone\n');
    expect(h.output('stdout')).not.toContain('acc is');
  });

  it('breaks on raised and on uncaught exceptions', async () => {
    const all = harness();
    await all.launch('raises.py', { exceptionFilters: ['all'] });
    const raised = await all.next('stopped');
    expect(raised).toMatchObject({ reason: 'exception', description: 'ValueError: caught one' });
    expect(await all.top()).toMatchObject({ name: 'fail', line: lineOf('raises.py', 'raise') });
    await all.runner.setExceptionBreakpoints([]);
    await all.runner.continue(1);
    expect(await all.next('exited')).toEqual({ exitCode: 1, signal: null });
    expect(all.output('stderr')).toMatch(/ValueError: uncaught one/);

    const uncaught = harness();
    await uncaught.launch('raises.py', { exceptionFilters: ['uncaught'] });
    const stop = await uncaught.next('stopped');
    expect(stop).toMatchObject({ reason: 'exception', description: 'ValueError: uncaught one' });
    expect(stop.text).toMatch(/raises\.py/);
    await uncaught.runner.continue(1);
    expect(await uncaught.next('exited')).toEqual({ exitCode: 1, signal: null });
    expect(uncaught.events('stopped')).toHaveLength(1);
  });

  it('pages a list of 1,000,000 items without transferring it', async () => {
    const h = harness();
    await h.launch('big_list.py', { breakpoints: bps('big_list.py', { line: lineOf('big_list.py', 'after') }) });
    await h.next('stopped');
    const big = await h.variable(await h.locals(), 'big');
    expect(big).toMatchObject({ type: 'list', value: expect.stringMatching(/^\[0, 1, 2/) as string });
    const started = performance.now();
    const page = await h.runner.variables(big.variablesReference, { start: 500_000, count: 100 });
    const elapsed = performance.now() - started;
    expect(page).toHaveLength(100);
    expect(page[0]).toEqual({ name: '500000', value: '500000', type: 'int', variablesReference: 0 });
    expect(page.at(-1)).toMatchObject({ name: '500099', value: '500099' });
    expect(elapsed).toBeLessThan(1000);
    // Pages across a bucket boundary and at both ends.
    expect((await h.runner.variables(big.variablesReference, { start: 1050, count: 100 })).map((v) => v.name)).toEqual(
      Array.from({ length: 100 }, (_, i) => String(1050 + i)),
    );
    expect((await h.runner.variables(big.variablesReference, { start: 0, count: 3 })).map((v) => v.value)).toEqual(['0', '1', '2']);
    expect((await h.runner.variables(big.variablesReference, { start: 999_998, count: 10 })).map((v) => v.value)).toEqual([
      '999998',
      '999999',
    ]);
    // Unpaged: debugpy's own first level (100 items, then "more").
    const first = await h.runner.variables(big.variablesReference);
    expect(first.filter((v) => /^\d+$/.test(v.name))).toHaveLength(100);
    const small = await h.variable(await h.locals(), 'small');
    expect((await h.runner.variables(small.variablesReference, { start: 1, count: 5 })).map((v) => [v.name, v.value])).toEqual([
      ['1', '2'],
      ['2', '3'],
    ]);
  });

  it('pauses a busy loop and a sleeping program', async () => {
    const busy = harness();
    await busy.launch('busy.py');
    await busy.runner.pause(1);
    expect(await busy.next('stopped')).toMatchObject({ reason: 'pause', threadId: 1 });
    expect(await busy.top()).toMatchObject({ line: expect.any(Number) as number, source: fixture('busy.py') });
    await busy.runner.pause(1); // Already paused: nothing happens.
    await busy.runner.continue(1);
    await busy.next('continued');

    const sleeper = harness();
    await sleeper.launch('sleeper.py');
    await sleeper.next('output', (e) => e.output.includes('sleeping'));
    const started = Date.now();
    await sleeper.runner.pause(1);
    expect(await sleeper.next('stopped')).toMatchObject({ reason: 'pause', threadId: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await sleeper.top()).toMatchObject({ name: '<module>', line: lineOf('sleeper.py', 'sleep') });
    expect(await sleeper.runner.evaluate('1 + 1')).toMatchObject({ value: '2' });
  });

  it('lists threads and inspects each', async () => {
    const h = harness();
    await h.launch('threads.py', { breakpoints: bps('threads.py', { line: lineOf('threads.py', 'started') }) });
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'breakpoint', allThreadsStopped: true });
    const threads = await h.runner.threads();
    expect(threads.map((t) => t.name).sort()).toEqual(['MainThread', 'worker-0', 'worker-1']);
    const worker = threads.find((t) => t.name === 'worker-0') as { id: number };
    const frames = await h.runner.stackTrace(worker.id);
    expect(frames[0]).toMatchObject({ name: 'work', source: fixture('threads.py') });
    expect([lineOf('threads.py', 'wait'), lineOf('threads.py', 'wait') + 1]).toContain(frames[0]?.line);
    expect(await h.runner.evaluate('name', { frameId: (frames[0] as { id: number }).id })).toMatchObject({ value: "'worker-0'" });
    expect(h.events('thread').filter((e) => e.reason === 'started').length).toBeGreaterThanOrEqual(3);
    await h.runner.continue(stopped.threadId);
    await h.next('terminated');
    expect(h.output('stdout')).toBe('threads started\nthreads done\n');
  });

  it('steps through a generator and an asyncio program', async () => {
    const gen = harness();
    await gen.launch('gen.py', { breakpoints: bps('gen.py', { line: lineOf('gen.py', 'yield') }) });
    await gen.next('stopped');
    expect(await gen.runner.evaluate('n')).toMatchObject({ value: '0' });
    await gen.runner.continue(1);
    await gen.next('stopped');
    expect(await gen.runner.evaluate('n')).toMatchObject({ value: '1' });
    await gen.runner.setBreakpoints(fixture('gen.py'), []);
    await gen.runner.continue(1);
    await gen.next('terminated');
    expect(gen.output('stdout')).toBe('[0, 1, 4, 9]\n');

    const aio = harness();
    await aio.launch('aio.py', { breakpoints: bps('aio.py', { line: lineOf('aio.py', 'double-return') }) });
    await aio.next('stopped');
    expect(await aio.top()).toMatchObject({ name: 'double', line: lineOf('aio.py', 'double-return') });
    expect(await aio.runner.evaluate('x')).toMatchObject({ value: '1' });
    await aio.runner.continue(1);
    await aio.next('stopped');
    expect(await aio.runner.evaluate('x')).toMatchObject({ value: '2' });
    await aio.runner.setBreakpoints(fixture('aio.py'), []);
    await aio.runner.continue(1);
    await aio.next('terminated');
    expect(aio.output('stdout')).toBe('result 4\n');
  });

  it('restarts with the current breakpoints, silently ending the old run', async () => {
    const h = harness();
    await h.launch('loop.py', { breakpoints: bps('loop.py', { line: lineOf('loop.py', 'add-first') }) });
    await h.next('stopped');
    const firstPid = h.runner.pid;
    await h.runner.setBreakpoints(fixture('loop.py'), [{ line: lineOf('loop.py', 'print') }]);
    await h.runner.setExceptionBreakpoints(['uncaught']);
    await h.runner.restart();
    expect(h.runner.pid).not.toBe(firstPid);
    expect(isAlive(firstPid as number)).toBe(false);
    const stopped = await h.next('stopped');
    expect(stopped).toMatchObject({ reason: 'breakpoint' });
    expect(await h.top()).toMatchObject({ line: lineOf('loop.py', 'print') });
    expect(h.events('exited')).toEqual([]);
    expect(h.events('terminated')).toEqual([]);
  });

  it('terminates from every state without leaving a process behind', async () => {
    const paused = harness();
    await paused.launch('loop.py', { stopOnEntry: true });
    await paused.next('stopped');
    const running = harness();
    await running.launch('busy.py');
    const sleeping = harness();
    await sleeping.launch('sleeper.py');
    const pids = [paused, running, sleeping]
      .flatMap((h) => [h.runner.pid, h.runner.adapterPid])
      .filter((pid): pid is number => pid !== undefined);
    expect(pids).toHaveLength(6);
    expect(pids.every(isAlive)).toBe(true);
    // Adapter + launcher, and the debuggee, for each: each pid leads its process group.
    expect(processesInGroups(pids).length).toBeGreaterThanOrEqual(9);

    await Promise.all([paused, running, sleeping].map((h) => h.runner.terminate()));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(processesInGroups(pids)).toEqual([]);
    for (const h of [paused, running, sleeping]) {
      expect(h.events('terminated')).toHaveLength(1);
      expect(h.events('exited')).toEqual([{ exitCode: null, signal: 'SIGKILL' }]);
    }
    // Idempotent, and nothing works any more.
    await paused.runner.terminate();
    expect(paused.events('terminated')).toHaveLength(1);
    await expect(paused.runner.pause(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(paused.runner.restart()).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('rejects requests that need a stopped program while it runs, and bad input', async () => {
    const h = harness();
    await h.launch('busy.py');
    await expect(h.runner.stackTrace(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.evaluate('1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.next(1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(h.runner.setBreakpoints('relative.py', [{ line: 1 }])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(h.runner.setBreakpoints(fixture('busy.py'), [{ line: 0 }])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(h.runner.setExceptionBreakpoints(['bogus' as 'all'])).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(h.launch('busy.py')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    // Breakpoints set while it runs bind and hit.
    const [bp] = await h.runner.setBreakpoints(fixture('busy.py'), [{ line: lineOf('busy.py', 'spin') }]);
    expect(bp).toMatchObject({ verified: true, line: lineOf('busy.py', 'spin') });
    expect(await h.next('stopped')).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [bp?.id] });
  });
});
