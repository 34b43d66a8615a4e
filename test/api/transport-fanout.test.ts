/**
 * One session's log watched with the same query text and variables over every transport at once:
 * results shared between subscribers must never cross from one transport's encoding to another's.
 */
import { describe, expect, it } from 'vitest';
import {
  ContinueDocument,
  CreateSessionDocument,
  LogLinesDocument,
  TerminateSessionDocument,
  type LogLinesSubscription,
} from '../generated/graphql.js';
import { collect, serverForSuite } from '../support/server.js';

type LogLine = LogLinesSubscription['logLines'][number];
const N = 2000;
const isLine = (l: unknown): l is LogLine =>
  typeof l === 'object' && l !== null && typeof (l as LogLine).seq === 'string' && typeof (l as LogLine).text === 'string';

describe('one log, every transport, identical operations', () => {
  const suite = serverForSuite();

  it('graphql-ws, GraphQL-over-SSE and the REST SSE stream each get every line, in their own shape', async () => {
    const { createSession } = await suite.server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'programs/burst.js', args: [String(N)], stopOnEntry: true } },
      suite.token,
    );
    const id = createSession.id;
    const variables = { id, after: '0' };
    const until = (batches: Array<{ data?: LogLinesSubscription | null }>) =>
      batches.flatMap((b) => (Array.isArray(b.data?.logLines) ? b.data.logLines : [])).some((l) => l.text === `line ${N}`);
    const ws = suite.server.ws(`Bearer ${suite.token}`);
    const sse = suite.server.sse(`Bearer ${suite.token}`);
    // Two of each GraphQL transport, so each shares results with a twin as well as across; one
    // transport's subscribers settled before the other's, so either may compute first.
    const subscribe = (client: typeof ws | typeof sse) =>
      collect<{ data?: LogLinesSubscription | null }>(
        (sink) => client.subscribe({ query: LogLinesDocument.toString(), variables }, sink),
        until,
      );
    const subscribers = [subscribe(ws), subscribe(ws)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscribers.push(subscribe(sse), subscribe(sse));
    const rest = fetch(`${suite.server.url}/sessions/${id}/logs?after=0`, {
      headers: { authorization: `Bearer ${suite.token}`, accept: 'text/event-stream' },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await suite.server.ok(ContinueDocument, { id }, suite.token);

    for (const subscriber of subscribers) {
      const batches = await subscriber.done;
      subscriber.stop();
      for (const batch of batches) {
        expect(Array.isArray(batch.data?.logLines), JSON.stringify(batch).slice(0, 200)).toBe(true);
        expect(batch.data!.logLines.every(isLine)).toBe(true);
      }
      const texts = batches
        .flatMap((b) => b.data!.logLines)
        .filter((l) => l.stream === 'STDOUT')
        .map((l) => l.text);
      expect(texts).toEqual(Array.from({ length: N }, (_, i) => `line ${i + 1}`));
    }
    // The REST stream follows the session until it is terminated.
    await suite.server.ok(TerminateSessionDocument, { id }, suite.token);
    const body = await (await rest).text();
    const events = body.split('\n\n').filter((e) => e.includes('event: log'));
    const restTexts = events.map((e) => (JSON.parse(/^data: (.*)$/m.exec(e)![1]!) as LogLine).text).filter((t) => t.startsWith('line '));
    expect(restTexts).toHaveLength(N);
    await ws.dispose();
    sse.dispose();
  });
});
