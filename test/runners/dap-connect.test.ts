/**
 * A DAP adapter reached over a socket instead of its stdio (DapLauncher.connect): debugpy's real
 * adapter behind a small bridge that listens on a Unix socket, as `dlv dap --listen` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RunnerEventLog } from '../support/runner-events.js';
import { connectSocket } from '../../src/runners/dap/connect.js';
import { DapRunner } from '../../src/runners/dap/dap-runner.js';
import { debugpyLauncher } from '../../src/runners/dap/debugpy.js';
import { isAlive } from '../../src/sandbox/process-tree.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/python/', import.meta.url));

/** Listens on `path`; each connection gets the command's stdio. */
const BRIDGE = `
const { createServer } = require('node:net');
const { spawn } = require('node:child_process');
const [path, command, ...args] = process.argv.slice(1);
const server = createServer((socket) => {
  server.close();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  socket.pipe(child.stdin);
  child.stdout.pipe(socket);
  child.on('exit', (code) => process.exit(code ?? 1));
  socket.on('close', () => child.kill());
});
setTimeout(() => server.listen(path), 200); // a slow start: the runner must wait for it
`;

describe('DapLauncher.connect', () => {
  const dirs: string[] = [];
  const runners: DapRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.terminate()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'dap-connect-'));
    dirs.push(dir);
    return dir;
  };

  it('debugs through an adapter that listens on a socket', async () => {
    const path = join(tempDir(), 'adapter.sock');
    const base = debugpyLauncher();
    const runner = new DapRunner({
      ...base,
      adapterCommand: (options) => {
        const adapter = base.adapterCommand(options);
        return { ...adapter, command: process.execPath, args: ['-e', BRIDGE, path, adapter.command, ...adapter.args] };
      },
      connect: (adapter, timeoutMs) => connectSocket({ path }, timeoutMs, adapter),
    });
    runners.push(runner);
    const events = new RunnerEventLog(runner);
    await runner.launch({
      program: `${FIXTURES}step_loop.py`,
      args: [],
      cwd: FIXTURES,
      env: {},
      stopOnEntry: true,
      breakpoints: new Map(),
    });
    const stop = await events.next('stopped');
    expect(stop.reason).toBe('entry');
    expect(stop.topFrame?.source).toBe(`${FIXTURES}step_loop.py`);
    await runner.next(stop.threadId);
    expect((await events.next('stopped')).reason).toBe('step');
    expect((await runner.evaluate('x')).value).toBe('0');
    await runner.terminate();
    expect(events.events('terminated')).toHaveLength(1);
    expect(runner.adapterPid === undefined || !isAlive(runner.adapterPid)).toBe(true);
  });

  it('fails the launch with a clear error when the adapter never listens', async () => {
    const base = debugpyLauncher();
    const path = join(tempDir(), 'nobody.sock');
    const runner = new DapRunner({
      ...base,
      adapterCommand: () => ({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60_000)'], env: {} }),
      connect: (adapter) => connectSocket({ path }, 300, adapter),
    });
    runners.push(runner);
    const failure = await runner
      .launch({ program: `${FIXTURES}step_loop.py`, args: [], cwd: FIXTURES, env: {}, stopOnEntry: false, breakpoints: new Map() })
      .then(
        () => undefined,
        (error: unknown) => error as { code?: string; message?: string },
      );
    expect(failure?.code).toBe('LAUNCH_FAILED');
    expect(failure?.message).toContain(`cannot connect to the debug adapter at ${path}`);
    expect(runner.adapterPid).toBeUndefined();
  });

  it('connectSocket waits for a TCP listener that comes late', async () => {
    const server = createServer((socket) => socket.end('hello'));
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    setTimeout(() => server.listen(port, '127.0.0.1'), 100);
    const streams = await connectSocket({ host: '127.0.0.1', port }, 5000);
    const text = await new Promise<string>((resolve) => {
      let got = '';
      streams.input.on('data', (chunk: Buffer) => (got += chunk.toString()));
      streams.input.on('end', () => resolve(got));
    });
    expect(text).toBe('hello');
    server.close();
  });
});
