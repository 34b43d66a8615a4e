import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { ALL_SCOPES, type Scope } from '../auth/scopes.js';
import { issuesMessage } from '../sessions/session-input.js';
import type { ApiContext } from './context.js';
import { apiError } from './errors.js';
import { scopeRefusal, unauthenticated } from './guards.js';

/**
 * The one Pothos builder; every type file registers itself on it. Policy is declared on the
 * fields, not written in resolvers:
 *
 * - `authScopes` (@pothos/plugin-scope-auth): the token scopes a field needs, e.g.
 *   `{ [SCOPES.SESSIONS_READ]: true }`; a map lists scopes that are all needed, and may be a
 *   function of the arguments (breakpoint conditions need `debug:eval`). Subscriptions are checked
 *   when they are subscribed to. A failure is UNAUTHENTICATED without a token, else FORBIDDEN
 *   naming the missing scope.
 * - `validate` (@pothos/plugin-validation, Standard Schema): the zod schemas of
 *   src/sessions/session-input.ts on input types and arguments; a failure is BAD_USER_INPUT,
 *   `path: message` per issue (the path inside the argument, or the argument's name).
 */
export const builder = new SchemaBuilder<{
  Context: ApiContext;
  DefaultFieldNullability: false;
  AuthScopes: Record<Scope, boolean>;
  DefaultAuthStrategy: 'all';
}>({
  // scope-auth first (its docs' advice): its check wraps any other plugin's resolver wrapper.
  // Argument validation is no wrapper: Pothos maps (validates) arguments before every wrapper.
  plugins: [ScopeAuthPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    defaultStrategy: 'all',
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const granted = ctx.principal?.scopes;
      return Object.fromEntries(ALL_SCOPES.map((scope) => [scope, granted?.has(scope) ?? false])) as Record<Scope, boolean>;
    },
    unauthorizedError: (_parent, ctx, _info, result) => scopeRefusal(ctx, result.failure),
  },
  validation: {
    // Arguments are validated before the resolver (and its scope check) runs; a caller without a
    // token still learns only that it needs one.
    validationError: (failure, args, ctx) => {
      if (!ctx.principal) return unauthenticated();
      // An issue inside an input object is reported by its path inside it (`program: …`); one in
      // a list argument or about a whole argument keeps the argument's name (`breakpoints.1.line: …`,
      // `timeoutMs: …`), as the debug socket reports them.
      const issues = failure.issues.map((issue) => {
        const [first, ...inside] = issue.path ?? [];
        const name = typeof first === 'object' ? first.key : first;
        const inObject = inside.length > 0 && name !== undefined && !Array.isArray((args as Record<PropertyKey, unknown>)[name]);
        return inObject ? { message: issue.message, path: inside } : issue;
      });
      return apiError('BAD_USER_INPUT', issuesMessage(issues));
    },
  },
});
