import type { IncomingMessage } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { atExpiry } from '../auth/expiry.js';
import type { Principal } from '../auth/scopes.js';
import { AuthError, type TokenService } from '../auth/tokens.js';
import { isGraphQLError } from '../schema/errors.js';
import type { ApiMetrics } from '../metrics/metrics.js';
import { markRawJsonTransport, rawJsonCodec } from './raw-json.js';
import { closeAll, keepAlive, type SocketEndpoint } from './socket-endpoint.js';
import type { ApiYoga } from './yoga.js';

/** Per-connection state graphql-ws keeps for us. */
// A type alias, not an interface: graphql-ws wants an indexable record.
type ConnectionExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  principal?: Principal;
  cancelExpiry?: () => void;
  /** Operations refused for the per-socket cap: past a few, the socket goes (see onSubscribe). */
  refused: number;
};

/** Operations over the cap a socket may ask for before it is closed as abusive. */
const MAX_REFUSED_OPERATIONS = 20;

/**
 * What yoga's envelop hands us for one operation. Typed here because envelop's own types are
 * generic enough to widen to `any`.
 */
interface EnvelopedOperation {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  contextFactory: () => unknown;
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

type OperationResult = ReturnType<NonNullable<ServerOptions['execute']>>;

/** The executor yoga's envelop built for one operation, carried to graphql-ws's execute/subscribe. */
interface EnvelopedRoot {
  execute: EnvelopedOperation['execute'];
  subscribe: EnvelopedOperation['subscribe'];
}

/** Closes a connection whose credentials were refused (4401 "Unauthorized: <why>"); false for onConnect. */
function refuse(socket: WebSocket, why: string): false {
  socket.close(CloseCode.Unauthorized, `Unauthorized: ${why}`.slice(0, 120));
  return false;
}

/**
 * graphql-ws on `/graphql`, bound to `ws` by hand through graphql-ws's own seam
 * (`makeServer(...).opened({ protocol, send, close, onMessage }, extra)`, as its `use/ws.ts`
 * does), so that our `send` writes pre-encoded log batches (see raw-json.ts) and our error
 * handling logs through pino instead of the console.
 *
 * The token is checked once per connection in `onConnect` (from `connectionParams.authorization`
 * or the upgrade request's header). A missing, bad or expired token closes the socket with 4401
 * "Unauthorized: <why>", which graphql-ws clients do not retry (it would be refused again); a
 * token that expires while connected closes it with 4403, which they retry, calling their
 * `connectionParams` again for a fresh token. Operations run through yoga's
 * envelop, so validation, error masking and context are the same as over HTTP.
 */
export function createGraphqlWsEndpoint(deps: {
  yoga: ApiYoga;
  tokens: TokenService;
  logger: Logger;
  /** Largest message accepted (bigger ones close the socket with 1009 before they are parsed). */
  maxPayload: number;
  /** Operations one socket may run at once. */
  maxSubscriptions: number;
  metrics: ApiMetrics;
}): SocketEndpoint {
  const { yoga, tokens, logger, metrics } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload, handleProtocols });
  // Log batches arrive as pre-built JSON (RawJson): the replacer marks them, our send splices them in.
  const codec = rawJsonCodec();
  const server = makeServer<Record<string, unknown> | undefined, ConnectionExtra>({
    onConnect: async (ctx) => {
      const fromParams = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      const header = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
      // Refused credentials close with 4401, which graphql-ws clients do not retry: the same
      // token would be refused again. (graphql-ws itself answers a plain refusal with 4403.)
      if (!header) return refuse(ctx.extra.socket, 'a bearer token is required');
      try {
        const principal = await tokens.verifyHeader(/^bearer\s/i.test(header) ? header : `Bearer ${header}`);
        ctx.extra.principal = principal;
        // The socket may have gone while we verified: arm no timer for it.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        // A token that expires while connected: 4403, which clients retry, calling their
        // connectionParams again: a client that can get a new token reconnects with it; one with
        // a stale token is refused (4401) and stops.
        ctx.extra.cancelExpiry = atExpiry(principal.expiresAt, () =>
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: token expired'),
        );
        return true;
      } catch (err) {
        logger.debug({ err: String(err) }, 'websocket connection refused');
        return refuse(ctx.extra.socket, err instanceof AuthError ? err.message : 'invalid token');
      }
    },
    onClose: (ctx) => {
      ctx.extra.cancelExpiry?.();
    },
    onSubscribe: async (ctx, _id, payload) => {
      // graphql-ws has reserved this operation's id already: it counts as one of them.
      if (Object.keys(ctx.subscriptions).length > deps.maxSubscriptions) {
        metrics.refused('subscriptions_per_socket');
        // A client that keeps asking past the cap is flooding: it costs every other client time.
        if (++ctx.extra.refused > MAX_REFUSED_OPERATIONS) ctx.extra.socket.close(1008, 'too many operations refused');
        return [
          new GraphQLError(`A connection may run ${deps.maxSubscriptions} operations at once; end one first.`, {
            extensions: { code: 'LIMIT_EXCEEDED', limit: 'subscriptions_per_socket' },
          }),
        ];
      }
      // There is no fetch Request on a socket; our context factory only needs the principal.
      const initial = { principal: ctx.extra.principal, transport: 'graphql-ws', params: payload } as unknown as Parameters<
        ApiYoga['getEnveloped']
      >[0];
      const enveloped = yoga.getEnveloped(initial) as EnvelopedOperation;
      let document: DocumentNode;
      try {
        document = enveloped.parse(payload.query);
      } catch (err) {
        return [isGraphQLError(err) ? err : new GraphQLError('could not parse the operation')];
      }
      const errors = enveloped.validate(enveloped.schema, document);
      if (errors.length > 0) return errors;
      const root: EnvelopedRoot = markRawJsonTransport({ execute: enveloped.execute, subscribe: enveloped.subscribe });
      const args: ExecutionArgs = {
        schema: enveloped.schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: await enveloped.contextFactory(),
        rootValue: root,
      };
      return args;
    },
    jsonMessageReplacer: codec.replacer,
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
  });

  const fail = (socket: WebSocket, err: unknown, what: string): void => {
    logger.error({ err }, what);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const disconnected = metrics.connectionOpened('/graphql');
    socket.on('error', (err: Error & { code?: string }) => {
      // ws closes the socket itself (1009) for an oversized message: a client's doing, counted.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refused('frame_too_large');
      else logger.warn({ err }, 'websocket error');
    });
    const stopKeepalive = keepAlive(socket);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(codec.splice(data), (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString()).catch((err: unknown) => fail(socket, err, 'graphql-ws message handling failed'));
          }),
      },
      { socket, request, refused: 0 },
    );
    socket.once('close', (code, reason) => {
      stopKeepalive();
      disconnected();
      void closed(code, reason.toString());
    });
  });

  return {
    wss,
    upgrade: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    close: () => closeAll(wss),
  };
}
