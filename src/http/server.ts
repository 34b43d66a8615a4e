import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { TokenService } from '../auth/tokens.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { SandboxSetup } from '../sandbox/sandbox.js';
import { debugSocketEndpoint } from './debug-socket.js';
import { createGraphqlWsEndpoint } from './graphql-ws.js';
import { logsSocketEndpoint } from './logs-socket.js';
import { routeUpgrades, sessionRoute } from './upgrade-router.js';
import type { ApiMetrics } from '../metrics/metrics.js';
import { handleLogStream } from './log-stream.js';
import { handleMetrics } from './metrics-endpoint.js';
import { refusalReason, requestGuard, type RequestGuardOptions } from './request-guard.js';
import { createApiYoga, type OperationLimits } from './yoga.js';

/** Most of a refused body read (and dropped) so that its sender sees the answer, not a reset. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Reads a refused request's body into nothing: a client still sending it when the socket closed
 * would see a connection reset instead of our 413. Past {@link MAX_DISCARDED_BYTES} the socket goes.
 */
function discardBody(req: IncomingMessage): void {
  let read = 0;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

/** A running API server. */
export interface DebugServer {
  readonly server: Server;
  /** `http://host:port`, known once listening. */
  url(): string;
  listen(port: number, host: string): Promise<void>;
  /** Stops accepting, ends every debuggee and subscription cleanly, closes every socket. */
  close(): Promise<void>;
}

/**
 * One Node http server for everything: yoga on `/graphql` (HTTP, SSE, GraphiQL), graphql-ws on
 * the same path, the REST log stream, `/metrics` and `/healthz`.
 */
export function createDebugServer(deps: {
  registry: SessionRegistry;
  tokens: TokenService;
  logger: Logger;
  sandbox: SandboxSetup;
  metrics: ApiMetrics;
  guard: RequestGuardOptions;
  corsOrigins: readonly string[];
  limits: OperationLimits & { maxSubscriptionsPerSocket: number };
}): DebugServer {
  const { registry, tokens, logger, sandbox, metrics } = deps;
  // Anyone may probe /healthz, so it says that the server is up and nothing about its sessions;
  // but an unisolated server says so on every answer, where an operator's probe will show it.
  const health = JSON.stringify({
    status: 'ok',
    isolated: sandbox.sandbox !== undefined,
    ...(sandbox.warning ? { warning: sandbox.warning } : {}),
  });
  const yoga = createApiYoga({ registry, tokens, logger, metrics, corsOrigins: deps.corsOrigins, limits: deps.limits });

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const refusal = guard(req);
    if (refusal) {
      metrics.refused(refusalReason(refusal));
      res.writeHead(refusal.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: refusal.reason }));
      discardBody(req);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(health);
      return;
    }
    if (url.pathname === '/metrics') {
      void handleMetrics(req, res, { tokens, metrics });
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(302, { location: '/graphql' });
      res.end();
      return;
    }
    const logs = /^\/sessions\/([^/]+)\/logs$/.exec(url.pathname);
    if (logs?.[1]) {
      let id: string;
      try {
        id = decodeURIComponent(logs[1]);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'malformed session id' }));
        return;
      }
      void handleLogStream(req, res, url, id, { registry, tokens, logger, metrics });
      return;
    }
    if (url.pathname === '/graphql') {
      void yoga.handle(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  };

  let listening: string | undefined;
  const guard = requestGuard(deps.guard, () => listening);
  // Whatever a request does, it must not take the process (and its debuggees' cleanup) down.
  const server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (err) {
      logger.error({ err }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  });
  const graphqlWs = createGraphqlWsEndpoint({
    yoga,
    tokens,
    logger,
    maxPayload: deps.guard.maxBodyBytes,
    maxSubscriptions: deps.limits.maxSubscriptionsPerSocket,
    metrics,
  });
  const socketDeps = { registry, tokens, logger, metrics, maxPayload: deps.guard.maxBodyBytes };
  const sockets = [graphqlWs, debugSocketEndpoint(socketDeps), logsSocketEndpoint(socketDeps)] as const;
  routeUpgrades(server, {
    guard,
    metrics,
    routes: [
      { match: (pathname) => (pathname === '/graphql' ? {} : undefined), endpoint: sockets[0] },
      sessionRoute('debug', sockets[1]),
      sessionRoute('logs', sockets[2]),
    ],
  });
  let closing: Promise<void> | undefined;

  return {
    server,
    url() {
      const address = server.address() as AddressInfo | null;
      if (!address) throw new Error('server is not listening');
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}`;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          listening = (server.address() as AddressInfo).address;
          resolve();
        });
      });
    },
    close() {
      closing ??= (async () => {
        // Stop taking connections, then end every session: its streams complete, so every
        // transport sends a clean completion before its socket goes.
        server.close();
        await registry.shutdown();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await Promise.all(sockets.map((endpoint) => endpoint.close()));
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}
