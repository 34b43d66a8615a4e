/**
 * The pipe channel's parts on their own: the line-framed transport, and the preload/relay pair
 * in a real `node` process driven by hand (no runner).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { INSPECTOR_FD_VARIABLE, PRELOAD_PATH } from '../../src/runners/node/pipe-channel.js';
import { pipeTransport } from '../../src/runners/node/pipe-transport.js';
import { PROBE_URL_PREFIX } from '../../src/runners/node/probe-entry.js';

const LOOP = fileURLToPath(new URL('../fixtures/node/loop.js', import.meta.url));

/** A stream whose written data is recorded and whose readable side is fed by the test. */
function fakePipe(): { stream: Duplex; written: string[] } {
  const written: string[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, written };
}

describe('pipe transport', () => {
  it('frames messages by line feed, however the bytes are chunked', async () => {
    const { stream, written } = fakePipe();
    const transport = pipeTransport(stream);
    const received: string[] = [];
    transport.onMessage((message) => received.push(message));
    const text = Buffer.from('{"id":1,"result":{"v":"é→😀"}}\n\n{"method":"a"}\n{"method":"b"}\n{"id":2');
    // Byte by byte: UTF-8 sequences and messages split everywhere.
    for (const byte of text) stream.push(Buffer.from([byte]));
    stream.push(Buffer.from(',"result":{}}\n'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(['{"id":1,"result":{"v":"é→😀"}}', '{"method":"a"}', '{"method":"b"}', '{"id":2,"result":{}}']);
    transport.send('{"id":3}');
    expect(written).toEqual(['{"id":3}\n']);
  });

  it('reports the close once, refuses to send afterwards, and closes idempotently', async () => {
    const { stream } = fakePipe();
    const transport = pipeTransport(stream);
    const closes: unknown[] = [];
    transport.onClose((error) => closes.push(error));
    stream.push(null); // The relay's end closed (the debuggee is gone).
    await new Promise((resolve) => stream.once('close', resolve));
    expect(closes).toEqual([undefined]);
    expect(() => transport.send('{}')).toThrow(/closed/);
    await transport.close();
    await transport.close();
    const late: unknown[] = [];
    transport.onClose((error) => late.push(error));
    expect(late).toEqual([undefined]);
  });
});

/** Starts `node --require preload program` with an inspector pipe; killed when the test ends. */
function startDebuggee(program: string, withPipe = true): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--require', PRELOAD_PATH, program], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...(withPipe ? { [INSPECTOR_FD_VARIABLE]: '3' } : {}) },
  });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe('inspector preload and relay', () => {
  it('keep their constants in sync with the server side', () => {
    const preload = readFileSync(PRELOAD_PATH, 'utf8');
    expect(preload).toContain(`const FD_VARIABLE = '${INSPECTOR_FD_VARIABLE}';`);
    expect(preload).toContain(`const PROBE_URL_PREFIX = '${PROBE_URL_PREFIX}';`);
  });

  it('do nothing without the variable', async () => {
    const { exit, output } = startDebuggee(LOOP, false);
    expect(await exit).toBe(0);
    expect(output()).toContain('done\n');
  });

  it('keep the program from starting, and end it, when the server goes away before it may run', async () => {
    const { child, exit, output } = startDebuggee(LOOP);
    (child.stdio[3] as Duplex).destroy();
    expect(await exit).toBe(1);
    expect(output()).toBe('debug-server: the debugger did not attach\n');
  });

  it('let the program run on without a debugger when the server goes away later', async () => {
    const { child, exit, output } = startDebuggee(LOOP);
    const pipe = child.stdio[3] as Duplex;
    const answered = new Promise<string>((resolve) => pipe.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    pipe.write('{"id":1,"method":"Debugger.enable","params":{}}\n');
    // A pause that only a debugger would ever leave: the relay resumes it when it detaches.
    pipe.write('{"id":2,"method":"Debugger.pause","params":{}}\n');
    expect(await answered).toMatch(/"method":"Debugger.scriptParsed"|"id":1/);
    pipe.write('{"id":3,"method":"Runtime.runIfWaitingForDebugger","params":{}}\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    pipe.destroy();
    expect(await exit).toBe(0);
    expect(output()).toContain('iter 4 total 10\ndouble 20\ndone\n');
  });
});
