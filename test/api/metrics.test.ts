/**
 * `GET /metrics` scraped as Prometheus would (bearer token, `metrics:read`), parsed with a real
 * exposition-format parser, and read for what real traffic did.
 */
import { request } from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SCOPES } from '../../src/auth/scopes.js';
import {
  CreateSessionDocument,
  EvalDocument,
  LogLinesDocument,
  StepDocument,
  TerminateSessionDocument,
  type LogLinesSubscription,
} from '../generated/graphql.js';
import { collect, serverForSuite } from '../support/server.js';

type Families = ReturnType<typeof parsePrometheusTextFormat> & { text: string };

/** The value of one sample of a family, matched by labels (0 when absent). */
function sample(families: Families, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const match = family?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) ?? [];
  return match.reduce((sum, m) => sum + Number(m.value ?? 0), 0);
}

/**
 * Observations of one histogram series. The parser folds a histogram's labelled series into one,
 * so its `_count` lines are read here (exact label set, in prom-client's order).
 */
function histogramCount(families: Families, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = families.text.split('\n').find((l) => l.startsWith(`${name}_count{${wanted}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  const suite = serverForSuite({ DEBUG_SERVER_MAX_SESSIONS_PER_OWNER: '2' });

  const scrape = async (): Promise<Families> => {
    const token = await suite.server.token('prometheus', [SCOPES.METRICS_READ]);
    const res = await fetch(`${suite.server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return Object.assign(parsePrometheusTextFormat(text), { text });
  };

  it('needs a token with the metrics:read scope', async () => {
    const none = await fetch(`${suite.server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await fetch(`${suite.server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    const noScope = await fetch(`${suite.server.url}/metrics`, {
      headers: { authorization: `Bearer ${await suite.server.token('bob', [SCOPES.SESSIONS_READ])}` },
    });
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toEqual({ error: 'this needs the "metrics:read" scope' });
    const post = await fetch(`${suite.server.url}/metrics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await suite.server.token('prometheus', [SCOPES.METRICS_READ])}`, 'content-length': '0' },
    });
    expect(post.status).toBe(405);
  });

  it('counts sessions, processes, subscribers, connections, log lines, command latency and refusals', async () => {
    const before = await scrape();
    expect(sample(before, 'debug_server_process_resident_memory_bytes')).toBeGreaterThan(0);
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } },
      suite.token,
    );
    const id = createSession.id;
    await suite.server.ok(StepDocument, { id }, suite.token);
    await suite.server.ok(EvalDocument, { id, expression: "console.log('metered'), 1 + 1" }, suite.token);

    // A live graphql-ws subscriber, and one REST stream, while we scrape.
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    const logs = collect<{ data?: LogLinesSubscription | null }>(
      (sink) => ws.subscribe({ query: LogLinesDocument.toString(), variables: { id, after: '0' } }, sink),
      (items) => JSON.stringify(items).includes('metered'),
    );
    await logs.done;
    const rest = new AbortController();
    const restResponse = await fetch(`${suite.server.url}/sessions/${id}/logs?after=0`, {
      headers: { authorization: `Bearer ${suite.token}`, accept: 'text/event-stream' },
      signal: rest.signal,
    });
    expect(restResponse.status).toBe(200);

    // Refusals: a wrong Host, a quota.
    // (fetch may not set Host: node:http does.)
    const wrongHost = await new Promise<number | undefined>((resolve, reject) =>
      request({ host: '127.0.0.1', port: new URL(suite.server.url).port, path: '/graphql', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(wrongHost).toBe(421);
    await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } },
      suite.token,
    );
    const third = await suite.server.request(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/counter.js', stopOnEntry: true } },
      suite.token,
    );
    expect(third.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    // A refused shape (too many aliases), over graphql-ws.
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: sessions { id }`).join(' ');
    const refused = await new Promise<unknown>((resolve) =>
      ws.subscribe({ query: `{ ${aliases} }` }, { next: () => undefined, error: resolve, complete: () => resolve(undefined) }),
    );
    expect(JSON.stringify(refused)).toContain('"limit":"aliases"');

    const during = await scrape();
    expect(sample(during, 'debug_server_sessions', { runtime: 'NODE', state: 'PAUSED' })).toBeGreaterThanOrEqual(2);
    expect(sample(during, 'debug_server_debuggee_processes', { runtime: 'NODE' })).toBeGreaterThanOrEqual(2);
    expect(
      sample(during, 'debug_server_sessions_created_total', { runtime: 'NODE' }) -
        sample(before, 'debug_server_sessions_created_total', { runtime: 'NODE' }),
    ).toBe(2);
    expect(sample(during, 'debug_server_subscribers', { stream: 'logs', transport: 'graphql-ws' })).toBe(1);
    expect(sample(during, 'debug_server_subscribers', { stream: 'logs', transport: 'rest' })).toBe(1);
    expect(sample(during, 'debug_server_websocket_connections', { endpoint: '/graphql' })).toBe(1);
    expect(sample(during, 'debug_server_log_lines_read_total', { runtime: 'NODE' })).toBeGreaterThan(0);
    expect(sample(during, 'debug_server_log_lines_delivered_total', { transport: 'graphql-ws' })).toBeGreaterThan(0);
    expect(
      histogramCount(during, 'debug_server_command_duration_seconds', {
        command: 'step',
        runtime: 'NODE',
        transport: 'http',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      histogramCount(during, 'debug_server_command_duration_seconds', {
        command: 'eval',
        runtime: 'NODE',
        transport: 'http',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(sample(during, 'debug_server_request_refusals_total', { reason: 'host' })).toBe(1);
    expect(sample(during, 'debug_server_request_refusals_total', { reason: 'sessions_per_owner' })).toBe(1);
    expect(sample(during, 'debug_server_request_refusals_total', { reason: 'aliases' })).toBe(1);
    expect(during.find((f) => f.name === 'debug_server_command_duration_seconds')?.type).toBe('HISTOGRAM');

    rest.abort();
    await ws.dispose();
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
    await expect.poll(async () => sample(await scrape(), 'debug_server_subscribers', { stream: 'logs' })).toBe(0);
    const after = await scrape();
    expect(sample(after, 'debug_server_sessions_ended_total', { runtime: 'NODE', state: 'TERMINATED' })).toBe(1);
    expect(sample(after, 'debug_server_websocket_connections', { endpoint: '/graphql' })).toBe(0);
  });

  it('counts WebSocket frames refused for their size', async () => {
    const socket = new WebSocket(suite.server.graphqlUrl.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    await expect.poll(async () => sample(await scrape(), 'debug_server_request_refusals_total', { reason: 'frame_too_large' })).toBe(1);
  });
});
