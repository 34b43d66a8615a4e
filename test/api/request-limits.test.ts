/** Bounds of one operation and of one socket, equal on HTTP and graphql-ws. */
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CreateSessionDocument, SessionEventsDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { serverForSuite } from '../support/server.js';

describe('request limits', () => {
  const suite = serverForSuite({ DEBUG_SERVER_MAX_SUBSCRIPTIONS_PER_SOCKET: '5' });

  /** The first error of `query` over graphql-ws. */
  const overWs = async (query: string): Promise<string> => {
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    try {
      return await new Promise<string>((resolve) => {
        ws.subscribe(
          { query },
          {
            next: (value) => resolve(JSON.stringify(value)),
            error: (err) => resolve(JSON.stringify(err)),
            complete: () => resolve('complete'),
          },
        );
      });
    } finally {
      await ws.dispose();
    }
  };

  it('refuses an operation without credentials before parsing it', async () => {
    const res = await suite.server.raw('{ this is not graphql', {}, undefined);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  const tooMany = {
    tokens: `{ ${Array.from({ length: 6000 }, () => 'sessions { id }').join(' ')} }`,
    aliases: `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: sessions { id }`).join(' ')} }`,
  };
  // __schema › types › fields › type › ofType × 17 › name: 21 levels.
  const deep = `{ __schema { types { fields { type { ${'ofType { '.repeat(17)}name${' }'.repeat(17)} } } } } }`;

  it.each([
    // The parser stops at the limit: yoga's code for a document it could not parse.
    ['more than 10,000 tokens', tooMany.tokens, /more than 10000 tokens/, 'GRAPHQL_PARSE_FAILED'],
    ['more than 50 aliases', tooMany.aliases, /aliases/, 'BAD_USER_INPUT'],
    ['more than 20 levels', deep, /levels deep/, 'BAD_USER_INPUT'],
  ])('refuses %s with a typed error on HTTP and graphql-ws', async (_, query, message, code) => {
    const res = await suite.server.raw(query, {}, `Bearer ${suite.token}`);
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.errors?.[0]?.message).toMatch(message);
    expect(await overWs(query)).toMatch(message);
  });

  it('accepts what clients send (GraphiQL-depth introspection, a session with its stack)', async () => {
    for (const query of [
      getIntrospectionQuery(),
      '{ sessions { id threads { id } stackTrace { id name } breakpoints { id } snapshot { frame { id } variables { name } } } }',
    ]) {
      const res = await suite.server.raw(query, {}, `Bearer ${suite.token}`);
      expect(res.errors).toBeUndefined();
    }
  });

  it('caps the operations one socket runs at once (LIMIT_EXCEEDED), and frees a place when one ends', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/ticker.js', stopOnEntry: true } },
      suite.token,
    );
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    const subscribe = () =>
      new Promise<string>((resolve) => {
        const dispose = ws.subscribe(
          { query: SessionEventsDocument.toString(), variables: { id: createSession.id } },
          { next: () => undefined, error: (err) => resolve(JSON.stringify(err)), complete: () => resolve('complete') },
        );
        setTimeout(() => resolve('running'), 500);
        disposers.push(dispose);
      });
    const disposers: Array<() => void> = [];
    const first = await Promise.all(Array.from({ length: 5 }, subscribe));
    expect(first).toEqual(Array(5).fill('running'));
    expect(await subscribe()).toMatch(/LIMIT_EXCEEDED|5 operations at once/);
    disposers[0]!();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await subscribe()).toBe('running');
    for (const dispose of disposers) dispose();
    await ws.dispose();
    await suite.server.ok(TerminateSessionDocument, { id: createSession.id }, suite.token);
  });
});
