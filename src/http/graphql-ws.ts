import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode, type ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { atExpiry } from '../auth/expiry.js';
import type { Principal } from '../auth/scopes.js';
import type { TokenService } from '../auth/tokens.js';
import { isGraphQLError } from '../schema/errors.js';
import type { ApiMetrics } from '../metrics/metrics.js';
import { refusalReason, type Refusal } from './request-guard.js';
import { markRawJsonTransport, rawJsonReplacer, sendWithRawJson } from './raw-json.js';
import type { ApiYoga } from './yoga.js';

/** Per-connection state graphql-ws keeps for us. */
// A type alias, not an interface: graphql-ws wants an indexable record.
type ConnectionExtra = {
  principal?: Principal;
  cancelExpiry?: () => void;
};

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

/**
 * graphql-ws on the same `/graphql` path. The token is checked once per connection in
 * `onConnect` (from `connectionParams.authorization` or the upgrade request's header); a bad or
 * missing token closes the socket with 4403, and so does the token's expiry, so clients refresh
 * and reconnect. Operations run through yoga's envelop, so validation, error masking and
 * context are the same as over HTTP.
 */
export function attachGraphqlWs(deps: {
  server: Server;
  yoga: ApiYoga;
  tokens: TokenService;
  logger: Logger;
  /** The HTTP requests' checks, applied to the upgrade request. */
  guard: (req: IncomingMessage) => Refusal;
  /** Largest message accepted (bigger ones close the socket with 1009 before they are parsed). */
  maxPayload: number;
  /** Operations one socket may run at once. */
  maxSubscriptions: number;
  metrics: ApiMetrics;
}): {
  wss: WebSocketServer;
  close: () => Promise<void>;
} {
  const { server, yoga, tokens, logger, guard, metrics } = deps;
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: deps.maxPayload,
    verifyClient: ({ req }, done) => {
      const refusal = guard(req);
      if (refusal) {
        metrics.refused(refusalReason(refusal));
        done(false, refusal.status, refusal.reason);
      } else done(true);
    },
  });
  // Log batches arrive as pre-built JSON (RawJson): the replacer marks them, send splices them in.
  wss.on('connection', sendWithRawJson);
  wss.on('connection', (socket) => {
    const closed = metrics.connectionOpened('/graphql');
    socket.once('close', closed);
    // ws closes the socket (1009) itself; counted here.
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refused('frame_too_large');
    });
  });
  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const fromParams = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const header = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
        if (!header) return false;
        try {
          const principal = await tokens.verifyHeader(/^bearer\s/i.test(header) ? header : `Bearer ${header}`);
          ctx.extra.principal = principal;
          // The socket may have gone while we verified: arm no timer for it.
          if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
          ctx.extra.cancelExpiry = atExpiry(principal.expiresAt, () =>
            ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: token expired'),
          );
          return true;
        } catch (err) {
          logger.debug({ err: String(err) }, 'websocket connection refused');
          return false;
        }
      },
      onClose: (ctx) => {
        ctx.extra.cancelExpiry?.();
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has reserved this operation's id already: it counts as one of them.
        if (Object.keys(ctx.subscriptions).length > deps.maxSubscriptions) {
          metrics.refused('subscriptions_per_socket');
          return [
            new GraphQLError(`A connection may run ${deps.maxSubscriptions} operations at once; end one first.`, {
              extensions: { code: 'LIMIT_EXCEEDED' },
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
      jsonMessageReplacer: rawJsonReplacer,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
    },
    wss,
  );
  return {
    wss,
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
