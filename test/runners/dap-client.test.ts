/**
 * DapClient against a scripted peer on in-memory streams: correlation, failures, timeouts,
 * reverse requests, and no request left hanging when the connection ends.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DapClient, DapRequestError } from '../../src/runners/dap/dap-client.js';
import { encodeMessage, MessageDecoder } from '../../src/runners/dap/framing.js';

interface Wire {
  seq: number;
  type: string;
  command?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  arguments?: unknown;
}

/** The adapter's end of the connection. */
function peer(): { client: DapClient; received: Wire[]; send(message: object): void; toClient: PassThrough; next(): Promise<Wire> } {
  const toClient = new PassThrough();
  const fromClient = new PassThrough();
  const client = new DapClient(toClient, fromClient, { timeoutMs: 2000 });
  const decoder = new MessageDecoder();
  const received: Wire[] = [];
  const unread: Wire[] = [];
  const waiters: Array<(m: Wire) => void> = [];
  fromClient.on('data', (chunk: Buffer) => {
    for (const m of decoder.push(chunk) as Wire[]) {
      received.push(m);
      const waiter = waiters.shift();
      if (waiter) waiter(m);
      else unread.push(m);
    }
  });
  return {
    client,
    received,
    toClient,
    send: (message) => toClient.write(encodeMessage(message)),
    next: () =>
      new Promise((resolve) => {
        const m = unread.shift();
        if (m) resolve(m);
        else waiters.push(resolve);
      }),
  };
}

describe('DapClient', () => {
  it('correlates responses by request_seq, in any order', async () => {
    const p = peer();
    const first = p.client.request('threads', {});
    const second = p.client.request('scopes', { frameId: 7 });
    await new Promise((r) => setTimeout(r, 10));
    const [a, b] = p.received as [Wire, Wire];
    expect(a).toMatchObject({ type: 'request', command: 'threads', seq: 1 });
    expect(b).toMatchObject({ type: 'request', command: 'scopes', seq: 2, arguments: { frameId: 7 } });
    p.send({ seq: 1, type: 'response', request_seq: b.seq, success: true, command: 'scopes', body: { scopes: [] } });
    p.send({
      seq: 2,
      type: 'response',
      request_seq: a.seq,
      success: true,
      command: 'threads',
      body: { threads: [{ id: 1, name: 'main' }] },
    });
    expect(await first).toEqual({ threads: [{ id: 1, name: 'main' }] });
    expect(await second).toEqual({ scopes: [] });
  });

  it('rejects failed responses with the formatted error message', async () => {
    const p = peer();
    const failing = p.client.request('evaluate', { expression: 'x' });
    const request = await p.next();
    p.send({
      seq: 1,
      type: 'response',
      request_seq: request.seq,
      success: false,
      command: 'evaluate',
      message: 'short',
      body: { error: { id: 1, format: 'name {name} is not defined', variables: { name: 'x' } } },
    });
    await expect(failing).rejects.toMatchObject({ code: 'RUNNER_ERROR', message: 'name x is not defined' });
    await expect(failing).rejects.toBeInstanceOf(DapRequestError);

    const plain = p.client.request('next', { threadId: 1 });
    const second = await p.next();
    p.send({ seq: 2, type: 'response', request_seq: second.seq, success: false, command: 'next', message: 'notStopped' });
    await expect(plain).rejects.toMatchObject({ code: 'RUNNER_ERROR', message: 'notStopped' });
  });

  it('times out one request without disturbing the others', async () => {
    const p = peer();
    const slow = p.client.request('threads', {}, { timeoutMs: 50 });
    const fast = p.client.request('threads', {});
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
    const [, second] = p.received as [Wire, Wire];
    p.send({ seq: 1, type: 'response', request_seq: 1, success: true, command: 'threads', body: { threads: [] } }); // Late: dropped.
    p.send({ seq: 2, type: 'response', request_seq: second.seq, success: true, command: 'threads', body: { threads: [] } });
    expect(await fast).toEqual({ threads: [] });
  });

  it('delivers typed events', async () => {
    const p = peer();
    const stopped = new Promise((resolve) => p.client.on('stopped', resolve));
    p.send({ seq: 1, type: 'event', event: 'stopped', body: { reason: 'breakpoint', threadId: 3 } });
    expect(await stopped).toEqual({ reason: 'breakpoint', threadId: 3 });
  });

  it('answers reverse requests: runInTerminal and startDebugging are refused, so is anything else', async () => {
    const p = peer();
    for (const [seq, command] of [
      [10, 'runInTerminal'],
      [11, 'startDebugging'],
      [12, 'somethingElse'],
    ] as const) {
      p.send({ seq, type: 'request', command, arguments: {} });
      const answer = await p.next();
      expect(answer).toMatchObject({ type: 'response', request_seq: seq, command, success: false });
      expect(answer.message).toBeTruthy();
    }
  });

  it('rejects every pending request when the adapter goes away, and later ones at once', async () => {
    const p = peer();
    const pending = [p.client.request('threads', {}), p.client.request('launch', {}, { timeoutMs: 0 })];
    const closed = new Promise((resolve) => p.client.onClose(resolve));
    p.toClient.end();
    for (const request of pending) await expect(request).rejects.toMatchObject({ code: 'RUNNER_ERROR' });
    expect(await closed).toMatch(/went away/);
    await expect(p.client.request('threads', {})).rejects.toMatchObject({ code: 'RUNNER_ERROR' });
  });

  it('closes on malformed input', async () => {
    const p = peer();
    const pending = p.client.request('threads', {});
    p.toClient.write('Content-Length: nope\r\n\r\n');
    await expect(pending).rejects.toMatchObject({ code: 'RUNNER_ERROR' });
    expect(p.client.closed).toBe(true);
  });
});
