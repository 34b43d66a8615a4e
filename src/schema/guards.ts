import type { Principal, Scope } from '../auth/scopes.js';
import type { Session } from '../sessions/session.js';
import type { ApiContext } from './context.js';
import { apiError } from './errors.js';

/** The caller, who must hold `scope`; UNAUTHENTICATED without a token, FORBIDDEN without the scope. */
export function requireScope(ctx: ApiContext, scope: Scope): Principal {
  const principal = ctx.principal;
  if (!principal) throw apiError('UNAUTHENTICATED', 'a bearer token is required (Authorization: Bearer <token>)');
  if (!principal.scopes.has(scope)) throw apiError('FORBIDDEN', `this operation needs the "${scope}" scope`);
  return principal;
}

/** The caller's session `id`, checked for `scope`; NOT_FOUND when missing or not the caller's. */
export function requireSession(ctx: ApiContext, id: string | number, scope: Scope): Session {
  const principal = requireScope(ctx, scope);
  return ctx.registry.get(String(id), principal.subject);
}
