import { GraphQLError } from 'graphql';
import type { ApiErrorCode } from '../errors.js';
import { AuthError } from '../auth/tokens.js';
import { SessionError } from '../sessions/errors.js';

/** Every `extensions.code` the API returns (the shared list, src/errors.ts). */
export type { ApiErrorCode };

const HTTP_STATUS: Partial<Record<ApiErrorCode, number>> = { UNAUTHENTICATED: 401 };

/** A GraphQL error with a code (and, for auth failures, the HTTP status yoga should answer with). */
export function apiError(code: ApiErrorCode, message: string): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: status ? { code, http: { status, headers: { 'WWW-Authenticate': 'Bearer' } } } : { code },
  });
}

/**
 * Turns anything a resolver threw into a typed error safe to send: known errors keep their
 * message and get their code; anything else becomes a masked INTERNAL_SERVER_ERROR (no stack).
 */
export function toApiError(error: unknown): GraphQLError {
  const original = isGraphQLError(error) && error.originalError ? error.originalError : error;
  const located = isGraphQLError(error) ? error : undefined;
  const withLocation = (code: ApiErrorCode, message: string): GraphQLError =>
    new GraphQLError(message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: apiError(code, message).extensions,
    });
  if (original instanceof SessionError) return withLocation(original.code, original.message);
  if (original instanceof AuthError) return withLocation('UNAUTHENTICATED', original.message);
  if (isGraphQLError(original)) {
    // Ours (apiError) keep their code; graphql-js copies it onto the located error. Without a
    // code it is graphql-js's own parse/validation/coercion error: the client sent a bad operation.
    if (original.extensions.code) return located ?? original;
    return withLocation('BAD_USER_INPUT', original.message);
  }
  return withLocation('INTERNAL_SERVER_ERROR', 'Unexpected error.');
}

/**
 * Duck-typed check: graphql ships several builds (ESM, CJS, development), and a library may load
 * another one than ours, so `instanceof GraphQLError` can be false for a real GraphQLError.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error;
}
