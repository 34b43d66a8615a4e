/** What a hostile web page (DNS rebinding, cross-origin calls) and an oversized request meet. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestServer } from '../support/server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch will not send a Host header of our choosing). */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser hygiene and request size', () => {
  let server: TestServer;
  let configured: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start();
    configured = await TestServer.start({ DEBUG_SERVER_ALLOWED_HOSTS: 'debug.internal', DEBUG_SERVER_CORS_ORIGINS: 'https://app.example' });
    token = await server.token('alice');
  });
  afterAll(async () => {
    await server.stop();
    await configured.stop();
  });

  const query = JSON.stringify({ query: '{ sessions { id } }' });
  const post = (target: TestServer, host: string, extra: Record<string, string> = {}) =>
    send(target.url, {
      method: 'POST',
      path: '/graphql',
      headers: {
        host,
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'content-length': String(query.length),
        ...extra,
      },
      body: query,
    });

  it('a loopback server answers only to loopback host names (and the configured ones): 421 otherwise, on every path', async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`])
      expect((await post(server, host)).status).toBe(200);
    for (const host of [`evil.example:${port}`, 'evil.example', `192.168.1.10:${port}`]) {
      expect((await post(server, host)).status).toBe(421);
      expect((await send(server.url, { path: '/healthz', headers: { host } })).status).toBe(421);
      expect((await send(server.url, { path: '/sessions/x/logs', headers: { host, authorization: `Bearer ${token}` } })).status).toBe(421);
    }
    const ws = new WebSocket(server.graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws', {
      headers: { host: `evil.example:${port}` },
    });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(421);
    expect((await post(configured, 'debug.internal')).status).toBe(200);
    expect((await post(configured, 'evil.example')).status).toBe(421);
  });

  it('reflects no origin: CORS only for configured origins, never with credentials', async () => {
    const port = new URL(server.url).port;
    const evil = await post(server, `localhost:${port}`, { origin: 'https://evil.example' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await send(server.url, {
      method: 'OPTIONS',
      path: '/graphql',
      headers: { host: `localhost:${port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const configuredPort = new URL(configured.url).port;
    const allowed = await post(configured, `localhost:${configuredPort}`, { origin: 'https://app.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-allow-credentials']).not.toBe('true');
    const other = await post(configured, `localhost:${configuredPort}`, { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).not.toBe('https://evil.example');
  });

  it('refuses bodies over 1 MiB (413, answered to a sender still sending) or without a length (411), and WebSocket messages over 1 MiB (1009)', async () => {
    const port = new URL(server.url).port;
    // 10 MB: still being sent when the answer comes, which the client must get (not a reset).
    const big = JSON.stringify({ query: `{ sessions { id } } # ${'x'.repeat(10 * 1024 * 1024)}` });
    for (let i = 0; i < 3; i++) {
      const tooBig = await send(server.url, {
        method: 'POST',
        path: '/graphql',
        headers: { host: `localhost:${port}`, 'content-type': 'application/json', 'content-length': String(big.length) },
        body: big,
      });
      expect(tooBig.status).toBe(413);
    }
    const chunked = await send(server.url, {
      method: 'POST',
      path: '/graphql',
      headers: { host: `localhost:${port}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: query,
    });
    expect(chunked.status).toBe(411);
    const ws = new WebSocket(server.graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, pad: 'x'.repeat(2 * 1024 * 1024) } }));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1009);
  });
});
