import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContinueDocument,
  CreateSessionDocument,
  GetSessionDocument,
  SetExceptionBreakpointsDocument,
  TerminateSessionDocument,
} from '../generated/graphql.js';
import { eventually, TestServer } from '../support/server.js';

describe('exception breakpoints', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start();
    token = await server.token('alice');
  });
  afterAll(async () => {
    await server.stop();
  });

  const pausedAt = (id: string) =>
    eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id }, token)).session;
      return s?.state === 'PAUSED' || s?.state === 'EXITED' ? s : undefined;
    });

  it('ALL stops where a caught exception is thrown, with its description', async () => {
    const session = (
      await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'programs/throws.js', stopOnEntry: true } }, token)
    ).createSession;
    const set = (await server.ok(SetExceptionBreakpointsDocument, { id: session.id, filters: ['ALL'] }, token)).setExceptionBreakpoints;
    expect(set.exceptionFilters).toEqual(['ALL']);
    await server.ok(ContinueDocument, { id: session.id }, token);
    const stopped = await pausedAt(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'exception', line: 2 });
    expect(stopped.stoppedAt?.description).toMatch(/bad n 2/);
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });

  it('UNCAUGHT skips caught exceptions and stops at the uncaught one; none lets it crash', async () => {
    const session = (
      await server.ok(
        CreateSessionDocument,
        { input: { runtime: 'NODE', program: 'programs/throws.js', exceptionFilters: ['UNCAUGHT'] } },
        token,
      )
    ).createSession;
    const stopped = await pausedAt(session.id);
    expect(stopped.stoppedAt).toMatchObject({ reason: 'exception', line: 13 });
    expect(stopped.stoppedAt?.description).toMatch(/TypeError/);
    await server.ok(SetExceptionBreakpointsDocument, { id: session.id, filters: [] }, token);
    await server.ok(ContinueDocument, { id: session.id }, token);
    const ended = await eventually(async () => {
      const s = (await server.ok(GetSessionDocument, { id: session.id }, token)).session;
      return s?.state === 'EXITED' ? s : undefined;
    });
    expect(ended.exitCode).toBe(1);
    await server.ok(TerminateSessionDocument, { id: session.id }, token);
  });
});
