/**
 * Routes every WebSocket upgrade of the server by path to its endpoint, after the same checks as
 * an HTTP request (Host, …). An upgrade to any other path gets a 404 that says which exist.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiMetrics } from '../metrics/metrics.js';
import { refusalReason, type Refusal } from './request-guard.js';
import type { SocketEndpoint } from './socket-endpoint.js';

/** One endpoint and the paths it answers; `match` returns what the path names, or undefined. */
export interface UpgradeRoute {
  match: (pathname: string) => Record<string, string> | undefined;
  endpoint: SocketEndpoint;
}

/** A route for `/sessions/:id/<suffix>`. */
export function sessionRoute(suffix: string, endpoint: SocketEndpoint): UpgradeRoute {
  const pattern = new RegExp(`^/sessions/([^/]+)/${suffix}$`);
  return {
    endpoint,
    match: (pathname) => {
      const raw = pattern.exec(pathname)?.[1];
      if (raw === undefined) return undefined;
      try {
        return { id: decodeURIComponent(raw) };
      } catch {
        return { id: raw };
      }
    },
  };
}

/** Installs the router on `server`. */
export function routeUpgrades(
  server: Server,
  deps: { guard: (req: IncomingMessage) => Refusal; metrics: ApiMetrics; routes: readonly UpgradeRoute[] },
): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a peer that vanished mid-handshake is not our failure
    const refusal = deps.guard(req);
    if (refusal) {
      deps.metrics.refused(refusalReason(refusal));
      return rejectUpgrade(socket, refusal.status, refusal.reason);
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    for (const route of deps.routes) {
      const params = route.match(pathname);
      if (params) return route.endpoint.upgrade(req, socket, head, params);
    }
    rejectUpgrade(
      socket,
      404,
      `no WebSocket endpoint at ${pathname.slice(0, 200)}; there are /graphql, /sessions/:id/debug and /sessions/:id/logs`,
    );
  });
}

/** Answers an upgrade with an HTTP error and a JSON body, and closes the connection. */
export function rejectUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: message });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
