import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { SCOPES } from '../auth/scopes.js';
import { atExpiry } from '../auth/expiry.js';
import type { TokenService } from '../auth/tokens.js';
import type { ApiMetrics } from '../metrics/metrics.js';
import { encodeLogBatch, jsonArrayOf } from '../logs/encoders.js';
import { parseCursor } from '../logs/log-line.js';
import { LogTail } from '../logs/log-tail.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';

/** How often an idle SSE stream sends a comment, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;
const MAX_BATCH = 1000;

type Format = 'sse' | 'text' | 'ndjson' | 'json';

const CONTENT_TYPE: Record<Format, string> = {
  sse: 'text/event-stream; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * `GET /sessions/:id/logs`: the session log for curl and httpie, with the same bearer auth and
 * ownership rules as GraphQL. `Accept` picks the format: SSE (`id:` = seq, `Last-Event-ID`
 * resumes), chunked text, NDJSON, or a JSON history page (the default). Streams replay from the
 * cursor (default: the oldest buffered line), follow live across restarts, and end once the
 * session is terminated (or reaped) and every line was sent; `?follow=false` sends the history
 * and ends.
 */
export async function handleLogStream(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sessionId: string,
  deps: { registry: SessionRegistry; tokens: TokenService; logger: Logger; metrics: ApiMetrics },
): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, 'only GET is allowed', { allow: 'GET, HEAD' });
    }
    const header = req.headers.authorization;
    if (!header) return sendError(res, 401, 'a bearer token is required', { 'www-authenticate': 'Bearer' });
    let principal;
    try {
      principal = await deps.tokens.verifyHeader(header);
    } catch (err) {
      return sendError(res, 401, err instanceof Error ? err.message : 'invalid token', { 'www-authenticate': 'Bearer' });
    }
    if (!principal.scopes.has(SCOPES.LOGS_READ)) return sendError(res, 403, `this needs the "${SCOPES.LOGS_READ}" scope`);
    const session = deps.registry.find(sessionId, principal.subject);
    if (!session) return sendError(res, 404, `no session with id "${sessionId}"`);

    const format = negotiate(req.headers.accept);
    if (!format) return sendError(res, 406, `supported types: ${Object.values(CONTENT_TYPE).join(', ')}`);

    // Last-Event-ID wins: an EventSource reconnects to the same URL (with its ?after=) and sends
    // the id of the last event it got, which is where it must resume.
    const cursorText = headerValue(req.headers['last-event-id']) ?? url.searchParams.get('after');
    let after = 0;
    if (cursorText !== undefined && cursorText !== null) {
      const seq = parseCursor(cursorText);
      if (seq === undefined || seq > session.logs.lastSeq) return sendError(res, 400, `"${cursorText}" is not a valid log cursor`);
      after = seq;
    }
    const first = url.searchParams.get('first');
    const limit = first === null ? 100 : Number(first);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) return sendError(res, 400, `first must be between 1 and ${MAX_BATCH}`);
    const follow = url.searchParams.get('follow');
    if (follow !== null && follow !== 'true' && follow !== 'false') return sendError(res, 400, 'follow must be true or false');

    if (format === 'json') {
      const slice = session.logs.batchAfter(after, limit);
      const next = slice.batch.length > 0 ? slice.batch.lastSeq : after + slice.lost;
      res.writeHead(200, { 'content-type': CONTENT_TYPE.json, 'cache-control': 'no-store' });
      // The lines are written by the shared encoder, then spliced in.
      const rest = JSON.stringify({ nextCursor: next > 0 ? String(next) : null, lost: slice.lost, hasMore: slice.hasMore });
      res.end(`{"lines":${jsonArrayOf(slice.batch)},${rest.slice(1)}`);
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-type': CONTENT_TYPE[format] });
      res.end();
      return;
    }
    await stream(req, res, session, format, after, follow !== 'false', principal.expiresAt, deps.metrics);
  } catch (err) {
    deps.logger.error({ err }, 'log stream failed');
    if (!res.headersSent) sendError(res, 500, 'internal error');
    else res.destroy();
  }
}

async function stream(
  req: IncomingMessage,
  res: ServerResponse,
  session: Session,
  format: StreamFormat,
  after: number,
  follow: boolean,
  expiresAt: number | undefined,
  metrics: ApiMetrics,
): Promise<void> {
  const tail = new LogTail(session, after, MAX_BATCH, metrics.logMeter('rest'));
  const subscribed = metrics.subscriberOpened('logs', 'rest');
  res.writeHead(200, {
    'content-type': CONTENT_TYPE[format],
    'cache-control': 'no-cache, no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  let open = true;
  const stop = (): void => {
    open = false;
    void tail.return();
  };
  req.on('close', stop);
  res.on('close', stop);
  // A stream does not outlive its credentials: it ends, saying why, when the token expires.
  let expired = false;
  const cancelExpiry = atExpiry(expiresAt, () => {
    expired = open;
    stop();
  });
  const heartbeat =
    format === 'sse'
      ? setInterval(() => {
          if (open) res.write(': heartbeat\n\n');
        }, HEARTBEAT_MS)
      : undefined;
  // Every way a session ends appends a SYSTEM line, so a waiting tail always wakes to see it.
  try {
    // Like the GraphQL streams, it follows the session across restarts: only a terminated (or
    // reaped, which terminates) session has no more lines to come.
    const done = (): boolean => !open || ((!follow || session.state === 'TERMINATED') && tail.position >= session.logs.lastSeq);
    while (!done()) {
      const next = await tail.next();
      if (next.done || !open) break;
      if (!res.write(encodeLogBatch(next.value, format))) await drained(res);
    }
    if (open && format === 'sse') res.write('event: end\ndata: {}\n\n');
  } finally {
    subscribed();
    clearInterval(heartbeat);
    cancelExpiry();
    void tail.return();
    req.off('close', stop);
    if (expired) res.end(EXPIRED[format]);
    else if (open) res.end();
  }
}

/** The last thing a stream sends when its token expired (the client should get a new one and resume). */
const EXPIRED: Record<StreamFormat, string> = {
  sse: 'event: expired\ndata: {"error":"token expired"}\n\n',
  ndjson: '{"error":"token expired"}\n',
  text: 'debug-server: token expired, stream ended\n',
};

type StreamFormat = Exclude<Format, 'json'>;

/** Resolves when the response can take more, or is gone; leaves no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Picks a format from `Accept` (quality values honoured); undefined → 406. */
export function negotiate(accept: string | undefined): Format | undefined {
  if (!accept || accept.trim() === '') return 'json';
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranked) {
    if (type === 'text/event-stream') return 'sse';
    if (type === 'text/plain') return 'text';
    if (type === 'application/x-ndjson') return 'ndjson';
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return 'json';
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: message }));
}
