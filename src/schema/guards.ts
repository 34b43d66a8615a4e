import { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import type { GraphQLError } from 'graphql';
import type { Principal, Scope } from '../auth/scopes.js';
import type { BreakpointInput } from '../sessions/session-input.js';
import { scopesFor, type SessionCommand } from '../sessions/commands.js';
import type { Session } from '../sessions/session.js';
import type { ApiContext } from './context.js';
import { apiError } from './errors.js';

/**
 * Scopes are declared on the fields (`authScopes`, checked by @pothos/plugin-scope-auth, see
 * builder.ts); what is left here is who the caller is and which sessions are theirs.
 */

/** The scope map (`authScopes`) of a field that offers a session command: its scopes in src/sessions/commands.ts. */
export function needs(command: SessionCommand, breakpoints?: readonly BreakpointInput[]): Partial<Record<Scope, boolean>> {
  return Object.fromEntries(scopesFor(command, breakpoints).map((scope) => [scope, true]));
}

/** UNAUTHENTICATED (HTTP 401 with `WWW-Authenticate: Bearer`): the request carries no token. */
export function unauthenticated(): GraphQLError {
  return apiError('UNAUTHENTICATED', 'a bearer token is required (Authorization: Bearer <token>)');
}

/**
 * The error for a field whose `authScopes` failed: UNAUTHENTICATED without a token, else
 * FORBIDDEN naming the first scope the token lacks.
 */
export function scopeRefusal(ctx: ApiContext, failure: AuthFailure): GraphQLError {
  if (!ctx.principal) return unauthenticated();
  const scope = missingScope(failure);
  return apiError('FORBIDDEN', scope ? `this operation needs the "${scope}" scope` : 'this operation is not allowed for this token');
}

/** The first scope a failed scope map asked for and did not get. */
function missingScope(failure: AuthFailure): string | undefined {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope;
  if (failure.kind === AuthScopeFailureType.AllAuthScopes || failure.kind === AuthScopeFailureType.AnyAuthScopes) {
    for (const child of failure.failures) {
      const scope = missingScope(child);
      if (scope) return scope;
    }
  }
  return undefined;
}

/** The caller; every field checks its scopes first, so there is one unless a field declares none. */
export function callerOf(ctx: ApiContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}

/** The caller's session `id`; NOT_FOUND when missing or not the caller's (the scopes are the field's `authScopes`). */
export function sessionOf(ctx: ApiContext, id: string | number): Session {
  return ctx.registry.get(String(id), callerOf(ctx).subject);
}
