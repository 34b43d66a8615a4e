import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContinueDocument,
  CreateSessionDocument,
  LogLinesDocument,
  RestartSessionDocument,
  SessionEventsDocument,
  StepDocument,
  TerminateSessionDocument,
  VariableSnapshotsDocument,
  type LogLinesSubscription,
  type SessionEventsSubscription,
  type VariableSnapshotsSubscription,
} from '../generated/graphql.js';
import { collect, TestServer } from '../support/server.js';

type Sink<T> = { next: (value: T) => void; error: (err: unknown) => void; complete: () => void };
type Result<T> = { data?: T | null; errors?: unknown };

/** The two GraphQL streaming transports, driven by their own official clients. */
const transports = ['graphql-ws', 'GraphQL over SSE'] as const;

describe.each(transports)('subscriptions over %s', (transport) => {
  let server: TestServer;
  let token: string;
  let subscribe: <T>(query: string, variables: Record<string, unknown>, sink: Sink<Result<T>>) => () => void;
  let dispose: () => Promise<void> | void;

  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
    if (transport === 'graphql-ws') {
      const client = server.ws(`Bearer ${token}`);
      subscribe = (query, variables, sink) => client.subscribe({ query, variables }, sink as never);
      dispose = () => client.dispose();
    } else {
      const client = server.sse(`Bearer ${token}`);
      subscribe = (query, variables, sink) => client.subscribe({ query, variables }, sink as never);
      dispose = () => client.dispose();
    }
  });
  afterAll(async () => {
    await dispose();
    await server.stop();
  });

  const create = async (program: string, stopOnEntry: boolean, args: string[] = []) =>
    (await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program, stopOnEntry, args } }, token)).createSession;

  it('streams session events: stopped, continued, exited, then terminated and completes', async () => {
    const session = await create('programs/counter.js', true);
    const events = collect<Result<SessionEventsSubscription>>(
      (sink) => subscribe(SessionEventsDocument.toString(), { id: session.id }, sink),
      () => false,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await server.ok(StepDocument, { id: session.id }, token);
    await server.ok(ContinueDocument, { id: session.id }, token);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
    await events.completed;
    const kinds = events.items.map((i) => i.data?.sessionEvents.kind);
    expect(kinds).toEqual(['CONTINUED', 'STOPPED', 'CONTINUED', 'EXITED', 'TERMINATED']);
    const stopped = events.items[1]?.data?.sessionEvents;
    expect(stopped).toMatchObject({ state: 'PAUSED', stoppedAt: { reason: 'step', line: 7 } });
    expect(events.items[3]?.data?.sessionEvents).toMatchObject({ state: 'EXITED', exitCode: 0 });
  });

  it('replays log lines after a cursor, then goes live, with no gap and no duplicate', async () => {
    const session = await create('programs/ticker.js', false);
    // Let some lines accumulate, then subscribe from the start.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = collect<Result<LogLinesSubscription>>(
      (sink) => subscribe(LogLinesDocument.toString(), { id: session.id, after: '0' }, sink),
      (items) => items.flatMap((i) => i.data?.logLines ?? []).length >= 30,
    );
    const all = (await lines.done).flatMap((i) => i.data?.logLines ?? []);
    lines.stop();
    const ticks = all.map((l) => Number(/tick (\d+)/.exec(l.text)?.[1]));
    expect(ticks.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const seqs = all.map((l) => Number(l.seq));
    expect(new Set(seqs).size).toBe(seqs.length);

    // Resume after the 10th line: the next one is the 11th.
    const resumed = collect<Result<LogLinesSubscription>>(
      (sink) => subscribe(LogLinesDocument.toString(), { id: session.id, after: all[9]!.seq }, sink),
      (items) => items.length > 0,
    );
    const first = (await resumed.done)[0]?.data?.logLines[0];
    resumed.stop();
    expect(first?.text).toBe('tick 11');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('delivers one variable snapshot per stop, with what changed', async () => {
    const session = await create('programs/counter.js', true);
    const snapshots = collect<Result<VariableSnapshotsSubscription>>(
      (sink) => subscribe(VariableSnapshotsDocument.toString(), { id: session.id }, sink),
      (items) => items.length >= 4,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await server.ok(StepDocument, { id: session.id }, token); // → line 7, `let i = 1`
    await server.ok(StepDocument, { id: session.id }, token); // → line 7, `i <= 3`
    await server.ok(StepDocument, { id: session.id }, token); // → line 8
    const items = (await snapshots.done).map((i) => i.data?.variableSnapshots);
    snapshots.stop();
    // The first is the current stop (entry), then one per step.
    expect(items.map((s) => s?.frame.line)).toEqual([6, 7, 7, 8]);
    expect(items[1]?.reason).toBe('step');
    const total = items[1]?.variables.find((v) => v.name === 'total');
    expect(total?.value).toBe('0');
    expect(items[1]?.changed).toContain('total');
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('keeps streaming across a restart: RESTARTED, generation + 1, sequence numbers go on', async () => {
    const session = await create('programs/burst.js', true, ['5']);
    const events = collect<Result<SessionEventsSubscription>>(
      (sink) => subscribe(SessionEventsDocument.toString(), { id: session.id }, sink),
      (items) => items.some((i) => i.data?.sessionEvents.kind === 'RESTARTED'),
    );
    const logs = collect<Result<LogLinesSubscription>>(
      (sink) => subscribe(LogLinesDocument.toString(), { id: session.id, after: '0' }, sink),
      (items) => items.flatMap((i) => i.data?.logLines ?? []).filter((l) => l.generation === 1 && l.text.startsWith('line')).length >= 5,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await server.ok(ContinueDocument, { id: session.id }, token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const restarted = (await server.ok(RestartSessionDocument, { id: session.id }, token)).restartSession;
    expect(restarted.generation).toBe(1);
    await server.ok(ContinueDocument, { id: session.id }, token);
    const restartEvent = (await events.done).find((i) => i.data?.sessionEvents.kind === 'RESTARTED');
    expect(restartEvent?.data?.sessionEvents.generation).toBe(1);
    const lines = (await logs.done).flatMap((i) => i.data?.logLines ?? []);
    const program = lines.filter((l) => l.stream === 'STDOUT').map((l) => `${l.generation}:${l.text}`);
    expect(program).toEqual([0, 1].flatMap((g) => [1, 2, 3, 4, 5].map((n) => `${g}:line ${n}`)));
    const seqs = lines.map((l) => Number(l.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
    await events.completed;
    await logs.completed;
  });

  it('answers NOT_FOUND for a session that is not there', async () => {
    const events = collect<Result<SessionEventsSubscription>>(
      (sink) => subscribe(SessionEventsDocument.toString(), { id: 'missing' }, sink),
      () => false,
    );
    const items = await events.done.catch((err: unknown) => [err]);
    expect(JSON.stringify(items)).toMatch(/NOT_FOUND/);
  });
});
