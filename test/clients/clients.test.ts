/**
 * The named clients, as their users set them up (the README shows the same code): Apollo Client
 * over plain HTTP (HttpLink: queries, mutations, and subscriptions over Apollo's multipart
 * protocol) and over graphql-ws (GraphQLWsLink); urql over graphql-ws and over GraphQL-over-SSE.
 * Each creates a session, follows its log and its events, and sees every line.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ContinueDocument, CreateSessionDocument as CreateDocument, TerminateSessionDocument } from '../generated/graphql.js';
import { serverForSuite } from '../support/server.js';

const CREATE = gql`
  mutation Create($program: String!, $args: [String!]) {
    createSession(input: { runtime: NODE, program: $program, args: $args, stopOnEntry: true }) {
      id
      state
    }
  }
`;
const LOGS = gql`
  subscription Logs($id: ID!) {
    logLines(sessionId: $id, after: "0") {
      seq
      text
    }
  }
`;
const EVENTS = gql`
  subscription Events($id: ID!) {
    sessionEvents(sessionId: $id) {
      kind
      state
    }
  }
`;

type LogsData = { logLines: Array<{ seq: string; text: string }> };
type EventsData = { sessionEvents: { kind: string; state: string } };

/** What one client offers: a mutation and a subscription, as its own API does them. */
interface Driver {
  create(program: string, args: string[]): Promise<string>;
  subscribe<T>(query: typeof LOGS, id: string, next: (data: T) => void): () => void;
  close(): void;
}

describe('clients: Apollo and urql', () => {
  const suite = serverForSuite();
  const authorization = () => `Bearer ${suite.token}`;

  // README: "Apollo Client over HTTP" — HttpLink streams subscriptions with the multipart protocol.
  const apolloHttp = (): Driver => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: suite.server.graphqlUrl, headers: { authorization: authorization() } }),
      cache: new InMemoryCache(),
    });
    return apolloDriver(client);
  };

  // README: "Apollo Client over WebSocket" — GraphQLWsLink with graphql-ws.
  const apolloWs = (): Driver => {
    const ws = createWsClient({
      url: suite.server.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: () => ({ authorization: authorization() }),
    });
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    const driver = apolloDriver(client);
    return { ...driver, close: () => void ws.dispose() };
  };

  function apolloDriver(client: ApolloClient): Driver {
    return {
      create: async (program, args) => {
        const { data } = await client.mutate<{ createSession: { id: string } }>({ mutation: CREATE, variables: { program, args } });
        return data?.createSession.id ?? '';
      },
      subscribe: <T>(query: typeof LOGS, id: string, next: (data: T) => void) => {
        const subscription = client.subscribe<T>({ query, variables: { id } }).subscribe({
          next: (result) => {
            if (result.data) next(result.data);
          },
        });
        return () => subscription.unsubscribe();
      },
      close: () => client.stop(),
    };
  }

  // README: "urql" — fetch for queries and mutations, graphql-ws or graphql-sse for subscriptions.
  type Forward = Parameters<typeof subscriptionExchange>[0]['forwardSubscription'];
  const urqlWith = (forwardSubscription: Forward, close: () => void): Driver => {
    const client = new UrqlClient({
      url: suite.server.graphqlUrl,
      fetchOptions: () => ({ headers: { authorization: authorization() } }),
      exchanges: [subscriptionExchange({ forwardSubscription }), fetchExchange],
    });
    return { ...urqlDriver(client), close };
  };
  const urqlWs = (): Driver => {
    const ws = createWsClient({
      url: suite.server.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: () => ({ authorization: authorization() }),
    });
    return urqlWith(
      (request) => ({ subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }) }),
      () => void ws.dispose(),
    );
  };
  const urqlSse = (): Driver => {
    const sse = createSseClient({ url: suite.server.graphqlUrl, headers: () => ({ authorization: authorization() }) });
    return urqlWith(
      (request) => ({ subscribe: (sink) => ({ unsubscribe: sse.subscribe({ ...request, query: request.query ?? '' }, sink) }) }),
      () => sse.dispose(),
    );
  };

  function urqlDriver(client: UrqlClient): Driver {
    return {
      create: async (program, args) => {
        const result = await client.mutation<{ createSession: { id: string } }>(CREATE, { program, args }).toPromise();
        if (result.error) throw result.error;
        return result.data?.createSession.id ?? '';
      },
      subscribe: <T>(query: typeof LOGS, id: string, next: (data: T) => void) => {
        const subscription = client.subscription<T>(query, { id }).subscribe((result) => {
          if (result.data) next(result.data);
        });
        return () => subscription.unsubscribe();
      },
      close: () => undefined,
    };
  }

  it.each([
    ['Apollo HttpLink (multipart subscriptions)', apolloHttp],
    ['Apollo GraphQLWsLink', apolloWs],
    ['urql over graphql-ws', urqlWs],
    ['urql over GraphQL-over-SSE', urqlSse],
  ])('%s: creates a session, follows every log line and the events', async (_name, make) => {
    const driver = make();
    try {
      const id = await driver.create('programs/burst.js', ['50']);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const lines: string[] = [];
      const kinds: string[] = [];
      const done = new Promise<void>((resolve) => {
        const stopLogs = driver.subscribe<LogsData>(LOGS, id, (data) => {
          for (const line of data.logLines) lines.push(line.text);
          if (lines.includes('line 50')) {
            stopLogs();
            resolve();
          }
        });
      });
      const exited = new Promise<void>((resolve) => {
        const stopEvents = driver.subscribe<EventsData>(EVENTS, id, (data) => {
          kinds.push(data.sessionEvents.kind);
          if (data.sessionEvents.kind === 'EXITED') {
            stopEvents();
            resolve();
          }
        });
      });
      // Both subscriptions are open before the program runs: give them a moment to be.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await suite.server.ok(ContinueDocument, { id }, suite.token);
      await Promise.all([done, exited]);
      expect(lines.filter((l) => l.startsWith('line '))).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 1}`));
      expect(kinds).toContain('EXITED');
      await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
    } finally {
      driver.close();
    }
  });

  it("speaks Apollo's multipart subscription protocol on the wire: heartbeat, payload parts, final boundary", async () => {
    const { createSession } = await suite.server.ok(
      CreateDocument,
      { input: { runtime: 'NODE', program: 'programs/burst.js', args: ['3'], stopOnEntry: true } },
      suite.token,
    );
    const res = await fetch(suite.server.graphqlUrl, {
      method: 'POST',
      headers: {
        authorization: authorization(),
        'content-type': 'application/json',
        accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0, application/json',
      },
      body: JSON.stringify({
        query: 'subscription ($id: ID!) { logLines(sessionId: $id, after: "0") { text } }',
        variables: { id: createSession.id },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    await suite.server.ok(ContinueDocument, { id: createSession.id }, suite.token);
    setTimeout(() => void suite.server.ok(TerminateSessionDocument, { id: createSession.id }, suite.token), 500);
    const body = await res.text();
    expect(body.endsWith('\r\n--graphql--\r\n')).toBe(true);
    const parts = body
      .split('\r\n--graphql')
      .slice(1, -1)
      .map((part) => JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4)) as { payload?: { data?: LogsData } });
    expect(parts[0]).toEqual({}); // the heartbeat that opens the stream
    const texts = parts.flatMap((p) => p.payload?.data?.logLines.map((l) => l.text) ?? []);
    expect(texts).toEqual(expect.arrayContaining(['line 1', 'line 2', 'line 3']));
  });
});
