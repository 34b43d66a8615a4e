import { parse, type ParseOptions, type Source, type ValidationRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../auth/scopes.js';
import type { TokenService } from '../auth/tokens.js';
import type { ApiContext } from '../schema/context.js';
import { apiError, isGraphQLError } from '../schema/errors.js';
import { buildApiSchema } from '../schema/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { OneCreateSessionRule } from '../schema/rules/one-create-session.js';
import { operationShapeRule, type ShapeLimits } from '../schema/rules/operation-shape.js';
import type { ApiMetrics, RefusalReason, Transport } from '../metrics/metrics.js';
import { useApolloMultipartSubscriptions, wantsApolloMultipart } from './apollo-multipart.js';
import { errorPolicy } from './error-log.js';
import { useSharedSubscriptionResults } from './shared-subscription-results.js';
import { useSubscriptionExpiry } from './subscription-expiry.js';

/** Context the transports hand to yoga: graphql-ws passes the principal it verified at connect time. */
export interface ServerContext {
  principal?: Principal | undefined;
  transport?: Transport | undefined;
}

export type ApiYoga = YogaServerInstance<ServerContext, ApiContext>;

const EXAMPLE_QUERY = `# 1. Headers (below): replace <token> with yours (the server printed a dev token at start).
# 2. Run Create: it launches examples/hello.js, stopped on its first line.
# 3. Put the session id in Variables ({"id": "…"}) and run Step, Eval or Logs.
# GraphiQL runs one operation at a time per window: to watch Follow (a subscription) while you
# step, open /graphql in a second browser window (your headers are kept there too).
mutation Create {
  createSession(input: { runtime: NODE, program: "examples/hello.js", stopOnEntry: true }) {
    id
    state
    stoppedAt { line source }
  }
}

mutation Step($id: ID!) {
  step(sessionId: $id) {
    stoppedAt { line }
    snapshot { variables { name value } }
  }
}

mutation Eval($id: ID!) {
  eval(sessionId: $id, expression: "total") { value type }
}

subscription Follow($id: ID!) {
  logLines(sessionId: $id, after: "0") { seq stream text }
}
`;

/** What a new GraphiQL tab's Headers editor holds: where the token goes. */
const HEADERS_TEMPLATE = JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2);

/** The GraphQL-over-HTTP (and SSE) half of the API: yoga with our schema, auth and error policy. */
export function createApiYoga(deps: {
  registry: SessionRegistry;
  tokens: TokenService;
  logger: Logger;
  metrics: ApiMetrics;
  /** Origins that may call the API from a browser page (none: same origin only). */
  corsOrigins: readonly string[];
  /** Bounds of one operation, on every transport. */
  limits: OperationLimits;
}): ApiYoga {
  const { registry, tokens, logger, metrics } = deps;
  const errors = errorPolicy(logger);
  let graphiqlPage: string | undefined;
  return createYoga<ServerContext, ApiContext>({
    // Tokens are never ambient (no cookies), and credentials are never allowed cross-origin.
    cors: deps.corsOrigins.length > 0 ? { origin: [...deps.corsOrigins], credentials: false } : false,
    schema: buildApiSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    plugins: [
      useAuthenticationFirst(),
      useParserLimits(deps.limits.maxTokens, metrics),
      useSharedSubscriptionResults(),
      useSubscriptionExpiry(),
      useApolloMultipartSubscriptions(),
      useValidationRules([OneCreateSessionRule, operationShapeRule(deps.limits)], metrics),
    ],
    // GraphiQL from npm, inlined in the page: it works with no internet access (no CDN). The
    // package (9 MB, ~0.7 s to import) loads at the first page request, not at every start;
    // the page is built once: its options never change.
    renderGraphiQL: async (options) => (graphiqlPage ??= (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options)),
    graphiql: {
      title: 'debug-server',
      defaultQuery: EXAMPLE_QUERY,
      // The example opens instead of GraphiQL's welcome text.
      defaultTabs: [{ query: EXAMPLE_QUERY, headers: HEADERS_TEMPLATE }],
      defaultHeaders: HEADERS_TEMPLATE,
      // Kept in the browser's storage for this origin: a reload or a second window has them.
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
      // GraphQL over SSE (yoga's), authenticated by the same headers as queries.
      subscriptionsProtocol: 'SSE',
    },
    // Errors keep their typed code and message; anything unexpected is masked, never a stack trace.
    maskedErrors: { maskError: errors.maskError, isDev: false },
    logging: errors.logging,
    context: async (initial): Promise<ApiContext> => {
      if ('principal' in initial && initial.principal) {
        return { principal: initial.principal, registry, metrics, transport: initial.transport ?? 'graphql-ws' };
      }
      const transport = httpTransport(initial.request.headers.get('accept'));
      const header = initial.request.headers.get('authorization');
      if (!header) return { principal: undefined, registry, metrics, transport };
      try {
        return { principal: await tokens.verifyHeader(header), registry, metrics, transport };
      } catch (err) {
        throw apiError('UNAUTHENTICATED', err instanceof Error ? err.message : 'invalid token');
      }
    },
  });
}

/** Which HTTP transport a request uses, from what it accepts (for metrics). */
function httpTransport(accept: string | null): Transport {
  if (wantsApolloMultipart(accept)) return 'http-multipart';
  if (accept?.includes('text/event-stream')) return 'graphql-sse';
  if (accept?.includes('multipart/mixed')) return 'http-multipart';
  return 'http';
}

/**
 * Our validation rules, added to graphql's own. Validation runs on every transport (graphql-ws
 * calls the same enveloped `validate`), unlike yoga's HTTP-only request hooks. Refusals by a
 * limit (their error says which in `extensions.limit`) are counted.
 */
function useValidationRules(rules: ValidationRule[], metrics: ApiMetrics): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
      return ({ result }: { result: readonly Error[] }) => {
        for (const error of result) {
          const limit = isGraphQLError(error) ? error.extensions.limit : undefined;
          if (typeof limit === 'string') metrics.refused(limit as RefusalReason);
        }
      };
    },
  };
}

/** Bounds of one operation: its shape (validation) and its size in tokens (the parser). */
export interface OperationLimits extends ShapeLimits {
  maxTokens: number;
}

/** graphql's parser stops at `maxTokens` tokens: a huge document costs no more than that. */
function useParserLimits(maxTokens: number, metrics: ApiMetrics): Plugin {
  return {
    onParse({ setParseFn }) {
      // envelop types the parser's arguments loosely: these are graphql's own.
      setParseFn((source: string | Source, options?: ParseOptions) => {
        try {
          return parse(source, { ...options, maxTokens });
        } catch (err) {
          if (err instanceof Error && err.message.includes('more than') && err.message.includes('tokens')) metrics.refused('tokens');
          throw err;
        }
      });
    },
  };
}

/**
 * An operation without credentials is refused before anything parses it (HTTP; graphql-ws
 * authenticates the connection before any operation). GraphiQL's page itself needs none.
 */
function useAuthenticationFirst(): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (url.pathname !== '/graphql' || request.headers.get('authorization')) return;
      const page =
        request.method === 'GET' && !url.searchParams.has('query') && (request.headers.get('accept') ?? '').includes('text/html');
      if (page || request.method === 'OPTIONS') return;
      const body = JSON.stringify({ errors: [{ message: 'a bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] });
      payload.endResponse(
        new Response(body, { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' } }),
      );
    },
  };
}
