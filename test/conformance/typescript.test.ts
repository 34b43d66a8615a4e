/**
 * TypeScript through source maps (Node only: Python programs are not compiled). The samples are
 * compiled by tsc before the tests run; the program that runs is JavaScript, and yet
 * breakpoints, stops, stack frames and steps all speak in the TypeScript files and lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceEventsDocument, ConformanceRestartDocument } from '../generated/graphql.js';
import { Harness } from './harness.js';
import { typescriptPrograms } from './programs.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
// Tests run concurrently, each with its own sessions: all of them end with the server.
afterAll(async () => {
  await h.stop();
});

const runtime = 'NODE';
const { commonjs: cjs, esm, broken, tsx, loaded } = typescriptPrograms();

describe.concurrent('TypeScript with source maps (CommonJS output, .map files)', () => {
  it('stops on entry at the first TypeScript statement, not at the compiler’s prologue', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    expect(session.stoppedAt).toMatchObject({ reason: 'entry', source: cjs.main.source, line: cjs.main.firstLine });
    const [top] = await h.stack(session.id);
    expect(top).toMatchObject({ source: cjs.main.source, line: cjs.main.firstLine });
  });

  it('steps over the import of a source-mapped module (loaded during the step)', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    expect(session.stoppedAt).toMatchObject({ line: cjs.main.firstLine });
    const step = await h.step(session.id, 'OVER');
    expect(step).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'step', source: cjs.main.source, line: cjs.main.counterLine } });
  });

  it('binds a breakpoint in a module loaded later, stops there and names TypeScript frames', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    // math.js is not loaded yet: the breakpoint binds when it is.
    const [bp] = await h.setBreakpoints(session.id, cjs.math.sourcePath, [{ line: cjs.math.addBodyLine }]);
    expect(bp).toMatchObject({ source: cjs.math.source, requestedLine: cjs.math.addBodyLine });
    await h.continue(session.id);
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', source: cjs.math.source, line: cjs.math.addBodyLine });
    expect((await h.session(session.id)).breakpoints).toEqual([
      expect.objectContaining({ verified: true, line: cjs.math.addBodyLine, source: cjs.math.source }),
    ]);
    const stack = await h.stack(session.id);
    expect(stack.slice(0, 3)).toMatchObject([
      { name: 'add', source: cjs.math.source, line: cjs.math.addBodyLine },
      { name: 'total', source: cjs.main.source, line: cjs.main.callAddLine },
      { source: cjs.main.source, line: cjs.main.callTotalLine },
    ]);
    // The module loader's frames below are Node's; the debugger's own hook in the loader is left out.
    expect(stack.filter((f) => f.source?.includes('source-map-hook'))).toEqual([]);
    const locals = await h.locals(session.id);
    expect(locals).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'a', value: '0' }), expect.objectContaining({ name: 'b', value: '1' })]),
    );
    expect((await h.eval(session.id, 'a + b')).value).toBe('1');
  });

  it('steps over, out and in by TypeScript lines', async () => {
    const session = await h.create({
      runtime,
      program: cjs.main.path,
      breakpoints: [{ source: cjs.math.sourcePath, line: cjs.math.addBodyLine }],
    });
    expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ line: cjs.math.addBodyLine, source: cjs.math.source });
    // Gone, so that stepping into add below stops as a step, not at the breakpoint.
    await h.setBreakpoints(session.id, cjs.math.sourcePath, []);
    const over = await h.step(session.id, 'OVER');
    expect(over.stoppedAt).toMatchObject({ reason: 'step', source: cjs.math.source, line: cjs.math.addReturnLine });
    expect(over.snapshot?.frame).toMatchObject({ name: 'add', source: cjs.math.source, line: cjs.math.addReturnLine });
    const out = await h.step(session.id, 'OUT');
    // As in JavaScript (docs/debugging.md): step out finishes the caller's statement and stops at the next one.
    expect(out.stoppedAt).toMatchObject({ reason: 'step', source: cjs.main.source, line: cjs.main.forLine });
    expect(out.snapshot?.frame).toMatchObject({ name: 'total', source: cjs.main.source });
    // Back on `sum = add(sum, value)` for the next value: step in lands in add again.
    let at = out;
    for (let i = 0; i < 5 && at.stoppedAt?.line !== cjs.main.callAddLine; i++) at = await h.step(session.id, 'OVER');
    expect(at.stoppedAt).toMatchObject({ source: cjs.main.source, line: cjs.main.callAddLine });
    const into = await h.step(session.id, 'INTO');
    expect(into.stoppedAt).toMatchObject({ reason: 'step', source: cjs.math.source, line: cjs.math.addBodyLine });
  });

  it('moves a breakpoint on a line that made no code (a type) to the next code, in TypeScript lines', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    const [bp] = await h.setBreakpoints(session.id, cjs.main.sourcePath, [{ line: cjs.main.interfaceLine }]);
    // main.js is loaded (it is running): the breakpoint binds at once.
    expect(bp).toMatchObject({ verified: true, requestedLine: cjs.main.interfaceLine, line: cjs.main.counterLine });
    await h.continue(session.id);
    expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', line: cjs.main.counterLine });
  });

  it('binds a breakpoint set while running into a module already loaded, with a condition', async () => {
    const session = await h.create({
      runtime,
      program: cjs.main.path,
      breakpoints: [{ source: cjs.main.sourcePath, line: cjs.main.callTickLine }],
    });
    expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ line: cjs.main.callTickLine, source: cjs.main.source });
    const [bp] = await h.setBreakpoints(session.id, cjs.math.sourcePath, [{ line: cjs.math.tickLine, condition: 'by === 6' }]);
    expect(bp).toMatchObject({ verified: true, line: cjs.math.tickLine });
    await h.continue(session.id);
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', source: cjs.math.source, line: cjs.math.tickLine });
    expect((await h.stack(session.id))[0]).toMatchObject({ name: 'tick', source: cjs.math.source });
    await h.continue(session.id);
    const ended = await h.waitForState(session.id, ['EXITED']);
    expect(ended.exitCode).toBe(0);
    expect((await h.logs(session.id)).filter((l) => l.stream === 'STDOUT').map((l) => l.text)).toEqual(cjs.stdout);
  });

  it('takes a breakpoint on a line with no code and one on the next line (one position in the script) as two', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    const both = await h.setBreakpoints(session.id, cjs.main.sourcePath, [
      { line: cjs.main.interfaceLine },
      { line: cjs.main.counterLine },
    ]);
    expect(both).toMatchObject([
      { verified: true, line: cjs.main.counterLine },
      { verified: true, line: cjs.main.counterLine },
    ]);
    // The one that stays still stops when the other goes.
    const [kept] = await h.setBreakpoints(session.id, cjs.main.sourcePath, [{ line: cjs.main.counterLine }]);
    expect(kept).toMatchObject({ id: both[1]?.id, verified: true });
    await h.continue(session.id);
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', line: cjs.main.counterLine, hitBreakpointIds: [kept?.id] });
  });

  it('loads a source-mapped module in an eval while stopped, and its breakpoints still bind', async () => {
    const session = await h.create({ runtime, program: cjs.main.path, stopOnEntry: true });
    const [bp] = await h.setBreakpoints(session.id, cjs.math.sourcePath, [{ line: cjs.math.addBodyLine }]);
    expect(bp).toMatchObject({ verified: false });
    // The module hook must not wait for the server here: V8 serves nothing while an eval runs.
    expect((await h.eval(session.id, "require('./math').add(2, 3)")).value).toBe('5');
    await h.continue(session.id);
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', source: cjs.math.source, line: cjs.math.addBodyLine });
  });

  it('keeps TypeScript breakpoints across a restart', async () => {
    const session = await h.create({
      runtime,
      program: cjs.main.path,
      breakpoints: [{ source: cjs.math.sourcePath, line: cjs.math.tickLine }],
    });
    expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ line: cjs.math.tickLine });
    const events = h.subscribe(ConformanceEventsDocument, { id: session.id }, (items) =>
      items.some((e) => e.sessionEvents.kind === 'RESTARTED'),
    );
    await h.http(ConformanceRestartDocument, { id: session.id });
    await events.done;
    events.stop();
    const again = await h.waitForStop(session.id);
    expect(again).toMatchObject({ generation: 1 });
    expect(again.stoppedAt).toMatchObject({ reason: 'breakpoint', source: cjs.math.source, line: cjs.math.tickLine });
  });
});

describe.concurrent('TypeScript with source maps (ES modules, inline maps)', () => {
  it('stops on entry, binds breakpoints in an imported module and names TypeScript frames', async () => {
    const session = await h.create({ runtime, program: esm.main.path, stopOnEntry: true });
    // ES modules run their imports first: the first statement to run is in shapes.mts.
    expect(session.stoppedAt).toMatchObject({ reason: 'entry', source: esm.shapes.source, line: esm.shapes.precisionLine });
    const [bp] = await h.setBreakpoints(session.id, esm.shapes.sourcePath, [{ line: esm.shapes.circleLine }]);
    expect(bp).toMatchObject({ verified: true, line: esm.shapes.circleLine });
    await h.continue(session.id);
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', source: esm.shapes.source, line: esm.shapes.circleLine });
    const stack = await h.stack(session.id);
    expect(stack[0]).toMatchObject({ name: 'area', source: esm.shapes.source, line: esm.shapes.circleLine });
    expect(stack.some((f) => f.source === esm.main.source && f.line === esm.main.mapLine)).toBe(true);
    expect((await h.eval(session.id, 'shape.radius')).value).toBe('1');
  });

  it('binds a breakpoint given at launch before the module runs', async () => {
    const session = await h.create({
      runtime,
      program: esm.main.path,
      breakpoints: [{ source: esm.shapes.sourcePath, line: esm.shapes.squareLine }],
    });
    const stopped = await h.waitForStop(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'breakpoint', source: esm.shapes.source, line: esm.shapes.squareLine });
    // It bound when the module was about to run, and the session heard of it.
    expect(stopped.breakpoints).toEqual([
      expect.objectContaining({ verified: true, source: esm.shapes.source, line: esm.shapes.squareLine }),
    ]);
    const over = await h.step(session.id, 'OUT');
    expect(over.stoppedAt).toMatchObject({ source: esm.main.source, line: esm.main.mapLine });
  });
});

describe.concurrent('TypeScript with source maps: stepping across ES modules', () => {
  it('steps from the module that runs first into the next one', async () => {
    const session = await h.create({ runtime, program: esm.main.path, stopOnEntry: true });
    expect(session.stoppedAt).toMatchObject({ source: esm.shapes.source, line: esm.shapes.precisionLine });
    // shapes.mts is done after its one statement: the next is main.mts's first.
    const step = await h.step(session.id, 'OVER');
    expect(step).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'step', source: esm.main.source, line: esm.main.shapesLine } });
    expect((await h.step(session.id, 'OVER')).stoppedAt).toMatchObject({ source: esm.main.source, line: esm.main.mapLine });
  });
});

describe.concurrent('TypeScript with source maps: maps that cannot be used', () => {
  it.each(broken.map((p) => [p.path, p] as const))('debugs %s as JavaScript', async (_, p) => {
    const session = await h.create({ runtime, program: p.path, stopOnEntry: true });
    expect(session.stoppedAt).toMatchObject({ reason: 'entry', source: p.absolute, line: p.valueLine });
    const [bp] = await h.setBreakpoints(session.id, p.path, [{ line: p.valueLine + 1 }]);
    expect(bp).toMatchObject({ verified: true, line: p.valueLine + 1 });
    await h.continue(session.id);
    expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', source: p.absolute, line: p.valueLine + 1 });
    expect((await h.eval(session.id, 'value')).value).toBe('42');
  });
});

describe.concurrent('TypeScript compiled on the fly (tsx): the script has the .ts file’s own URL', () => {
  it.each([
    ['through require (the CommonJS hook)', tsx],
    ['through module loader hooks (mapped when V8 parses it)', loaded],
    ['through vm (compiled and run at once)', { ...loaded, ...loaded.vm }],
  ])('stops once per pass on a TypeScript line, %s, never on compiled line numbers', async (_, tsx) => {
    const session = await h.create({ runtime, program: tsx.path, breakpoints: [{ source: tsx.sourcePath, line: tsx.bodyLine }] });
    const seen: string[] = [];
    for (let pass = 0; pass < 6; pass++) {
      const s = await h.waitForState(session.id, ['PAUSED', 'EXITED']);
      if (s.state === 'EXITED') break;
      expect((await h.waitForStop(session.id)).stoppedAt).toMatchObject({ reason: 'breakpoint', source: tsx.source, line: tsx.bodyLine });
      seen.push((await h.eval(session.id, 'i')).value);
      await h.continue(session.id);
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
    expect((await h.waitForState(session.id, ['EXITED'])).exitCode).toBe(0);
  });
});
