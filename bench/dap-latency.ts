/**
 * Latency of the Python runner, with and without the debugpy bootstrap's speed-ups:
 *   npm run bench -- dap-latency [iterations]
 * Prints medians (ms) of: next → stopped, threads, stackTrace, scopes, variables, evaluate, a
 * "snapshot" (stackTrace → scopes → variables), threads+stackTrace sequential vs pipelined, and
 * the time from the program's last line to `exited`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerAdapter, StoppedEvent } from '../src/runners/adapter.js';
import { createPythonRunner } from '../src/runners/dap/debugpy.js';

const ITERATIONS = Number(process.argv[2] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'dap-latency-'));
const program = join(dir, 'steps.py');
writeFileSync(program, 'x = 0\nfor i in range(10_000_000):\n    x = i\n    y = x + 1\n');

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor(sorted.length / 2)] ?? NaN).toFixed(2);
}

async function time<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  samples.push(performance.now() - started);
  return result;
}

async function measure(speedups: boolean): Promise<Record<string, string>> {
  const runner: RunnerAdapter = createPythonRunner({ speedups });
  let onStop: ((e: StoppedEvent) => void) | undefined;
  runner.on('stopped', (e) => onStop?.(e));
  const stopped = (): Promise<StoppedEvent> => new Promise((resolve) => (onStop = resolve));
  const samples: Record<string, number[]> = {
    next: [],
    threads: [],
    stackTrace: [],
    scopes: [],
    variables: [],
    evaluate: [],
    snapshot: [],
    sequential: [],
    pipelined: [],
  };
  try {
    const first = stopped();
    await runner.launch({ program, args: [], cwd: dir, env: {}, stopOnEntry: true, breakpoints: new Map() });
    await first;
    for (let i = 0; i < ITERATIONS; i++) {
      const stop = stopped();
      await time(samples.next!, async () => {
        await runner.next(1);
        await stop;
      });
      await time(samples.threads!, () => runner.threads());
      const frames = await time(samples.stackTrace!, () => runner.stackTrace(1));
      const scopes = await time(samples.scopes!, () => runner.scopes(frames[0]!.id));
      await time(samples.variables!, () => runner.variables(scopes[0]!.variablesReference));
      await time(samples.evaluate!, () => runner.evaluate('x + 1'));
      await time(samples.snapshot!, async () => {
        const [top] = await runner.stackTrace(1, 0, 1);
        const [locals] = await runner.scopes(top!.id);
        await runner.variables(locals!.variablesReference);
      });
      await time(samples.sequential!, async () => {
        await runner.threads();
        await runner.stackTrace(1);
      });
      await time(samples.pipelined!, () => Promise.all([runner.threads(), runner.stackTrace(1)]));
    }
  } finally {
    await runner.terminate();
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

async function exitLatency(speedups: boolean): Promise<string> {
  const quick = join(dir, 'quick.py');
  writeFileSync(quick, 'import time\nprint("bye", flush=True)\n');
  const values: number[] = [];
  for (let i = 0; i < 3; i++) {
    const runner = createPythonRunner({ speedups });
    let lastOutput = 0;
    const exited = new Promise<void>((resolve) => runner.on('exited', () => resolve()));
    runner.on('output', () => (lastOutput = performance.now()));
    await runner.launch({ program: quick, args: [], cwd: dir, env: {}, stopOnEntry: false, breakpoints: new Map() });
    await exited;
    values.push(performance.now() - lastOutput);
    await runner.terminate();
  }
  return median(values);
}

try {
  for (const speedups of [false, true]) {
    const result = await measure(speedups);
    console.log(
      `speedups ${speedups ? 'on ' : 'off'}: ${Object.entries(result)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} exit=${await exitLatency(speedups)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
