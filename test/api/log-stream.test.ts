import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSessionDocument, GetSessionDocument, RestartSessionDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { eventually, TestServer } from '../support/server.js';

/** GET /sessions/:id/logs: the plain HTTP log stream for curl and httpie. */
describe('GET /sessions/:id/logs', () => {
  let server: TestServer;
  let token: string;
  /** A session that wrote `line 1` … `line 50` and exited. */
  let finished: string;

  const get = (id: string, headers: Record<string, string> = {}, query = '') =>
    fetch(`${server.url}/sessions/${id}/logs${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
    finished = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/burst.js', args: ['50'] } }, token))
      .createSession.id;
    await eventually(async () =>
      (await server.ok(GetSessionDocument, { id: finished }, token)).session?.state === 'EXITED' ? true : undefined,
    );
    // An exited session could still be restarted: its streams end once it is terminated.
    await server.ok(TerminateSessionDocument, { id: finished }, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers a JSON history page by default, with a cursor to the next one', async () => {
    const res = await get(finished, {}, '?first=20');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const page = (await res.json()) as {
      lines: Array<{ seq: string; text: string; stream: string }>;
      nextCursor: string;
      lost: number;
      hasMore: boolean;
    };
    expect(page.lines.map((l) => l.text)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 1}`));
    expect(page).toMatchObject({ lost: 0, hasMore: true, nextCursor: page.lines[19]!.seq });
    const next = (await (await get(finished, {}, `?after=${page.nextCursor}&first=5`)).json()) as { lines: Array<{ text: string }> };
    expect(next.lines.map((l) => l.text)).toEqual(['line 21', 'line 22', 'line 23', 'line 24', 'line 25']);
  });

  it('streams plain text, one line per line, and ends once the session is terminated', async () => {
    const res = await get(finished, { accept: 'text/plain' });
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 1}`));
    expect(lines.slice(-2)).toEqual(['process exited with code 0', 'session terminated']);
  });

  it('follows a session across restarts, and ends when it is terminated', async () => {
    const id = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/exit-3.js' } }, token)).createSession
      .id;
    const res = await get(id, { accept: 'text/plain' });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: RegExp) => {
      while (!needle.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended early: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/process exited with code 3/);
    await server.ok(RestartSessionDocument, { id }, token);
    await readUntil(/restarting \(generation 1\)[\s\S]*process exited with code 3/);
    await server.ok(TerminateSessionDocument, { id }, token);
    await readUntil(/session terminated/);
    expect((await reader.read()).done).toBe(true);
  });

  it('streams NDJSON', async () => {
    const res = await get(finished, { accept: 'application/x-ndjson' }, '?after=48');
    const objects = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: string; stream: string; text: string; generation: number });
    expect(objects.map((o) => o.text)).toEqual(['line 49', 'line 50', 'process exited with code 0', 'session terminated']);
    expect(objects[0]).toMatchObject({ seq: '49', stream: 'STDOUT', generation: 0 });
  });

  it('streams SSE with id = seq, resumes from Last-Event-ID, and follows a live session', async () => {
    const live = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, token))
      .createSession.id;
    const controller = new AbortController();
    const res = await fetch(`${server.url}/sessions/${live}/logs`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/event: log/g) ?? []).length < 5) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const events = text.split('\n\n').filter((e) => e.includes('event: log'));
    const ids = events.map((e) => /^id: (\d+)$/m.exec(e)?.[1]);
    expect(ids.slice(0, 5)).toEqual(['1', '2', '3', '4', '5']);
    expect(JSON.parse(/^data: (.*)$/m.exec(events[0]!)![1]!)).toMatchObject({ seq: '1', text: 'tick 1', stream: 'STDOUT' });

    // Resume: the first event after Last-Event-ID 3 is line 4.
    const resumed = new AbortController();
    const again = await fetch(`${server.url}/sessions/${live}/logs`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'last-event-id': '3' },
      signal: resumed.signal,
    });
    const chunk = new TextDecoder().decode((await again.body!.getReader().read()).value);
    resumed.abort();
    expect(/^id: (\d+)$/m.exec(chunk)?.[1]).toBe('4');
    await server.ok(TerminateSessionDocument, { id: live }, token);
  });

  it('ends the SSE stream with an end event when the session is terminated', async () => {
    const live = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, token))
      .createSession.id;
    const res = await get(live, { accept: 'text/event-stream' });
    setTimeout(() => void server.ok(TerminateSessionDocument, { id: live }, token), 200);
    const text = await res.text();
    expect(text).toMatch(/session terminated/);
    expect(text.trimEnd().endsWith('event: end\ndata: {}')).toBe(true);
  });

  it('with follow=false sends the history of a live session and ends', async () => {
    const live = (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/ticker.js' } }, token))
      .createSession.id;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const text = await (await get(live, { accept: 'text/plain' }, '?follow=false')).text();
    expect(text).toMatch(/^tick 1\n/);
    await server.ok(TerminateSessionDocument, { id: live }, token);
  });

  it('uses the same auth and ownership rules as GraphQL: 401, 403, 404', async () => {
    const none = await fetch(`${server.url}/sessions/${finished}/logs`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await fetch(`${server.url}/sessions/${finished}/logs`, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    const noScope = await fetch(`${server.url}/sessions/${finished}/logs`, {
      headers: { authorization: `Bearer ${await server.token('alice', ['sessions:read'])}` },
    });
    expect(noScope.status).toBe(403);
    const bob = await fetch(`${server.url}/sessions/${finished}/logs`, {
      headers: { authorization: `Bearer ${await server.token('bob')}` },
    });
    expect(bob.status).toBe(404);
    expect((await get('no-such-session')).status).toBe(404);
  });

  it('lets Last-Event-ID win over ?after=, as an EventSource reconnecting to the same URL needs', async () => {
    const res = await get(finished, { accept: 'application/x-ndjson', 'last-event-id': '49' }, '?after=10');
    const first = JSON.parse((await res.text()).split('\n')[0]!) as { seq: string };
    expect(first.seq).toBe('50');
  });

  it('answers a malformed session id with 400 and stays up', async () => {
    const res = await fetch(`${server.url}/sessions/%E0%A4%A/logs`);
    expect(res.status).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 406 for an unsupported Accept, 400 for a bad cursor, 405 for other methods', async () => {
    expect((await get(finished, { accept: 'text/html' })).status).toBe(406);
    expect((await get(finished, {}, '?after=abc')).status).toBe(400);
    expect((await get(finished, {}, '?after=99999')).status).toBe(400);
    expect((await get(finished, { 'last-event-id': '-1' })).status).toBe(400);
    expect((await get(finished, {}, '?first=0')).status).toBe(400);
    expect((await get(finished, {}, '?follow=maybe')).status).toBe(400);
    const post = await fetch(`${server.url}/sessions/${finished}/logs`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(post.status).toBe(405);
  });
});
