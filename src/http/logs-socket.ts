/**
 * `ws://…/sessions/:id/logs`: the REST log stream over a WebSocket, for websocat and browsers.
 * One line per text frame: a JSON object (`{"seq","stream","text","time","generation"}`), or the
 * bare text with `?format=text`. `?after=<seq>` resumes after a line (`0`: from the oldest
 * buffered one, the default); lines no longer buffered come as one SYSTEM line saying how many.
 * The stream follows restarts and ends (close 1000) once the session is terminated and every line
 * was sent. Needs `logs:read`.
 */
import { SCOPES } from '../auth/scopes.js';
import { parseCursor } from '../logs/log-line.js';
import { LogTail } from '../logs/log-tail.js';
import { encodeLogBatch } from '../logs/encoders.js';
import { SOCKET_CLOSE, sessionSocketEndpoint, type SessionSocketDeps } from './session-socket.js';
import type { SocketEndpoint } from './socket-endpoint.js';

/** Most lines read from the buffer at once. */
const MAX_BATCH = 1000;

/** The `/sessions/:id/logs` WebSocket endpoint. */
export function logsSocketEndpoint(deps: SessionSocketDeps): SocketEndpoint {
  return sessionSocketEndpoint(deps, {
    name: '/sessions/:id/logs',
    scope: SCOPES.LOGS_READ,
    serve: ({ socket, session, closed, send }, url) => {
      const format = url.searchParams.get('format') ?? 'json';
      if (format !== 'json' && format !== 'text') return socket.close(4400, 'format must be json or text');
      const afterText = url.searchParams.get('after');
      const after = afterText === null ? 0 : parseCursor(afterText);
      if (after === undefined || after > session.logs.lastSeq) return socket.close(4400, `"${afterText}" is not a valid log cursor`);
      const tail = new LogTail(session, after, MAX_BATCH, deps.metrics.logMeter('ws-logs'));
      const unsubscribed = deps.metrics.subscriberOpened('logs', 'ws-logs');
      void closed.then(() => {
        unsubscribed();
        void tail.return();
      });
      void (async () => {
        const done = (): boolean => session.state === 'TERMINATED' && tail.position >= session.logs.lastSeq;
        while (!done()) {
          const next = await tail.next();
          if (next.done) break;
          const text = encodeLogBatch(next.value, format === 'text' ? 'text' : 'ndjson');
          for (const line of text.split('\n')) {
            if (line === '' || !(await send(line))) continue;
          }
          if (socket.readyState !== socket.OPEN) return;
        }
        socket.close(SOCKET_CLOSE.SESSION_ENDED, 'session terminated');
      })().catch(() => socket.close(1011, 'internal error'));
    },
  });
}
