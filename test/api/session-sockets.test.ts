/**
 * The WebSocket endpoints /sessions/:id/debug and /sessions/:id/logs, driven with a real `ws`
 * client as websocat would: auth by header or first frame, ownership, every command, malformed
 * frames, pushed events, snapshots and logs, replay with ?after=, a paused reader of a flood,
 * close codes (expiry, shutdown).
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SCOPES } from '../../src/auth/scopes.js';
import { CreateSessionDocument, GetSessionDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { eventually, serverForSuite, TestServer } from '../support/server.js';

interface Frame {
  id?: unknown;
  type?: string;
  kind?: string;
  result?: Record<string, unknown> & { stoppedAt?: { line?: number } | null };
  error?: { code: string; message: string };
  lines?: Array<{ seq: string; text: string }>;
  [key: string]: unknown;
}

/** A socket with every frame it got, and waits for frames, for the close. */
class Client {
  readonly frames: Frame[] = [];
  readonly texts: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  private waiters = new Set<() => void>();

  constructor(readonly socket: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      this.texts.push(text);
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        /* text frames (?format=text) */
      }
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** The first frame (from `from` on) that matches, waiting for it. */
  async next(match: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames).slice(0, 1500)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 100);
      });
    }
  }

  private nextId = 1;
  /** Sends a command and waits for its answer. */
  async call(command: string, args?: Record<string, unknown>): Promise<Frame> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, command, ...(args ? { args } : {}) }));
    return this.next((f) => f.id === id);
  }
}

describe('WebSocket session endpoints', () => {
  const suite = serverForSuite();
  const wsUrl = (path: string) => `${suite.server.url.replace('http', 'ws')}${path}`;
  /** `token` null: no Authorization header (the first frame must authenticate). */
  const connect = (path: string, token: string | null = suite.token) =>
    new Client(new WebSocket(wsUrl(path), token !== null ? { headers: { authorization: `Bearer ${token}` } } : {}));
  const create = async (program: string, stopOnEntry: boolean, args: string[] = []) =>
    (await suite.server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program, stopOnEntry, args } }, suite.token)).createSession
      .id;

  it('debugs a session: every command, pushed events and snapshots, typed errors, and a close at terminate', async () => {
    const id = await create('programs/counter.js', true);
    const c = connect(`/sessions/${id}/debug`);
    await c.opened;
    const hello = await c.next((f) => f.type === 'session');
    expect(hello.session).toMatchObject({ id, state: 'PAUSED', runtime: 'NODE' });

    const stepped = await c.call('step');
    expect(stepped.result).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'step' } });
    expect(stepped.result?.snapshot).toMatchObject({ reason: 'step' });
    await c.next((f) => f.type === 'event' && f.kind === 'STOPPED');
    await c.next((f) => f.type === 'snapshot');

    const stack = await c.call('stackTrace');
    const frames = stack.result as unknown as Array<{ id: string; line: number }>;
    expect(frames[0]?.line).toBeGreaterThan(0);
    const scopes = (await c.call('scopes', { frameId: frames[0]?.id })).result as unknown as Array<{ name: string; reference: string }>;
    expect(scopes.length).toBeGreaterThan(0);
    const variables = (await c.call('variables', { reference: scopes[0]?.reference })).result as unknown as Array<{ name: string }>;
    expect(Array.isArray(variables)).toBe(true);
    expect((await c.call('eval', { expression: '6 * 7' })).result).toMatchObject({ value: '42' });

    const bps = await c.call('setBreakpoints', { source: 'programs/counter.js', breakpoints: [{ line: 2 }] });
    expect(bps.result).toEqual([expect.objectContaining({ line: 2 })]);
    expect((await c.call('setExceptionBreakpoints', { filters: ['UNCAUGHT'] })).result).toMatchObject({ state: 'PAUSED' });
    const hit = await c.call('continue');
    expect(hit.error).toBeUndefined();
    await c.next(
      (f) => f.type === 'event' && f.kind === 'STOPPED' && (f.stoppedAt as { reason?: string } | undefined)?.reason === 'breakpoint',
    );

    // Bad frames get error frames; the socket stays usable.
    c.socket.send('{not json');
    expect((await c.next((f) => f.error?.message.includes('JSON object') === true)).error?.code).toBe('BAD_USER_INPUT');
    const unknown = (await c.call('fly')).error;
    expect(unknown?.code).toBe('BAD_USER_INPUT');
    expect(unknown?.message).toContain('unknown command');
    expect((await c.call('step', { kind: 'SIDEWAYS' })).error?.code).toBe('BAD_USER_INPUT');
    // The same schemas as the GraphQL arguments (src/sessions/session-input.ts).
    expect((await c.call('eval', { expression: '1', timeoutMs: 0 })).error).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'bad args for eval: timeoutMs: must be between 1 and 60000',
    });
    expect((await c.call('setBreakpoints', { source: 'programs/counter.js', breakpoints: [{ line: 0 }] })).error).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'bad args for setBreakpoints: breakpoints.0.line: line must be ≥ 1',
    });
    expect((await c.call('variables', { reference: '1:1', first: 0 })).error?.code).toBe('BAD_USER_INPUT');
    expect((await c.call('scopes', { frameId: '999:1' })).error?.code).toBe('INVALID_STATE');
    // The shorthand typed in websocat.
    c.socket.send('eval 1 + 1');
    expect((await c.next((f) => f.id === null && (f.result as { value?: string } | undefined)?.value === '2')).result).toMatchObject({
      value: '2',
    });

    const restarted = await c.call('restart');
    expect(restarted.result).toMatchObject({ generation: 1 });
    expect((await c.call('terminate')).result).toMatchObject({ state: 'TERMINATED' });
    expect(await c.closed).toEqual({ code: 1000, reason: 'session terminated' });
  });

  it('answers commands past 32 running at once with LIMIT_EXCEEDED, and runs the rest', async () => {
    const id = await create('programs/counter.js', true);
    const c = connect(`/sessions/${id}/debug`);
    await c.next((f) => f.type === 'session');
    const slow = '(() => { const t = Date.now(); while (Date.now() - t < 40); return 1 })()';
    for (let i = 0; i < 40; i++) c.socket.send(JSON.stringify({ id: `e${i}`, command: 'eval', args: { expression: slow } }));
    await c.next((f) => f.id === 'e39' || f.id === 'e0');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => c.next((f) => f.id === `e${i}`)));
    expect(answers.filter((a) => a.error?.code === 'LIMIT_EXCEEDED').length).toBeGreaterThan(0);
    expect(answers.filter((a) => (a.result as { value?: string } | undefined)?.value === '1').length).toBeGreaterThanOrEqual(32);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });

  it('authenticates by header or by a first frame; refuses bad tokens, missing scopes, and other owners alike', async () => {
    const id = await create('programs/ticker.js', false);
    // First frame.
    const byFrame = connect(`/sessions/${id}/debug`, null);
    await byFrame.opened;
    byFrame.socket.send(JSON.stringify({ type: 'auth', token: suite.token }));
    await byFrame.next((f) => f.type === 'session');
    byFrame.socket.close();
    // A bad header is refused before the upgrade.
    await expect(connect(`/sessions/${id}/debug`, 'nope').opened).rejects.toThrow('HTTP 401');
    // A bad first frame, then a frame that is not auth.
    const badFrame = connect(`/sessions/${id}/debug`, null);
    await badFrame.opened;
    badFrame.socket.send(JSON.stringify({ type: 'auth', token: 'nope' }));
    expect((await badFrame.closed).code).toBe(4401);
    const noAuth = connect(`/sessions/${id}/debug`, null);
    await noAuth.opened;
    noAuth.socket.send('step');
    expect((await noAuth.closed).code).toBe(4401);
    // Another subject's id and an unknown id: the same close.
    const bob = await suite.server.token('bob');
    const other = await connect(`/sessions/${id}/debug`, bob).closed;
    const unknown = await connect(`/sessions/not-a-session/debug`).closed;
    expect(other.code).toBe(4404);
    expect(unknown.code).toBe(4404);
    expect(other.reason.replace(id, 'X')).toBe(unknown.reason.replace('not-a-session', 'X'));
    // Scopes: the endpoint needs sessions:read; commands need their mutation's scope.
    expect((await connect(`/sessions/${id}/debug`, await suite.server.token('alice', [SCOPES.LOGS_READ])).closed).code).toBe(4403);
    const reader = connect(`/sessions/${id}/debug`, await suite.server.token('alice', [SCOPES.SESSIONS_READ]));
    await reader.next((f) => f.type === 'session');
    expect((await reader.call('pause')).error?.code).toBe('FORBIDDEN');
    reader.socket.close();
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });

  it('streams logs over /sessions/:id/logs: a JSON line per frame or text, resumable, ending after the last line', async () => {
    const id = await create('programs/burst.js', false, ['30']);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token).catch(() => undefined);
    // Terminated after its output: the stream replays everything and closes.
    const json = connect(`/sessions/${id}/logs`);
    const jsonClose = await json.closed;
    const texts = json.frames.map((f) => f.text as string);
    expect(texts.filter((t) => t.startsWith('line '))).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
    expect(jsonClose.code).toBe(1000);
    const tenth = json.frames.find((f) => f.text === 'line 10');
    const resumed = connect(`/sessions/${id}/logs?after=${tenth?.seq as string}&format=text`);
    await resumed.closed;
    expect(resumed.texts[0]).toBe('line 11');
    expect(resumed.texts).not.toContain('line 10');
    expect((await connect(`/sessions/${id}/logs?after=abc`).closed).code).toBe(4400);
    expect((await connect(`/sessions/${id}/logs`, await suite.server.token('alice', [SCOPES.SESSIONS_READ])).closed).code).toBe(4403);
  });

  it('replays buffered lines with ?after= on the debug socket, then goes live', async () => {
    const id = await create('programs/ticker.js', false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const c = connect(`/sessions/${id}/debug?after=0`);
    const first = await c.next((f) => f.type === 'log');
    expect(first.lines?.[0]?.text).toBe('tick 1');
    const live = await c.next((f) => f.type === 'log' && (f.lines ?? []).some((l) => Number(l.text.slice(5)) > 20));
    expect(live.lines?.length).toBeGreaterThan(0);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
    expect((await c.closed).code).toBe(1000);
  });

  it('answers an upgrade to an unknown path with a 404 that names the endpoints, and a huge frame with 1009', async () => {
    const status = await new Promise<{ code?: number; body: string }>((resolve, reject) => {
      const req = request(`${suite.server.url}/sessions/x/nope`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status.code).toBe(404);
    expect(status.body).toContain('/sessions/:id/debug');
    const id = await create('programs/ticker.js', false);
    const c = connect(`/sessions/${id}/debug`);
    await c.next((f) => f.type === 'session');
    c.socket.send('x'.repeat(2 * 1024 * 1024));
    expect((await c.closed).code).toBe(1009);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });

  it('a paused reader of a flood gets, once it reads again, every line in order or a lost-lines notice, never a gap', async () => {
    const id = await create('programs/flood.js', false, ['60000', 'chunks']);
    const c = connect(`/sessions/${id}/logs`);
    await c.opened;
    c.socket.pause();
    await eventually(
      async () => ((await suite.server.ok(GetSessionDocument, { id }, suite.token)).session?.state === 'EXITED' ? true : undefined),
      30_000,
    );
    c.socket.resume();
    await c.next((f) => f.text === 'process exited with code 0', 30_000);
    let expected = 1;
    for (const line of c.frames as Array<{ seq: string; stream: string; text: string }>) {
      if (line.stream === 'SYSTEM' && /log line\(s\) lost/.test(line.text)) expected = Number(line.seq) + 1;
      else expect(Number(line.seq)).toBe(expected++);
    }
    expect((c.frames as Array<{ stream: string; text: string }>).filter((l) => l.stream === 'STDOUT').at(-1)?.text).toMatch(/^line 60000 /);
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });

  it('applies the request guard to upgrades (another Host is a 421), and closes at token expiry (4401)', async () => {
    const port = new URL(suite.server.url).port;
    const foreign = new WebSocket(wsUrl('/sessions/x/debug'), { headers: { host: `evil.example:${port}` } });
    expect(await new Promise<number>((resolve) => foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(
      421,
    );
    const id = await create('programs/counter.js', true);
    const shortLived = await suite.server.token('alice', [SCOPES.SESSIONS_READ, SCOPES.LOGS_READ], 1);
    const debug = connect(`/sessions/${id}/debug`, shortLived);
    const logs = connect(`/sessions/${id}/logs`, shortLived);
    expect(await debug.closed).toEqual({ code: 4401, reason: 'token expired' });
    expect(await logs.closed).toEqual({ code: 4401, reason: 'token expired' });
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
  });
});

describe('session sockets at server shutdown', () => {
  it('close (1000, as for any terminated session) when the server stops', async () => {
    const server = await TestServer.start();
    const token = await server.token('alice');
    const id = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, token)).createSession
      .id;
    const url = `${server.url.replace('http', 'ws')}/sessions/${id}`;
    const debug = new Client(new WebSocket(`${url}/debug`, { headers: { authorization: `Bearer ${token}` } }));
    const logs = new Client(new WebSocket(`${url}/logs`, { headers: { authorization: `Bearer ${token}` } }));
    await debug.next((f) => f.type === 'session');
    await logs.next(() => true);
    await server.stop();
    expect(await debug.closed).toEqual({ code: 1000, reason: 'session terminated' });
    expect(await logs.closed).toEqual({ code: 1000, reason: 'session terminated' });
  });
});
