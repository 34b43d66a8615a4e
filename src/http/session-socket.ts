/**
 * What the two session WebSocket endpoints (`/sessions/:id/debug`, `/sessions/:id/logs`) share:
 * authentication (the upgrade's bearer header, or a first `{"type":"auth","token":"…"}` frame),
 * ownership, token expiry, close codes, and sending under backpressure.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { atExpiry } from '../auth/expiry.js';
import type { Principal, Scope } from '../auth/scopes.js';
import type { TokenService } from '../auth/tokens.js';
import type { ApiMetrics } from '../metrics/metrics.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import { closeAll, keepAlive, type SocketEndpoint } from './socket-endpoint.js';
import { rejectUpgrade } from './upgrade-router.js';

/** Close codes of the session sockets (docs/protocol.md). */
export const SOCKET_CLOSE = {
  /** The session was terminated (or reaped): every frame for it was sent. */
  SESSION_ENDED: 1000,
  /** No token, a bad one, none in time, or the token expired (reason says which). */
  UNAUTHENTICATED: 4401,
  /** The token lacks the scope this endpoint needs. */
  FORBIDDEN: 4403,
  /** No such session (or not yours: the same answer). */
  NOT_FOUND: 4404,
} as const;

/** How long a socket without an Authorization header has to send its auth frame. */
const AUTH_TIMEOUT_MS = 10_000;
/** Past this much unsent data, a stream waits for the client to read (its tail catches up later). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Dependencies of a session socket endpoint. */
export interface SessionSocketDeps {
  registry: SessionRegistry;
  tokens: TokenService;
  logger: Logger;
  metrics: ApiMetrics;
  /** Largest message accepted (bigger ones close the socket with 1009 before they are parsed). */
  maxPayload: number;
}

/** One authenticated connection to one session. */
export interface SessionConnection {
  socket: WebSocket;
  session: Session;
  principal: Principal;
  /** Resolves when the socket closed. */
  closed: Promise<void>;
  /** Sends a text frame once the client has read enough of the earlier ones; false when the socket is gone. */
  send: (text: string) => Promise<boolean>;
}

/**
 * A session socket endpoint: upgrades, authenticates, finds the caller's session (another
 * subject's id is answered exactly like an unknown one), checks `scope`, then hands the
 * connection to `serve`. The socket closes at the token's expiry.
 */
export function sessionSocketEndpoint(
  deps: SessionSocketDeps,
  options: { name: string; scope: Scope; serve: (connection: SessionConnection, url: URL) => void },
): SocketEndpoint {
  const { tokens, registry, metrics, logger } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload });

  const accept = (socket: WebSocket, req: IncomingMessage, sessionId: string, principal: Principal): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const session = registry.find(sessionId, principal.subject);
    if (!session) return socket.close(SOCKET_CLOSE.NOT_FOUND, `no session with id "${sessionId.slice(0, 64)}"`);
    if (!principal.scopes.has(options.scope)) return socket.close(SOCKET_CLOSE.FORBIDDEN, `this needs the "${options.scope}" scope`);
    const cancelExpiry = atExpiry(principal.expiresAt, () => socket.close(SOCKET_CLOSE.UNAUTHENTICATED, 'token expired'));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    void closed.then(cancelExpiry);
    options.serve(
      {
        socket,
        session,
        principal,
        closed,
        send: async (text) => {
          while (socket.readyState === socket.OPEN && socket.bufferedAmount > MAX_BUFFERED_BYTES) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          if (socket.readyState !== socket.OPEN) return false;
          socket.send(text);
          return true;
        },
      },
      url,
    );
  };

  wss.on('connection', (socket: WebSocket, req: IncomingMessage, sessionId: string, principal: Principal | undefined) => {
    const disconnected = metrics.connectionOpened(options.name);
    const stopKeepalive = keepAlive(socket);
    socket.once('close', () => {
      stopKeepalive();
      disconnected();
    });
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refused('frame_too_large');
      else logger.debug({ err }, 'session socket error');
    });
    if (principal) return accept(socket, req, sessionId, principal);
    // No header: the first frame must be {"type":"auth","token":"…"}.
    const timer = setTimeout(() => socket.close(SOCKET_CLOSE.UNAUTHENTICATED, 'no auth frame in time'), AUTH_TIMEOUT_MS);
    socket.once('close', () => clearTimeout(timer));
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer);
      const token = authFrameToken(data.toString());
      if (token === undefined) return socket.close(SOCKET_CLOSE.UNAUTHENTICATED, 'the first frame must be {"type":"auth","token":"…"}');
      tokens.verifyHeader(`Bearer ${token}`).then(
        (verified) => {
          if (socket.readyState === socket.OPEN) accept(socket, req, sessionId, verified);
        },
        () => socket.close(SOCKET_CLOSE.UNAUTHENTICATED, 'invalid token'),
      );
    });
  });

  return {
    wss,
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>) => {
      const sessionId = params.id ?? '';
      const header = req.headers.authorization;
      if (!header) {
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, sessionId, undefined));
        return;
      }
      // A bad header is answered before the upgrade: websocat and browsers show the status.
      tokens.verifyHeader(header).then(
        (principal) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, sessionId, principal)),
        (err: unknown) =>
          rejectUpgrade(socket, 401, err instanceof Error ? err.message : 'invalid token', { 'WWW-Authenticate': 'Bearer' }),
      );
    },
    close: () => closeAll(wss),
  };
}

/** The token of an auth frame, or undefined when the frame is not one. */
function authFrameToken(text: string): string | undefined {
  try {
    const frame = JSON.parse(text) as { type?: unknown; token?: unknown };
    if (frame.type !== 'auth' || typeof frame.token !== 'string') return undefined;
    return frame.token.replace(/^bearer\s+/i, '');
  } catch {
    return undefined;
  }
}
