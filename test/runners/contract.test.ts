/**
 * The runner contract: one suite, looped over every entry of the runtime registry
 * (src/runners/runtimes.ts), that a runtime must pass before the API offers it. It drives the
 * RunnerAdapter directly with the conformance sample `loop` program of the runtime
 * (test/fixtures/conformance/<runtime id in lower case>/loop.*), unboxed, and checks what the
 * session layer relies on: stops that carry their top frame, breakpoints, stepping, inspection,
 * evaluation, output, exit status, restart, terminate, and typed errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RunnerEventLog } from '../support/runner-events.js';
import type { RunnerAdapter, SourceBreakpoint } from '../../src/runners/adapter.js';
import { RUNTIMES } from '../../src/runners/runtimes.js';
import { isAlive } from '../../src/sandbox/process-tree.js';

const CONFORMANCE = fileURLToPath(new URL('../fixtures/conformance/', import.meta.url));

/** The runtime's `loop` sample and the 1-based lines of its markers. */
function loopProgram(runtimeId: string): { path: string; cwd: string; line: (marker: string) => number } {
  const cwd = `${CONFORMANCE}${runtimeId.toLowerCase()}/`;
  const file = readdirSync(cwd).find((name) => /^loop\.\w+$/.test(name));
  if (!file) throw new Error(`runtime ${runtimeId} has no conformance loop program in ${cwd}`);
  const lines = readFileSync(`${cwd}${file}`, 'utf8').split('\n');
  return {
    path: `${cwd}${file}`,
    cwd,
    line: (marker) => {
      const index = lines.findIndex((l) => new RegExp(`@${marker}(?![\\w-])`).test(l));
      if (index < 0) throw new Error(`no @${marker} in ${file}`);
      return index + 1;
    },
  };
}

describe.each(RUNTIMES.map((entry) => [entry.id, entry] as const))('runner contract: %s', (_id, entry) => {
  const program = loopProgram(entry.id);
  const runners: RunnerAdapter[] = [];
  const start = (breakpoints: Array<[number, Partial<SourceBreakpoint>?]> = [], stopOnEntry = false) => {
    const runner = entry.factory(entry.settings.parse(process.env), { sandbox: undefined })();
    runners.push(runner);
    const events = new RunnerEventLog(runner, 15_000);
    const launched = runner.launch({
      program: program.path,
      args: [],
      cwd: program.cwd,
      env: {},
      stopOnEntry,
      breakpoints: new Map([[program.path, breakpoints.map(([line, extra]) => ({ line, ...extra }))]]),
    });
    return { runner, events, launched };
  };
  afterEach(async () => {
    const done = runners.splice(0);
    const pids = done.map((r) => r.pid);
    await Promise.all(done.map((r) => r.terminate()));
    // Nothing a run started outlives terminate.
    for (const pid of pids) if (pid !== undefined) expect(isAlive(pid)).toBe(false);
  });

  it('stops on entry with the top frame, then runs to its exit status with every line of output', async () => {
    const { runner, events, launched } = start([], true);
    await launched;
    const stop = await events.next('stopped');
    expect(stop.reason).toBe('entry');
    expect(stop.topFrame).toMatchObject({ source: program.path });
    expect((await runner.threads()).map((t) => t.id)).toContain(stop.threadId);
    await runner.continue(stop.threadId);
    expect(await events.next('exited')).toMatchObject({ exitCode: 3 });
    await events.next('terminated');
    const output = events
      .events('output')
      .map((o) => o.output)
      .join('');
    expect(output).toContain('iter 4 total 10');
    expect(output).toContain('done total 10');
  });

  it('hits a breakpoint, shows stack, scopes and variables, evaluates, and steps', async () => {
    const addFirst = program.line('add-first');
    const { runner, events, launched } = start([[addFirst]]);
    await launched;
    const stop = await events.next('stopped', (s) => s.reason === 'breakpoint');
    expect(stop.hitBreakpointIds?.length).toBe(1);
    expect(stop.topFrame).toMatchObject({ source: program.path, line: addFirst });
    const [top] = await runner.stackTrace(stop.threadId, 0, 1);
    expect(top?.name).toContain('add');
    const scopes = await runner.scopes(top?.id ?? -1);
    const locals = scopes.find((s) => s.presentationHint === 'locals') ?? scopes[0];
    const variables = await runner.variables(locals?.variablesReference ?? 0);
    expect(variables.find((v) => v.name === 'a')?.value).toBe('0');
    expect(variables.find((v) => v.name === 'b')?.value).toBe('0');
    expect((await runner.evaluate('a + b + 40', { frameId: top?.id ?? -1 })).value).toBe('40');

    await runner.next(stop.threadId);
    const stepped = await events.next('stopped');
    expect(stepped.reason).toBe('step');
    expect(stepped.topFrame?.line).toBe(program.line('add-return'));
    await runner.stepOut(stop.threadId);
    const out = await events.next('stopped');
    // Back in the caller: on the call (Python) or at the statement after it (V8 finishes the line).
    expect([program.line('call'), program.line('print')]).toContain(out.topFrame?.line);
    expect(out.topFrame?.name).not.toContain('add');
  });

  it('restarts silently for the old run, with its breakpoints', async () => {
    const { runner, events, launched } = start([[program.line('add-first')]]);
    await launched;
    await events.next('stopped', (s) => s.reason === 'breakpoint');
    await runner.restart();
    const again = await events.next('stopped', (s) => s.reason === 'breakpoint');
    expect(again.topFrame?.line).toBe(program.line('add-first'));
    expect(events.events('exited')).toEqual([]);
    expect(events.events('terminated')).toEqual([]);
  });

  it('answers bad requests with typed errors and is done after terminate', async () => {
    const { runner, events, launched } = start([[program.line('add-first')]]);
    await launched;
    const stop = await events.next('stopped', (s) => s.reason === 'breakpoint');
    await expect(runner.variables(987_654)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(runner.scopes(987_654)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await runner.continue(stop.threadId);
    await events.next('continued');
    await runner.terminate();
    await runner.terminate();
    await expect(runner.stackTrace(stop.threadId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(runner.restart()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(events.events('terminated')).toHaveLength(1);
  });
});
