/**
 * What every WebSocket endpoint of the server shares: how the upgrade router hands it a
 * connection, keepalive pings, and closing every socket at shutdown.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

/** A WebSocket endpoint behind the upgrade router. */
export interface SocketEndpoint {
  readonly wss: WebSocketServer;
  /** Takes an upgrade whose path is this endpoint's (`params`: what the path named). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, params: Record<string, string>): void;
  /** Closes every socket (1001) and stops. */
  close(): Promise<void>;
}

/**
 * Pings the peer every `intervalMs`; one that has not answered by the next ping is cut off (a
 * half-open TCP connection would otherwise hold its subscriptions forever). Returns the stop.
 */
export function keepAlive(socket: WebSocket, intervalMs = 12_000): () => void {
  let answered = true;
  socket.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) {
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Closes every client of `wss` with 1001 and the server itself. */
export async function closeAll(wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.close(1001, 'server shutting down');
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}
