import type { ValidationRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../auth/scopes.js';
import type { TokenService } from '../auth/tokens.js';
import type { ApiContext } from '../schema/context.js';
import { apiError } from '../schema/errors.js';
import { buildApiSchema } from '../schema/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { OneCreateSessionRule } from '../schema/rules/one-create-session.js';
import { errorPolicy } from './error-log.js';
import { useSharedSubscriptionResults } from './shared-subscription-results.js';
import { useSubscriptionExpiry } from './subscription-expiry.js';

/** Context the transports hand to yoga: graphql-ws passes the principal it verified at connect time. */
export interface ServerContext {
  principal?: Principal | undefined;
}

export type ApiYoga = YogaServerInstance<ServerContext, ApiContext>;

const EXAMPLE_QUERY = `# Paste your token in the Headers tab: {"Authorization": "Bearer <token>"}
# Then launch a program (its path is relative to the server's workspace):
mutation Create {
  createSession(input: { runtime: NODE, program: "examples/hello.js", stopOnEntry: true }) {
    id
    state
    stoppedAt { line source }
  }
}
`;

/** The GraphQL-over-HTTP (and SSE) half of the API: yoga with our schema, auth and error policy. */
export function createApiYoga(deps: {
  registry: SessionRegistry;
  tokens: TokenService;
  logger: Logger;
  /** Origins that may call the API from a browser page (none: same origin only). */
  corsOrigins: readonly string[];
}): ApiYoga {
  const { registry, tokens, logger } = deps;
  const errors = errorPolicy(logger);
  return createYoga<ServerContext, ApiContext>({
    // Tokens are never ambient (no cookies), and credentials are never allowed cross-origin.
    cors: deps.corsOrigins.length > 0 ? { origin: [...deps.corsOrigins], credentials: false } : false,
    schema: buildApiSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    plugins: [useSharedSubscriptionResults(), useSubscriptionExpiry(), useValidationRules([OneCreateSessionRule])],
    graphiql: { title: 'debug-server', defaultQuery: EXAMPLE_QUERY },
    // Errors keep their typed code and message; anything unexpected is masked, never a stack trace.
    maskedErrors: { maskError: errors.maskError, isDev: false },
    logging: errors.logging,
    context: async (initial): Promise<ApiContext> => {
      if ('principal' in initial && initial.principal) return { principal: initial.principal, registry };
      const header = initial.request.headers.get('authorization');
      if (!header) return { principal: undefined, registry };
      try {
        return { principal: await tokens.verifyHeader(header), registry };
      } catch (err) {
        throw apiError('UNAUTHENTICATED', err instanceof Error ? err.message : 'invalid token');
      }
    },
  });
}

/**
 * Our validation rules, added to graphql's own. Validation runs on every transport (graphql-ws
 * calls the same enveloped `validate`), unlike yoga's HTTP-only request hooks.
 */
function useValidationRules(rules: ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}
