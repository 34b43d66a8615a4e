import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TokenService } from '../../src/auth/tokens.js';
import { CreateSessionDocument, LogLinesDocument } from '../generated/graphql.js';
import { NODE_FORKER, PYTHON_FORKER } from '../support/box-programs.js';
import { processesRunning } from '../support/processes.js';
import { eventually, FIXTURES, SECRET } from '../support/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = ['--import', 'tsx', 'src/main.ts'];

/** Starts `debug-server serve` as a real process; resolves with its URL and what it printed. */
async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stdout: () => string }> {
  const child = spawn(process.execPath, [...MAIN, 'serve'], {
    cwd: ROOT,
    // Only the settings given here: no signing key, so the server makes a dev key and token.
    env: { ...withoutServerSettings(process.env), PORT: '0', DEBUG_SERVER_WORKSPACE: FIXTURES, DEBUG_SERVER_LOG_LEVEL: 'silent', ...env },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url, stdout: () => out };
}

function withoutServerSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('DEBUG_SERVER_')));
}

const exitOf = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });

describe('the server process', () => {
  let server: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    server?.kill('SIGKILL');
    server = undefined;
  });

  it('starts on embedded defaults with a dev token, and on SIGTERM completes subscriptions, ends debuggees and exits', async () => {
    const started = await startServer({});
    server = started.child;
    const token = /export TOKEN=(\S+)/.exec(started.stdout())?.[1];
    expect(token).toBeDefined();
    expect(started.stdout()).toMatch(/"Authorization": "Bearer /);

    const res = await fetch(`${started.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: CreateSessionDocument.toString(),
        variables: { input: { runtime: 'NODE', program: 'programs/ticker.js' } },
      }),
    });
    const body = (await res.json()) as { data: { createSession: { id: string; state: string } } };
    expect(body.data.createSession.state).toBe('RUNNING');
    expect(processesRunning('programs/ticker.js').length).toBeGreaterThan(0);

    const ws = createClient({
      url: started.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    let lines = 0;
    const completed = new Promise<string>((resolve) => {
      ws.subscribe(
        { query: LogLinesDocument.toString(), variables: { id: body.data.createSession.id } },
        { next: () => void lines++, error: (err) => resolve(`error: ${JSON.stringify(err)}`), complete: () => resolve('complete') },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines).toBeGreaterThan(0);

    started.child.kill('SIGTERM');
    expect(await completed).toBe('complete');
    expect(await exitOf(started.child)).toBe(0);
    expect(processesRunning('programs/ticker.js')).toEqual([]);
    await ws.dispose();
  });

  describe.each(['SIGKILL', 'SIGINT', 'SIGTERM'] as const)('on %s of the server', (signal) => {
    let workspace: string;
    beforeAll(() => {
      workspace = mkdtempSync(path.join(tmpdir(), 'debug-server-kill-'));
      writeFileSync(path.join(workspace, 'forker.js'), NODE_FORKER);
      writeFileSync(path.join(workspace, 'forker.py'), PYTHON_FORKER);
    });
    afterAll(() => rmSync(workspace, { recursive: true, force: true }));

    it('every process of every session dies within 2 s, forks and daemons included', async () => {
      const started = await startServer({ DEBUG_SERVER_WORKSPACE: workspace, DEBUG_SERVER_SANDBOX: 'bwrap' });
      server = started.child;
      const token = /export TOKEN=(\S+)/.exec(started.stdout())?.[1] ?? '';
      const marker = `server-${signal}-${randomUUID()}`;
      for (const [runtime, program] of [
        ['NODE', 'forker.js'],
        ['PYTHON', 'forker.py'],
      ]) {
        const res = await fetch(`${started.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: CreateSessionDocument.toString(),
            variables: { input: { runtime, program, args: [`${marker}-${runtime}`] } },
          }),
        });
        const body = (await res.json()) as { data: { createSession: { state: string } } };
        expect(body.data.createSession.state).toBe('RUNNING');
      }
      // Both programs and their plain, setsid and double-forked children.
      await eventually(() =>
        processesRunning(`${marker}-NODE-`).length >= 3 && processesRunning(`${marker}-PYTHON-`).length >= 3 ? true : undefined,
      );
      started.child.kill(signal);
      await exitOf(started.child);
      await eventually(() => (processesRunning(marker).length === 0 ? true : undefined), 2000);
    });
  });

  it('refuses to start on a bad configuration, naming the variable', () => {
    const result = spawnSync(process.execPath, [...MAIN, 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
  });
});

describe('debug-server token', () => {
  const run = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, [...MAIN, 'token', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

  it('prints a token signed with the configured key', async () => {
    const result = run(['--sub', 'alice', '--scope', 'sessions:read debug:control', '--ttl', '1h'], { DEBUG_SERVER_JWT_SECRET: SECRET });
    expect(result.status).toBe(0);
    const principal = await new TokenService(SECRET).verify(result.stdout.trim());
    expect(principal.subject).toBe('alice');
    expect([...principal.scopes]).toEqual(['sessions:read', 'debug:control']);
    expect(principal.expiresAt! - Date.now() / 1000).toBeGreaterThan(3500);
  });

  it('refuses without a configured key, with an unknown scope, or a bad ttl', () => {
    const withoutKey = run([], { DEBUG_SERVER_JWT_SECRET: undefined });
    expect(withoutKey.status).toBe(1);
    expect(withoutKey.stderr).toMatch(/DEBUG_SERVER_JWT_SECRET is not set/);
    expect(run(['--scope', 'root'], { DEBUG_SERVER_JWT_SECRET: SECRET }).stderr).toMatch(/unknown scope/);
    expect(run(['--ttl', 'forever'], { DEBUG_SERVER_JWT_SECRET: SECRET }).status).toBe(1);
  });
});
