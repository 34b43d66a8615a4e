/**
 * Apollo Client's HTTP subscriptions: the multipart subscription protocol
 * (https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol).
 * Apollo's `HttpLink` asks for it with `Accept: multipart/mixed;boundary="graphql";subscriptionSpec=1.0,
 * application/json`; yoga streams subscriptions over SSE only, and answered such a request 406.
 *
 * The response is `multipart/mixed;boundary="graphql";subscriptionSpec="1.0"`; each part is
 * JSON: `{"payload": <execution result>}` per event, `{}` as a heartbeat while the stream is idle,
 * and `--graphql--` when it completes. Other `multipart/mixed` requests (incremental delivery)
 * keep yoga's own processor.
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';

/** How often an idle stream sends a heartbeat part (Apollo's routers send one every 5 s). */
export const HEARTBEAT_MS = 5000;

const BOUNDARY = 'graphql';

/** True when `accept` asks for Apollo's multipart subscription protocol. */
export function wantsApolloMultipart(accept: string | null): boolean {
  return (accept ?? '')
    .toLowerCase()
    .split(',')
    .some((part) => part.includes('multipart/mixed') && part.includes('subscriptionspec'));
}

/** The plugin: a result processor for subscriptions asked for with `subscriptionSpec`. */
export function useApolloMultipartSubscriptions(heartbeatMs = HEARTBEAT_MS): Plugin {
  return {
    onResultProcess(payload) {
      const { request, result } = payload;
      if (!isAsyncIterable(result) || !wantsApolloMultipart(request.headers.get('accept'))) return;
      payload.setResultProcessor(
        (stream, fetchAPI) => multipartResponse(stream as AsyncIterable<ExecutionResult>, fetchAPI, heartbeatMs),
        'multipart/mixed',
      );
    },
  };
}

function multipartResponse(
  stream: AsyncIterable<ExecutionResult>,
  fetchAPI: { Response: typeof Response; ReadableStream: typeof ReadableStream; TextEncoder: typeof TextEncoder },
  heartbeatMs: number,
): Response {
  const encoder = new fetchAPI.TextEncoder();
  const iterator = stream[Symbol.asyncIterator]();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastPart = Date.now();
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Each part ends with the next boundary, so a client can read it as soon as it arrives.
      controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}`));
      const part = (json: string): void => {
        lastPart = Date.now();
        controller.enqueue(encoder.encode(`\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${BOUNDARY}`));
      };
      // A heartbeat right away tells the client the stream is open; then one per idle interval.
      part('{}');
      heartbeat = setInterval(() => {
        if (Date.now() - lastPart >= heartbeatMs - 50) part('{}');
      }, heartbeatMs);
      void (async () => {
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done) break;
            part(JSON.stringify({ payload: publicResult(next.value) }));
          }
        } catch (err) {
          // A failure of the stream itself: Apollo's transport-level error part.
          part(JSON.stringify({ payload: null, errors: [{ message: err instanceof Error ? err.message : 'subscription failed' }] }));
        } finally {
          clearInterval(heartbeat);
        }
        controller.enqueue(encoder.encode('--\r\n'));
        controller.close();
      })();
    },
    cancel() {
      clearInterval(heartbeat);
      void iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: {
      'content-type': `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
  });
}

/** An execution result as sent: errors without yoga's internal `http` extension. */
function publicResult(result: ExecutionResult): unknown {
  if (!result.errors) return result;
  return {
    ...result,
    errors: result.errors.map((error) => {
      const json = error.toJSON();
      if (json.extensions && 'http' in json.extensions) {
        const { http: _http, ...extensions } = json.extensions;
        return { ...json, extensions };
      }
      return json;
    }),
  };
}
